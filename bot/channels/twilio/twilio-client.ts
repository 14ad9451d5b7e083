/**
 * The Twilio REST client for a tenant's connector. The client has no base-URL option, so a
 * RequestClient subclass rewrites `https://*.twilio.com` to TWILIO_API_BASE_URL when set (tests
 * point it at a local stand-in that records what we send).
 */
import twilio from 'twilio';
import type { TwilioConnector } from '@stratus/shared/tenant/model';

type Client = ReturnType<typeof twilio>;
type RequestOpts = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];

class RewritingClient extends twilio.RequestClient {
  constructor(
    private readonly base: string,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs });
  }
  override request<T>(opts: RequestOpts & { data?: T }) {
    const u = new URL(opts.uri);
    return super.request<T>({ ...opts, uri: `${this.base}${u.pathname}${u.search}` } as Parameters<twilio.RequestClient['request']>[0] & {
      data?: T;
    });
  }
}

/** Twilio regions and their edges (the seed's product supports us1 only; we accept Twilio's others). */
const EDGES: Record<TwilioConnector['region'], string | undefined> = { us1: undefined, ie1: 'dublin', au1: 'sydney' };

/** A client for the connector's account; `timeoutMs` bounds each request (15 s unless a caller needs less). */
export function twilioClient(conn: TwilioConnector, apiBaseUrl?: string, timeoutMs = 15_000): Client {
  return twilio(conn.accountSid, conn.authToken, {
    ...(apiBaseUrl ? { httpClient: new RewritingClient(apiBaseUrl, timeoutMs) } : { timeout: timeoutMs }),
    ...(conn.region !== 'us1' ? { region: conn.region, edge: EDGES[conn.region] } : {}),
  });
}

/** Media is only ever fetched from Twilio's own hosts, never from whatever a request names. */
export function isTwilioMediaUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && (u.hostname === 'api.twilio.com' || u.hostname.endsWith('.twilio.com'));
  } catch {
    return false;
  }
}

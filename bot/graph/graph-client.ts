/**
 * Microsoft Graph with the app's own identity (client credentials), for the tenants that
 * installed Stratus: today, searching a tenant's Entra ID directory for people to add.
 *
 * One msal ConfidentialClientApplication per Entra tenant (the authority names the tenant, and
 * each keeps that tenant's app token in its cache until it nears expiry), in a bounded map.
 *
 * The Graph client runs our own middleware chain rather than the SDK's default one: the
 * default AuthenticationHandler attaches the token only to https Graph hosts (so a local
 * stand-in would never see it), and its RetryHandler sleeps through up to three 429s, where an
 * admin typing in a people picker is better told "retry in 12 s".
 */
import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import { Client, GraphClientError, HTTPMessageHandler, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import type { DirectoryUser } from '@stratus/shared/contract/admin';
import { BoundedMap } from '../util/bounded-map';
import type { Logger } from '../util/log';
import { EntraNetwork } from './entra-network';
import { GraphError, graphAnswerError, graphFetchError, tokenError } from './graph-error';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com';
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const USER_FIELDS = ['id', 'displayName', 'userPrincipalName', 'mail'];
/** Graph's largest page of users. */
const MAX_TOP = 999;

export interface GraphApiOptions {
  clientId: string;
  clientSecret: string;
  /** GRAPH_API_BASE_URL; default https://graph.microsoft.com. */
  baseUrl?: string;
  /** Where app tokens come from; default https://login.microsoftonline.com. An http URL is a local stand-in. */
  authorityHost?: string;
  log: Logger;
  /** A whole call's deadline, token included; default 10 s. */
  timeoutMs?: number;
  /** Entra tenants whose token client is kept; default 1,000. */
  maxTenants?: number;
}

interface GraphUser {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
}

/** App-only Microsoft Graph calls for any Entra tenant that consented to the app. */
export class GraphApi {
  private readonly client: Client;
  private readonly apps: BoundedMap<string, ConfidentialClientApplication>;
  private readonly network: EntraNetwork;
  private readonly authorityHost: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: GraphApiOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.apps = new BoundedMap(opts.maxTenants ?? 1000);
    const host = (opts.authorityHost ?? DEFAULT_AUTHORITY_HOST).replace(/\/+$/, '');
    // msal refuses an http authority: a stand-in is reached through the network module instead
    // (msal knows login.microsoftonline.com's metadata, so the token POST is all it sends).
    const standIn = new URL(host).protocol === 'http:';
    this.authorityHost = standIn ? DEFAULT_AUTHORITY_HOST : host;
    this.network = new EntraNetwork(this.timeoutMs, standIn ? { from: DEFAULT_AUTHORITY_HOST, to: host } : undefined);
    this.client = Client.initWithMiddleware({
      baseUrl: (opts.baseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, ''),
      defaultVersion: 'v1.0',
      middleware: [new TranslateFailures(this.timeoutMs), new HTTPMessageHandler()],
    });
  }

  /**
   * Users of the tenant whose display name or UPN matches `query` (Graph's tokenized `$search`);
   * an empty query lists the first users by display name. Throws GraphError.
   */
  async searchUsers(entraTenantId: string, query: string, limit = 20): Promise<DirectoryUser[]> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      const token = await this.token(entraTenantId, deadline);
      const q = query.trim();
      let request = this.client
        .api('/users')
        .header('Authorization', `Bearer ${token}`)
        .select(USER_FIELDS)
        .top(Math.min(Math.max(1, Math.floor(limit)), MAX_TOP))
        .option('signal', deadline);
      // Graph serves $search only as an "advanced query", which must be asked for with this header.
      request = q
        ? request.header('ConsistencyLevel', 'eventual').search(encodeURIComponent(searchExpression(q)))
        : request.orderby('displayName');
      const page = (await request.get()) as { value?: GraphUser[] };
      return (page.value ?? []).map(toDirectoryUser);
    } catch (e) {
      const err = e instanceof GraphClientError && e.customError instanceof GraphError ? e.customError : asGraphError(e);
      this.opts.log.warn('graph: directory search failed', { entraTenantId, status: err.status, code: err.code, problem: err.message });
      throw err;
    }
  }

  /** An app token for the tenant: msal answers from its cache until the token nears expiry. */
  private async token(entraTenantId: string, deadline: AbortSignal): Promise<string> {
    if (!ENTRA_TENANT.test(entraTenantId))
      throw new GraphError(
        `"${entraTenantId.slice(0, 80)}" is not an Entra tenant id (a GUID or a domain such as contoso.onmicrosoft.com)`,
      );
    try {
      const result = await untilAborted(this.app(entraTenantId).acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }), deadline);
      if (!result?.accessToken) throw new GraphError('Entra ID answered without a token');
      return result.accessToken;
    } catch (e) {
      throw tokenError(e, entraTenantId, this.timeoutMs);
    }
  }

  private app(entraTenantId: string): ConfidentialClientApplication {
    const key = entraTenantId.toLowerCase();
    const known = this.apps.get(key);
    if (known) return known;
    const log = this.opts.log;
    const app = new ConfidentialClientApplication({
      auth: { clientId: this.opts.clientId, clientSecret: this.opts.clientSecret, authority: `${this.authorityHost}/${key}` },
      system: {
        networkClient: this.network,
        // No PII and no secrets in msal's own lines; warnings only, at our debug level.
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (_level, message) => log.debug(`msal: ${message}`),
        },
      },
    });
    this.apps.set(key, app);
    return app;
  }
}

/** A GUID, or a verified domain (`contoso.onmicrosoft.com`): nothing else goes into the authority URL. */
const ENTRA_TENANT = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})+)$/i;

/**
 * Graph's `$search` for a display name or UPN containing `q`. Each clause is a quoted
 * `"property:value"`, inside which Graph reads `\"` and `\\` as escapes.
 */
export function searchExpression(q: string): string {
  const v = q.replace(/[\\"]/g, (c) => `\\${c}`);
  return `"displayName:${v}" OR "userPrincipalName:${v}"`;
}

function toDirectoryUser(u: GraphUser): DirectoryUser {
  const upn = u.userPrincipalName ?? '';
  return { id: u.id, upn, displayName: u.displayName || upn, ...(u.mail ? { mail: u.mail } : {}) };
}

function asGraphError(e: unknown): GraphError {
  if (e instanceof GraphError) return e;
  // The SDK's own GraphError (a response it parsed itself), should one get past our middleware.
  const x = e as { statusCode?: unknown; code?: unknown; message?: unknown };
  const status = typeof x.statusCode === 'number' && x.statusCode > 0 ? x.statusCode : undefined;
  const code = typeof x.code === 'string' ? x.code : undefined;
  return new GraphError(
    `Graph request failed${status ? ` (${status}${code ? ` ${code}` : ''})` : ''}: ${String(x.message ?? e)}`,
    status,
    code,
  );
}

/** `p`, or a TimeoutError once `signal` aborts (msal takes no signal; its requests end by their own timeout). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * Turns Graph's error answers and fetch failures into GraphError where the facts are at hand.
 * It throws them inside a GraphClientError, the one kind GraphRequest passes on unchanged:
 * any other error it re-wraps, dropping a fetch failure's cause (ECONNREFUSED).
 */
class TranslateFailures implements Middleware {
  private next?: Middleware;

  constructor(private readonly timeoutMs: number) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    try {
      await this.next?.execute(context);
    } catch (e) {
      throw wrap(graphFetchError(e, this.timeoutMs));
    }
    const res = context.response;
    if (!res || res.ok) return;
    let body: unknown;
    try {
      body = await res.json();
    } catch (e) {
      // An error page that is not JSON (a proxy's HTML): the status alone still says what failed.
      body = undefined;
    }
    throw wrap(graphAnswerError(res.status, res.headers.get('retry-after'), body));
  }
}

function wrap(e: GraphError): GraphClientError {
  const carrier = new GraphClientError(e.message);
  carrier.customError = e;
  return carrier;
}

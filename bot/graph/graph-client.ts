/**
 * Microsoft Graph with the app's own identity (client credentials), for the tenants that
 * installed Stratus: searching a tenant's Entra ID directory for people to add, reading the
 * Teams presence of its agents, installing the Teams app for them (and finding its bot chat), and
 * posting to their activity feed.
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
import {
  Client,
  GraphClientError,
  GraphRequest,
  HTTPMessageHandler,
  type Context,
  type Middleware,
  type MiddlewareOptions,
} from '@microsoft/microsoft-graph-client';
import type { DirectoryUser } from '@stratus/shared/contract/admin';
import { GRAPH_AVAILABILITIES, type GraphAvailability } from '@stratus/shared/distribution/presence';
import { BoundedMap } from '../util/bounded-map';
import type { Logger } from '../util/log';
import { EntraNetwork } from './entra-network';
import { GraphError, graphAnswerError, graphFetchError, tokenError, USER_SEARCH, type GraphCallKind } from './graph-error';

export type { GraphAvailability };

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
  /** A request's deadline, its token included; default 10 s. */
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

/** A user's Teams presence as Graph gives it; an availability Graph adds later reads as PresenceUnknown. */
export interface GraphPresence {
  /** The user's Entra object id, as Graph answers it. */
  id: string;
  availability: GraphAvailability;
  /** `Available`, `InACall`, `InAMeeting`, `Presenting`, `OffWork`…: an open set, kept as Graph says it. */
  activity: string;
}

/** Graph's limit of ids in one getPresencesByUserId request. */
export const PRESENCE_BATCH = 650;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PRESENCE_READ: GraphCallKind = { permission: 'Presence.Read.All', noun: 'the presence request' };
const CATALOG_READ: GraphCallKind = { permission: 'AppCatalog.Read.All', noun: 'the app catalog lookup' };
/** Installing the app for a user: `Self` suffices for the app's own Teams app, the wider one installs any. */
export const APP_INSTALL: GraphCallKind = {
  permission: 'TeamsAppInstallation.ReadWriteSelfForUser.All (or TeamsAppInstallation.ReadWriteForUser.All)',
  noun: 'the app installation',
};
const ACTIVITY_FEED: GraphCallKind = { permission: 'TeamsActivity.Send', noun: 'the activity notification' };
/** A Teams catalog app id: a GUID for org apps, a manifest id (usually a GUID) for store apps. */
const CATALOG_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** `sendActivityNotification`'s body for a `text` topic (a deep link into one of the app's tabs). */
export interface ActivityNotification {
  topic: { source: 'text'; value: string; webUrl: string };
  /** Declared in the manifest's `activities.activityTypes`. */
  activityType: string;
  previewText: { content: string };
  templateParameters: { name: string; value: string }[];
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
        .middlewareOptions([new CallKind(USER_SEARCH)])
        .option('signal', deadline);
      // Graph serves $search only as an "advanced query", which must be asked for with this header.
      request = q
        ? request.header('ConsistencyLevel', 'eventual').search(encodeURIComponent(searchExpression(q)))
        : request.orderby('displayName');
      const page = (await request.get()) as { value?: GraphUser[] };
      return (page.value ?? []).map(toDirectoryUser);
    } catch (e) {
      throw this.failed('graph: directory search failed', entraTenantId, e);
    }
  }

  /**
   * The Teams presence of these users (needs the Presence.Read.All application permission), in
   * requests of at most 650 ids (Graph's limit), one after another: a poll of 1,000 agents is two
   * requests, and sending them at once would only reach Graph's throttling sooner. Ids that are not
   * GUIDs are skipped, never sent (Graph would refuse the whole batch); each id is asked once.
   * Throws GraphError (a 429 with retryAfterSec): a failed batch fails the call, since the caller
   * keeps the last known presences rather than act on half a poll.
   */
  async getPresences(entraTenantId: string, objectIds: readonly string[]): Promise<GraphPresence[]> {
    const ids = [...new Map(objectIds.filter((id) => GUID.test(id)).map((id) => [id.toLowerCase(), id])).values()];
    if (ids.length < objectIds.length)
      this.opts.log.debug('graph: presence ids skipped', { entraTenantId, skipped: objectIds.length - ids.length });
    const presences: GraphPresence[] = [];
    try {
      for (let i = 0; i < ids.length; i += PRESENCE_BATCH) {
        // A deadline per request, not per poll: 1,300 agents must not have half the time of 650.
        const deadline = AbortSignal.timeout(this.timeoutMs);
        const token = await this.token(entraTenantId, deadline);
        const page = (await this.client
          .api('/communications/getPresencesByUserId')
          .header('Authorization', `Bearer ${token}`)
          .middlewareOptions([new CallKind(PRESENCE_READ)])
          .option('signal', deadline)
          .post({ ids: ids.slice(i, i + PRESENCE_BATCH) })) as { value?: unknown[] };
        for (const p of page.value ?? []) {
          const presence = toGraphPresence(p);
          if (presence) presences.push(presence);
        }
      }
      return presences;
    } catch (e) {
      throw this.failed('graph: presence read failed', entraTenantId, e);
    }
  }

  /**
   * The org catalog's id of the Teams app whose manifest id is `manifestId`, or undefined when the
   * tenant's org catalog does not hold it (a store app: its catalog id is its manifest id). Graph
   * gives an org-catalog app its own id per tenant and keeps the manifest id as `externalId`.
   */
  async catalogAppId(entraTenantId: string, manifestId: string): Promise<string | undefined> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      const page = (await (
        await this.request(entraTenantId, '/appCatalogs/teamsApps', CATALOG_READ, deadline)
      )
        .filter(encodeURIComponent(`externalId eq ${odataString(manifestId)}`))
        .get()) as { value?: unknown } | undefined;
      const found = Array.isArray(page?.value) ? (page.value as { id?: unknown }[]).find((a) => typeof a?.id === 'string') : undefined;
      return typeof found?.id === 'string' && CATALOG_ID.test(found.id) ? found.id : undefined;
    } catch (e) {
      throw this.failed('graph: app catalog lookup failed', entraTenantId, e);
    }
  }

  /**
   * Installs the catalog app in the user's personal scope (`POST /users/{id}/teamwork/installedApps`):
   * `installed`, or `alreadyInstalled` when Graph answers 409. Throws GraphError otherwise.
   */
  async installAppForUser(entraTenantId: string, userObjectId: string, catalogAppId: string): Promise<'installed' | 'alreadyInstalled'> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      const req = await this.request(entraTenantId, `${userPath(userObjectId)}/teamwork/installedApps`, APP_INSTALL, deadline);
      await req.post({ 'teamsApp@odata.bind': `${DEFAULT_GRAPH_BASE_URL}/v1.0/appCatalogs/teamsApps/${catalogId(catalogAppId)}` });
      return 'installed';
    } catch (e) {
      if (unwrap(e).status === 409) return 'alreadyInstalled';
      throw this.failed('graph: app installation failed', entraTenantId, e);
    }
  }

  /**
   * The id of the catalog app's installation in the user's personal scope, or undefined when it has
   * none. Filtered on `teamsApp/id` (the catalog id), which store and org apps both have; an org
   * app's manifest id would be `teamsApp/externalId`, which store apps leave empty.
   */
  async findUserInstallation(entraTenantId: string, userObjectId: string, catalogAppId: string): Promise<string | undefined> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      const page = (await (
        await this.request(entraTenantId, `${userPath(userObjectId)}/teamwork/installedApps`, APP_INSTALL, deadline)
      )
        .expand('teamsApp')
        .filter(encodeURIComponent(`teamsApp/id eq ${odataString(catalogId(catalogAppId))}`))
        .get()) as { value?: unknown } | undefined;
      const found = Array.isArray(page?.value) ? (page.value as { id?: unknown }[]).find((i) => typeof i?.id === 'string') : undefined;
      return typeof found?.id === 'string' && found.id ? found.id : undefined;
    } catch (e) {
      throw this.failed('graph: installed app lookup failed', entraTenantId, e);
    }
  }

  /** The id of the one-on-one chat between the user and the installed app's bot. Throws GraphError. */
  async installationChatId(entraTenantId: string, userObjectId: string, installationId: string): Promise<string> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      const path = `${userPath(userObjectId)}/teamwork/installedApps/${encodeURIComponent(installationId)}/chat`;
      const chat = (await (await this.request(entraTenantId, path, APP_INSTALL, deadline)).get()) as { id?: unknown } | undefined;
      if (typeof chat?.id !== 'string' || !chat.id || chat.id.length > 400) throw new GraphError('Graph answered the chat without an id');
      return chat.id;
    } catch (e) {
      throw this.failed('graph: installed app chat lookup failed', entraTenantId, e);
    }
  }

  /** Posts an activity-feed notification to the user (`sendActivityNotification`). Throws GraphError. */
  async sendActivityNotification(entraTenantId: string, userObjectId: string, notification: ActivityNotification): Promise<void> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      const req = await this.request(entraTenantId, `${userPath(userObjectId)}/teamwork/sendActivityNotification`, ACTIVITY_FEED, deadline);
      await req.post(notification);
    } catch (e) {
      throw this.failed('graph: activity notification failed', entraTenantId, e);
    }
  }

  /** A request with the tenant's app token, the call's kind (for error messages) and the deadline. */
  private async request(entraTenantId: string, path: string, kind: GraphCallKind, deadline: AbortSignal): Promise<GraphRequest> {
    const token = await this.token(entraTenantId, deadline);
    return this.client
      .api(path)
      .header('Authorization', `Bearer ${token}`)
      .middlewareOptions([new CallKind(kind)])
      .option('signal', deadline);
  }

  /** The GraphError for a failed call, logged once (without the token or secret, which no GraphError holds). */
  private failed(what: string, entraTenantId: string, e: unknown): GraphError {
    const err = unwrap(e);
    this.opts.log.warn(what, { entraTenantId, status: err.status, code: err.code, problem: err.message });
    return err;
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

/** The GraphError inside what a call threw (our middleware's carrier, or anything else). */
function unwrap(e: unknown): GraphError {
  return e instanceof GraphClientError && e.customError instanceof GraphError ? e.customError : asGraphError(e);
}

/** `/users/{id}` for an Entra object id; anything but a GUID never reaches a URL. */
function userPath(objectId: string): string {
  if (!GUID.test(objectId)) throw new GraphError(`"${objectId.slice(0, 80)}" is not an Entra object id (a GUID)`);
  return `/users/${objectId}`;
}

function catalogId(id: string): string {
  if (!CATALOG_ID.test(id)) throw new GraphError(`"${id.slice(0, 80)}" is not a Teams catalog app id`);
  return id;
}

/** An OData string literal: quoted, with quotes doubled. */
function odataString(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
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

const AVAILABILITIES: ReadonlySet<string> = new Set(GRAPH_AVAILABILITIES);

/** One entry of getPresencesByUserId's `value`, or undefined for one without an id. */
function toGraphPresence(p: unknown): GraphPresence | undefined {
  const x = p as { id?: unknown; availability?: unknown; activity?: unknown } | null;
  if (typeof x?.id !== 'string') return undefined;
  const availability = typeof x.availability === 'string' && AVAILABILITIES.has(x.availability) ? x.availability : 'PresenceUnknown';
  return {
    id: x.id,
    availability: availability as GraphAvailability,
    activity: typeof x.activity === 'string' && x.activity ? x.activity : 'PresenceUnknown',
  };
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
  // A 2xx here is an answer the SDK could not read (not JSON): no refusal, so no status to act on.
  if (status !== undefined && status < 300)
    return new GraphError(`Graph's answer could not be read (${status}): ${String(x.message ?? e).slice(0, 200)}`);
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

/** A request's kind, given to TranslateFailures through the SDK's per-request middleware options. */
class CallKind implements MiddlewareOptions {
  constructor(readonly kind: GraphCallKind) {}
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
    const kind = (context.middlewareControl?.getMiddlewareOptions(CallKind) as CallKind | undefined)?.kind;
    throw wrap(graphAnswerError(res.status, res.headers.get('retry-after'), body, kind));
  }
}

function wrap(e: GraphError): GraphClientError {
  const carrier = new GraphClientError(e.message);
  carrier.customError = e;
  return carrier;
}

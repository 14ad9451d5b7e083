/**
 * What went wrong asking Entra ID for a token or Microsoft Graph for users, presence or Teams apps: the facts (Graph's
 * HTTP status and error code, how long to wait) kept as fields, and a sentence an admin can act
 * on as the message. Neither ever holds the client secret or a token.
 */
import { AuthError, ServerError } from '@azure/msal-node';

/** A failed directory call; `status` is Graph's HTTP status when Graph answered at all. */
export class GraphError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** Graph's `error.code` (`Authorization_RequestDenied`), or Entra ID's (`invalid_client`). */
    readonly code?: string,
    /** From a 429's (or 503's) Retry-After. */
    readonly retryAfterSec?: number,
    /** Graph's own `error.message` (at most 200 characters), for reasons shown to an admin. */
    readonly graphMessage?: string,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

/**
 * Thrown by our msal network module when Entra ID cannot be reached. It is an AuthError because
 * msal rethrows those unchanged and replaces any other error with a bare `network_error`,
 * which would lose the cause (ECONNREFUSED, a timeout) the admin needs to see.
 */
export class EntraUnreachable extends AuthError {
  constructor(readonly reason: string) {
    super('network_error', reason);
    this.name = 'EntraUnreachable';
    Object.setPrototypeOf(this, EntraUnreachable.prototype);
  }
}

const seconds = (ms: number) => `${ms / 1000} s`;

/** Retry-After in whole seconds (a number of seconds or an HTTP date), if there is a usable one. */
export function retryAfterSec(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const n = Number(header);
  if (Number.isFinite(n) && n >= 0) return Math.ceil(n);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** What a Graph call is, for its error messages: the application permission it needs, and what to call it. */
export interface GraphCallKind {
  /** `User.Read.All`: named in a 403's message, since that is what the tenant's admin must grant. */
  permission: string;
  /** `the search`, as in "Graph refused the search". */
  noun: string;
}

/** The directory search's kind, and the default. */
export const USER_SEARCH: GraphCallKind = { permission: 'User.Read.All', noun: 'the search' };

/** A Graph answer that is not 2xx, from its status, Retry-After and `{error:{code,message}}` body. */
export function graphAnswerError(status: number, retryAfter: string | null, body: unknown, call: GraphCallKind = USER_SEARCH): GraphError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const said = typeof error?.message === 'string' ? error.message.slice(0, 200) : undefined;
  const tag = `${status}${code ? ` ${code}` : ''}`;
  const wait = retryAfterSec(retryAfter);
  switch (status) {
    case 401:
      return new GraphError(`Graph refused the app's credentials (${tag})`, status, code, undefined, said);
    case 403:
      return new GraphError(`the app lacks the ${call.permission} application permission (${tag})`, status, code, undefined, said);
    case 429:
      return new GraphError(
        `Graph is throttling (429): ${wait === undefined ? 'retry shortly' : `retry in ${wait} s`}`,
        status,
        code,
        wait,
        said,
      );
    case 400:
      return new GraphError(`Graph refused ${call.noun} (${tag})${said ? `: ${said}` : ''}`, status, code, undefined, said);
    default:
      return status >= 500
        ? new GraphError(`Graph is unavailable (${tag})`, status, code, wait, said)
        : new GraphError(`Graph answered ${tag}${said ? `: ${said}` : ''}`, status, code, undefined, said);
  }
}

/** fetch threw before Graph answered: the deadline passed, or the host could not be reached. */
export function graphFetchError(e: unknown, timeoutMs: number): GraphError {
  if (isTimeout(e)) return new GraphError(`Graph did not answer within ${seconds(timeoutMs)}`);
  return new GraphError(`could not reach Graph: ${causeOf(e)}`);
}

/** msal could not get an app token for the tenant. */
export function tokenError(e: unknown, entraTenantId: string, timeoutMs: number): GraphError {
  if (e instanceof GraphError) return e;
  if (isTimeout(e)) return new GraphError(`Entra ID did not answer within ${seconds(timeoutMs)}`);
  if (e instanceof EntraUnreachable) return new GraphError(`could not reach Entra ID: ${e.reason}`, undefined, e.errorCode);
  if (e instanceof ServerError) {
    const tag = `${e.errorCode}${e.errorNo ? `, AADSTS${e.errorNo}` : ''}`;
    switch (e.errorCode) {
      case 'invalid_client':
        return new GraphError(`Entra ID refused the app's credentials (${tag}): check the client id and secret`, undefined, e.errorCode);
      case 'unauthorized_client':
        return new GraphError(
          `Entra ID does not know the app in tenant ${entraTenantId} (${tag}): an admin of that tenant must consent to it`,
          undefined,
          e.errorCode,
        );
      default:
        return new GraphError(`Entra ID would not issue a token for tenant ${entraTenantId} (${tag})`, undefined, e.errorCode);
    }
  }
  if (e instanceof AuthError) return new GraphError(`could not get a token from Entra ID (${e.errorCode})`, undefined, e.errorCode);
  return new GraphError(`could not get a token from Entra ID: ${e instanceof Error ? e.message : String(e)}`);
}

/** AbortSignal.timeout's DOMException (not always `instanceof Error`: it may come from another realm). */
export function isTimeout(e: unknown): boolean {
  return (e as { name?: unknown } | undefined)?.name === 'TimeoutError';
}

/** The system error code under a fetch failure (`fetch failed` hides it in `cause`). */
export function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string' && cause.message) return cause.message;
  const message = (e as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(e);
}

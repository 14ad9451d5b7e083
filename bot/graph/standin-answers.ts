/**
 * How the Graph stand-in answers: JSON with Graph's error shape, the failures a test queued, and
 * Graph's check of the bearer token (one the stand-in issued).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An answer to give the next Graph call instead of the real one. */
export interface GraphStandInFailure {
  status: number;
  /** Default: Graph's error body for that status. */
  body?: unknown;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
}

/** Issued tokens carry this prefix; Graph's side accepts any bearer token that has it. */
export const TOKEN_PREFIX = 'graph-standin.';

/** Answers the next failure a test queued, if there is one (true then). */
export function failedAsTold(res: ServerResponse, failNext: GraphStandInFailure[] | undefined): boolean {
  const fail = failNext?.shift();
  if (!fail) return false;
  const body = fail.body ?? defaultFailure(fail.status);
  send(res, fail.status, body, fail.retryAfter !== undefined ? { 'retry-after': String(fail.retryAfter) } : {});
  return true;
}

/** Graph's side of the token: a bearer token this stand-in issued, or a 401 (false then). */
export function authorized(req: IncomingMessage, res: ServerResponse): boolean {
  const auth = req.headers.authorization ?? '';
  if (!auth.startsWith('Bearer ')) send(res, 401, graphBody('InvalidAuthenticationToken', 'Access token is empty.'));
  else if (!auth.slice(7).startsWith(TOKEN_PREFIX))
    send(res, 401, graphBody('InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'));
  else return true;
  return false;
}

export function defaultFailure(status: number): unknown {
  switch (status) {
    case 401:
      return graphBody('InvalidAuthenticationToken', 'Access token has expired or is not yet valid.');
    case 403:
      return graphBody('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    case 404:
      return graphBody('Request_ResourceNotFound', 'The user does not exist.');
    case 429:
      return graphBody('TooManyRequests', 'Too many requests.');
    case 503:
      return graphBody('ServiceNotAvailable', 'The service is temporarily unavailable.');
    default:
      return graphBody(status >= 500 ? 'generalException' : 'BadRequest', `Stand-in failure ${status}.`);
  }
}

export function graphBody(code: string, message: string) {
  return { error: { code, message, innerError: { date: '2025-01-01T00:00:00', 'request-id': randomUUID() } } };
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * The restify server: parsing, JSON errors, and the route table. Route modules register thin
 * handlers: parse, authorize, call one use case, present the result.
 */
import restify, { type Request, type Response, type Server } from 'restify';
import type { ZodType } from 'zod';
import { AppError, badRequest, tooLarge, unavailable, type ErrorCode } from '../errors';
import { controlCharProblems, findControlChar } from './text';
import type { Logger } from '../util/log';
import { errorMessage } from '../util/log';

export type { Request, Response, Server };

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Largest JSON body accepted by the API (a chat message is far smaller). */
export const MAX_BODY_BYTES = 64 * 1024;
/** The admin API takes whole tenant documents (thousands of users): 1 MB, still read under the same rules. */
export const MAX_ADMIN_BODY_BYTES = 1024 * 1024;

/** Body types the API reads: JSON (the customer, agent and Bot Framework APIs) and forms (Twilio's webhooks). */
const BODY_TYPES = new Set(['application/json', 'application/x-www-form-urlencoded']);

export function createServer(log: Logger, isStorageUp: () => Promise<boolean>, keepAliveMs: number): Server {
  const server = restify.createServer({ name: 'stratus', handleUncaughtExceptions: false, ignoreTrailingSlash: true });
  // Node closes an idle keep-alive connection after 5 s: a proxy in front that keeps its own for
  // 60 s then sends requests on closed connections (answered 502 by the proxy), and a client whose
  // connections were closed opens new ones when traffic rises. Measured: during a burst of 200 chat
  // starts at 1,000 messages/s, messages on connections opened then waited up to 1 s (p99 0.5 to
  // 1.0 s; 71 to 91 ms with the connections kept; bench:relay BURST=200, README). The headers
  // timeout keeps Node's 60 s: since Node 18.2 it no longer needs to exceed this one, and raising it
  // would only give a slow sender longer. `server.close()` closes idle connections (Node 19+), so
  // a stop does not wait for them.
  server.server.keepAliveTimeout = keepAliveMs;
  server.pre(checkUrl);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // Our own capped reader, then restify's parsers for the two accepted types only. Not
  // restify's bodyParser: it inflates gzip before its size limit applies and writes multipart
  // uploads to the temp folder before any route (or authentication) runs.
  server.use(readBodyCapped);
  server.use(...restify.plugins.jsonBodyParser({ mapParams: false, bodyReader: true } as never));
  server.use(...restify.plugins.urlEncodedBodyParser({ mapParams: false, bodyReader: true } as never));
  // restify's own errors (malformed JSON, body too large, 404, 405) get our JSON shape too.
  server.on(
    'restifyError',
    (_req: Request, _res: Response, err: Error & { statusCode?: number; body?: { code?: string } }, cb: () => void) => {
      const status = err.statusCode ?? 500;
      const code =
        status === 413
          ? 'too_large'
          : status === 404
            ? 'not_found'
            : status === 405
              ? 'method_not_allowed'
              : status === 400
                ? 'invalid_json'
                : String(err.body?.code ?? 'error')
                    .replace(/Error$/, '')
                    .toLowerCase();
      // restify's 404 names the whole path: never echo a (possibly huge or hostile) URL back.
      const message =
        status === 400
          ? `The request body is not valid JSON: ${err.message.slice(0, 200)}`
          : status === 413
            ? `The request body is larger than ${MAX_BODY_BYTES} bytes.`
            : status === 404
              ? 'Nothing here: check the address.'
              : (err.message || 'Request failed.').slice(0, 200);
      (err as unknown as { toJSON: () => unknown }).toJSON = () => ({ error: { code, message } });
      return cb();
    },
  );
  server.on('uncaughtException', (_req: Request, res: Response, _route: unknown, err: Error) => {
    log.error('uncaught exception in handler', { error: errorMessage(err) });
    if (!res.headersSent) res.send(500, { error: { code: 'internal', message: 'Something went wrong on our side.' } });
  });
  (server as unknown as { isStorageUp: () => Promise<boolean> }).isStorageUp = isStorageUp;
  return server;
}

/** Wraps a handler: maps AppError to its status, unknown errors to 503 (storage down) or 500. */
export function handle(log: Logger, isStorageUp: () => Promise<boolean>, fn: (req: Request, res: Response) => Promise<Reply | void>) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const r = await fn(req, res);
      if (r && !res.headersSent) {
        for (const [k, v] of Object.entries(r.headers ?? {})) res.header(k, v);
        // Strings (CSV, HTML, scripts) go out as they are; everything else as JSON.
        if (typeof r.body === 'string') res.sendRaw(r.status ?? 200, r.body);
        else res.send(r.status ?? 200, r.body ?? null);
      }
    } catch (e) {
      let err: AppError;
      if (e instanceof AppError) err = e;
      else if (!(await isStorageUp())) err = unavailable();
      else {
        log.error(`handler failed: ${req.method} ${req.path()}`, { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        err = new AppError(500, 'internal', 'Something went wrong on our side; nothing was lost, try again.');
      }
      if (res.headersSent) return;
      if (err.retryAfter) res.header('Retry-After', String(err.retryAfter));
      res.send(err.status, err.toBody());
    }
  };
}

/** Parses a JSON body with a zod schema; every problem is listed in the 400 answer. */
export function parseBody<T>(req: Request, schema: ZodType<T>): T {
  const raw: unknown = req.body;
  if (raw === undefined || raw === null || typeof raw !== 'object' || Buffer.isBuffer(raw)) {
    if (typeof raw === 'string' || Buffer.isBuffer(raw))
      throw badRequest('invalid_json', 'Send a JSON object with Content-Type: application/json.');
    throw badRequest('invalid_json', 'A JSON object body is required.');
  }
  const control = controlCharProblems(raw);
  if (control.length) throw badRequest('invalid_request', control.join('; '), control);
  const r = schema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    throw badRequest('invalid_request', problems.join('; '), problems);
  }
  return r.data;
}

/** Rejects texts over the limit with 413 (a clear message rather than a silent cut). */
export function checkTextLength(text: string, max: number): void {
  if (text.length > max) throw tooLarge(`A message may have at most ${max} characters; this one has ${text.length}.`);
}

/**
 * Reads a request body into a string, refusing before reading anything that is compressed (a
 * 20 kB gzip inflates to 20 MB), of a type the API does not take (multipart never touches disk),
 * or declared larger than the limit; a body that turns out larger while streaming is cut off at
 * the limit, never buffered whole. A refusal is answered once the rest has been read and
 * dropped (drainThen), within bounds.
 */
function readBodyCapped(req: Request, res: Response, next: (err?: false) => void): void {
  const declared = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!chunked && (declared === undefined || Number(declared) === 0)) return next();
  const refuse = (status: number, code: ErrorCode, message: string) => {
    drainThen(req, (cut) => {
      if (cut) res.header('Connection', 'close');
      res.send(status, { error: { code, message } });
      next(false);
    });
  };
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '')
    return refuse(415, 'unsupported_encoding', `Content-Encoding "${encoding.slice(0, 40)}" is not accepted: send the body uncompressed.`);
  const type = req.getContentType().trim();
  if (!BODY_TYPES.has(type))
    return refuse(
      415,
      'unsupported_media_type',
      `Content-Type "${type.slice(0, 80)}" is not accepted: send application/json (or a form, for webhooks).`,
    );
  const max = req.path().startsWith('/api/admin/') ? MAX_ADMIN_BODY_BYTES : MAX_BODY_BYTES;
  if (Number(declared) > max) return refuse(413, 'too_large', `The request body is larger than ${max} bytes.`);
  const chunks: Buffer[] = [];
  let bytes = 0;
  let done = false;
  const finish = (err?: Error) => {
    if (done) return;
    done = true;
    req.off('data', onData);
    if (err) return refuse(400, 'invalid_request', 'The request body could not be read.');
    req.body = Buffer.concat(chunks).toString('utf8');
    (req as unknown as { _readBody: boolean })._readBody = true;
    next();
  };
  const onData = (chunk: Buffer) => {
    if (done) return;
    bytes += chunk.length;
    if (bytes > max) {
      done = true;
      req.off('data', onData);
      chunks.length = 0;
      return refuse(413, 'too_large', `The request body is larger than ${max} bytes.`);
    }
    chunks.push(chunk);
  };
  req.on('data', onData);
  req.once('end', () => finish());
  req.once('error', (e) => finish(e));
  req.once('aborted', () => {
    done = true;
  });
}

/** What a refused request may still send, read and dropped, before it is answered and cut off. */
const DRAIN_BYTES = 1024 * 1024;
const DRAIN_MS = 2000;

/**
 * Answers a refused request once the client has stopped sending. Answering while its body is
 * still arriving makes Node close the connection with unread data, the kernel then resets it,
 * and the client may lose our answer before reading it; so, as web servers do, the rest of the
 * body is read and dropped (never buffered) first. A body that goes on past 1 MB or 2 s is
 * answered at once and the connection closed (`cut`).
 */
function drainThen(req: Request, answer: (cut: boolean) => void): void {
  if (req.complete) return answer(false);
  let dropped = 0;
  let answered = false;
  const once = (cut: boolean) => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    answer(cut);
  };
  const timer = setTimeout(() => once(true), DRAIN_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_BYTES) once(true);
  });
  req.once('end', () => once(false));
  req.once('error', () => once(true));
  req.resume();
}

/**
 * Refuses URLs whose path or query has invalid percent-encoding or decodes to a control
 * character (a NUL reaches PostgreSQL as a 500 otherwise): 400 before any route runs.
 */
function checkUrl(req: Request, res: Response, next: (err?: false) => void): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const parts: [string, string][] = [['path', q < 0 ? url : url.slice(0, q)]];
  if (q >= 0) for (const kv of url.slice(q + 1).split('&')) for (const s of kv.split('=')) parts.push(['query', s.replace(/\+/g, ' ')]);
  for (const [where, raw] of parts) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      res.send(400, { error: { code: 'invalid_request', message: `The URL's ${where} has invalid percent-encoding.` } });
      return next(false);
    }
    const bad = findControlChar(decoded);
    if (bad) {
      res.send(400, { error: { code: 'invalid_request', message: `The URL's ${where} contains a control character (${bad.char}).` } });
      return next(false);
    }
  }
  next();
}

export function param(req: Request, name: string): string {
  const v = (req.params as Record<string, string | undefined>)[name];
  if (!v) throw badRequest('invalid_request', `missing path parameter ${name}`);
  return v;
}

export function query(req: Request, name: string): string | undefined {
  const q = req.query as Record<string, unknown> | undefined;
  const v = q?.[name];
  // `?service=a&service=b` (or `service[x]=a`) is ambiguous: answered 400, never read as "not given" (which can mean "all").
  if (v !== undefined && typeof v !== 'string') throw badRequest('invalid_request', `${name}: give it once, as plain text`);
  return v;
}

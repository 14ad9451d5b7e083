/**
 * The Web Request activity's I/O: the engine asks for a call (a `webRequest` effect), the runner
 * schedules a job, and this handler makes the HTTP call outside any transaction, then feeds the
 * answer back to the workflow. A crash between the two repeats the call (at least once), so a
 * workflow author should call idempotent endpoints, as with any webhook.
 *
 * The URL comes from a workflow (with customer values in it), so the call is hardened against
 * server-side request forgery: every hop's host is resolved once, each address is classified
 * (web-request-policy.ts) and the socket connects to the address that was checked, never to a
 * second lookup (DNS rebinding). Redirects are followed by hand, each one checked again. The
 * answer is streamed with a byte cap and the whole call has a deadline under the job lease.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { WebRequestSettings } from '@stratus/shared/tenant/model';
import type { WorkflowEffect } from '@stratus/shared/workflow/engine';
import { JOB_LEASE_MS, type Job, type JobResult } from '../scheduler/jobs';
import { errorMessage } from '../util/log';
import { lockTaskAndConversation } from '../store/locks';
import type { Runtime } from '../runtime/runtime';
import { inTx } from '../runtime/uow';
import { classifyAddress, hostAllowed, normalHost } from './web-request-policy';
import { resumeTaskWorkflow } from './workflow-runner';

type WebRequestEffect = Extract<WorkflowEffect, { type: 'webRequest' }>;
type WebAnswer = { ok: boolean; status?: number; body?: string };

/** Largest answer body kept for the workflow: reading stops (the connection is closed) past it. */
export const MAX_BODY = 256 * 1024;
/** Redirects followed, each one checked like the first request. */
export const MAX_REDIRECTS = 5;
/** Deadline of one call, every hop included: well under the job lease, so a call never outlives its claim. */
export const MAX_CALL_MS = JOB_LEASE_MS - 10_000;

/** A resolved address, as node:dns answers. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface WebRequestOptions {
  /** Resolves a host name to every address it has (default: the system resolver). */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
  /**
   * Lets through an address the strict policy refuses. Tests use it to reach a local endpoint;
   * production leaves it unset.
   */
  allowAddress?: (address: string, host: string) => boolean;
}

/** A call refused before or during the exchange; its message says why (never the answer's body). */
export class WebRequestRefused extends Error {}

const systemResolve = (host: string): Promise<ResolvedAddress[]> => dnsLookup(host, { all: true, verbatim: true });

/** Rejects when the signal fires, so a slow DNS answer cannot outlive the deadline. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new WebRequestRefused('timed out'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function checkUrl(raw: string | URL): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebRequestRefused('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebRequestRefused(`scheme ${url.protocol} is not allowed`);
  if (url.username || url.password) throw new WebRequestRefused('URLs with credentials are not allowed');
  return url;
}

/** Resolves the URL's host and checks every address; answers the one to connect to. */
async function vetTarget(
  url: URL,
  settings: WebRequestSettings | undefined,
  opts: WebRequestOptions,
  signal: AbortSignal,
): Promise<ResolvedAddress> {
  const host = normalHost(url.hostname);
  if (settings?.allowedHosts && !hostAllowed(host, settings.allowedHosts))
    throw new WebRequestRefused(`host ${host} is not in the tenant's allowed hosts`);
  const family = isIP(host);
  const addresses = family ? [{ address: host, family }] : await raceAbort((opts.resolve ?? systemResolve)(host), signal);
  if (addresses.length === 0) throw new WebRequestRefused(`host ${host} has no address`);
  // Every address must pass, not just the first: the connection could go to any of them.
  const privateOk = settings?.allowPrivateNetworks === true && settings.allowedHosts !== undefined;
  for (const a of addresses) {
    const c = classifyAddress(a.address);
    const allowed = c.kind === 'public' || (c.kind === 'private' && privateOk) || opts.allowAddress?.(a.address, host) === true;
    if (!allowed) throw new WebRequestRefused(`host ${host} resolves to ${a.address} (${c.range})`);
  }
  return addresses[0]!;
}

/** Sends one request over a socket connected to `target` (no lookup of its own, no pooled socket). */
function send(
  url: URL,
  target: ResolvedAddress,
  method: string,
  headers: OutgoingHttpHeaders,
  body: string | undefined,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const pinned: LookupFunction = (_host, options, cb) => {
    if (options.all) cb(null, [{ address: target.address, family: target.family }]);
    else cb(null, target.address, target.family);
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        signal,
        agent: false,
        lookup: pinned,
        // Identity only: the cap counts the bytes the workflow gets, and nothing is inflated behind it.
        headers: {
          ...headers,
          'accept-encoding': 'identity',
          ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      resolve,
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Reads at most `max` bytes, then closes the connection rather than reading the rest. */
function readCapped(res: IncomingMessage, max: number, signal: AbortSignal): Promise<{ text: string; cut: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (cut: boolean) => {
      signal.removeEventListener('abort', onAbort);
      resolve({ text: Buffer.concat(chunks).toString('utf8'), cut });
    };
    const onAbort = () => {
      res.destroy();
      reject(new WebRequestRefused('timed out'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    res.on('data', (chunk: Buffer) => {
      if (size + chunk.length >= max) {
        chunks.push(chunk.subarray(0, max - size));
        size = max;
        res.destroy();
        return done(true);
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    res.on('end', () => done(false));
    res.on('error', (e) => {
      signal.removeEventListener('abort', onAbort);
      reject(e);
    });
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that carry credentials: not sent on to another origin. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** Makes the call under the policy; throws WebRequestRefused (or a network error) when it cannot. */
export async function safeCall(
  req: WebRequestEffect,
  settings: WebRequestSettings | undefined,
  opts: WebRequestOptions = {},
): Promise<WebAnswer & { cut?: boolean }> {
  const ms = Math.max(1, Math.min(req.timeoutMs, MAX_CALL_MS));
  const signal = AbortSignal.timeout(ms);
  try {
    return await exchange(req, settings, opts, signal);
  } catch (e) {
    if (signal.aborted) throw new WebRequestRefused(`timed out after ${ms} ms`);
    throw e;
  }
}

/** The call hop by hop: each redirect is resolved and checked like the first request. */
async function exchange(
  req: WebRequestEffect,
  settings: WebRequestSettings | undefined,
  opts: WebRequestOptions,
  signal: AbortSignal,
): Promise<WebAnswer & { cut?: boolean }> {
  let url = checkUrl(req.url);
  let method: string = req.method;
  let body = req.body !== undefined && req.method !== 'GET' ? req.body : undefined;
  let headers: Record<string, string> = { ...req.headers };
  for (let hop = 0; ; hop++) {
    const target = await vetTarget(url, settings, opts, signal);
    const res = await send(url, target, method, headers, body, signal);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (!REDIRECTS.has(status) || !location) {
      const { text, cut } = await readCapped(res, MAX_BODY, signal);
      return { ok: status >= 200 && status <= 299, status, body: text, ...(cut ? { cut } : {}) };
    }
    res.destroy();
    if (hop >= MAX_REDIRECTS) throw new WebRequestRefused(`more than ${MAX_REDIRECTS} redirects`);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new WebRequestRefused('redirect to an invalid URL');
    }
    next = checkUrl(next);
    if (next.origin !== url.origin)
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.has(k.toLowerCase())));
    // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
    if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'content-type'));
    }
    url = next;
  }
}

/** The job handler: strict by default; `opts` lets tests reach a local endpoint explicitly. */
export function webRequestHandler(rt: Runtime, opts: WebRequestOptions = {}): (job: Job) => Promise<JobResult> {
  return async (job) => {
    const { taskId, request } = job.payload as { taskId: string; request: WebRequestEffect };
    const settings = rt.tenants.tenant(job.tenantId)?.webRequests;
    const answer: WebAnswer = await safeCall(request, settings, opts).then(
      ({ cut, ...a }) => {
        if (cut) rt.log.warn(`web request answer cut at ${MAX_BODY} bytes`, { taskId, requestId: request.requestId });
        return a;
      },
      (e: unknown) => {
        // The reason only (host and address, never the body): the workflow takes its failure exit.
        rt.log.warn('web request failed', { taskId, requestId: request.requestId, reason: errorMessage(e) });
        return { ok: false };
      },
    );
    await inTx(rt, async (u) => {
      // Conversation, then task (LOCK ORDER, locks.ts).
      const locked = await lockTaskAndConversation(u.tx, job.tenantId, taskId);
      if (!locked?.row.workflow) return;
      const { row, conv } = locked;
      await resumeTaskWorkflow(u, conv, row.task, row.workflow, { type: 'webResponse', requestId: request.requestId, ...answer });
    });
  };
}

/**
 * Test harness: the real server in-process on an ephemeral port with an in-memory PGlite (or the
 * PostgreSQL in DATABASE_URL), driven over HTTP, WebSocket and SSE as clients would.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { sql } from 'drizzle-orm';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { createApp, type App, type AppOptions } from '../app';
import { loadConfig, type Config } from '../config';
import { createLogger } from '../util/log';

/** The secret key test servers seal tenant secrets with (32 bytes, base64). */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

export interface Harness {
  app: App;
  url: string;
  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; data: T; headers: Headers }>;
  devToken(upn: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A new, empty database next to the one in DATABASE_URL, so suites running in parallel on one
 * PostgreSQL never see each other's rows. `drop` removes it.
 */
export async function freshDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `stratus_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await c.end();
    },
  };
}

export async function startHarness(
  opts: { tenants?: TenantConfig[]; env?: Record<string, string>; app?: Partial<AppOptions> } = {},
): Promise<Harness> {
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'error',
    // Required outside dev mode; the same for every instance a test starts on one database.
    STRATUS_SECRET_KEY: TEST_SECRET_KEY,
    ...opts.env,
  };
  let fresh: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  if (process.env.DATABASE_URL && opts.env?.DATABASE_URL === undefined) {
    fresh = await freshDatabase(process.env.DATABASE_URL);
    env.DATABASE_URL = fresh.url;
  }
  const config: Config = loadConfig(env);
  const app = await createApp({
    config,
    tenants: opts.tenants,
    log: createLogger('error'),
    schedulerIntervalMs: 50,
    distributionPeriodMs: 500,
    busPollMs: 200,
    ...opts.app,
  });
  const url = await app.start(0, '127.0.0.1');
  const call: Harness['call'] = async (method, path, body, token, headers = {}) => {
    const r = await fetch(url + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await r.text();
    let data: any;
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
    return { status: r.status, data, headers: r.headers };
  };
  return {
    app,
    url,
    call,
    devToken: async (upn) => (await call('POST', '/api/dev/token', { upn })).data.token,
    stop: async () => {
      await app.stop();
      await fresh?.drop();
    },
  };
}

/** Polls until `fn` returns a truthy value (or fails after `ms`). */
export async function waitFor<T>(what: string, fn: () => Promise<T> | T, ms = 8000): Promise<NonNullable<T>> {
  const t0 = Date.now();
  let last: unknown;
  while (Date.now() - t0 < ms) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/**
 * Waits until the task is offered (the start's own distribution pass has run): a test that then
 * changes the chat is not raced by that pass.
 */
export async function waitForOffered(h: Harness, taskId: string): Promise<void> {
  await waitFor(`task ${taskId} offered`, async () => {
    const r = (await h.app.rt.store.db.execute(sql`select state from tasks where id = ${taskId}`)) as unknown as {
      rows: { state: string }[];
    };
    return r.rows[0]?.state === 'offered' || undefined;
  });
}

/**
 * Waits until one of `agents` (their tokens) is offered a chat `match` picks in its My Sessions (by
 * the customer's display name, or any test of the session), accepts it, and answers the session's
 * id and the token of the agent who accepted.
 */
export async function acceptOffer(
  h: Harness,
  agents: string | readonly string[],
  match: string | ((session: any) => boolean),
): Promise<{ id: string; token: string }> {
  const picks = typeof match === 'string' ? (s: any) => s.customer?.displayName === match : match;
  const offer = await waitFor(`an offer${typeof match === 'string' ? ` for ${match}` : ''}`, async () => {
    for (const token of typeof agents === 'string' ? [agents] : agents) {
      const sessions = (await h.call('GET', '/api/agent/sessions', undefined, token)).data.sessions as any[] | undefined;
      const s = sessions?.find((x) => x.state === 'offered' && picks(x));
      if (s) return { id: s.id as string, token };
    }
    return undefined;
  });
  const accepted = await h.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, offer.token);
  if (accepted.status !== 200) throw new Error(`accepting ${offer.id} answered ${accepted.status}: ${JSON.stringify(accepted.data)}`);
  return offer;
}

/**
 * A customer's live socket collecting frames: the token goes in the first frame, never the URL;
 * resolves once the server has authenticated it and replayed (its first state frame).
 */
export async function openCustomerSocket(
  url: string,
  chatId: string,
  token: string,
  after = 0,
  origin?: string,
): Promise<{ ws: WebSocket; frames: any[] }> {
  const frames: any[] = [];
  const ws = new WebSocket(
    `${url.replace('http', 'ws')}/api/interact/chats/${chatId}/live?after=${after}`,
    origin ? { headers: { origin } } : {},
  );
  await new Promise<void>((res, rej) => {
    ws.on('message', (d) => {
      const f = JSON.parse(String(d));
      frames.push(f);
      if (f.type === 'state') res();
    });
    ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
    ws.once('error', rej);
    ws.once('close', (code, reason) => rej(new Error(`closed ${code} ${String(reason)}`)));
    ws.once('unexpected-response', (_req, r) => rej(new Error(`HTTP ${r.statusCode}`)));
  });
  return { ws, frames };
}

/** Reads an agent's SSE stream, collecting parsed events with their ids. */
export function openAgentStream(
  url: string,
  token: string,
  lastEventId?: string,
): { events: { id: number; data: any }[]; close(): void; ready: Promise<void> } {
  return openStream(url, '/api/agent/events', token, lastEventId);
}

/** Reads a server-sent-event stream at `path` (the supervisor's too), collecting parsed events with their ids. */
export function openStream(
  url: string,
  path: string,
  token: string,
  lastEventId?: string,
): { events: { id: number; data: any }[]; close(): void; ready: Promise<void>; ended: Promise<void> } {
  const events: { id: number; data: any }[] = [];
  const ctrl = new AbortController();
  let markEnded = () => {};
  const ended = new Promise<void>((r) => (markEnded = r));
  const ready = (async () => {
    const r = await fetch(`${url}${path}`, {
      headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      signal: ctrl.signal,
    });
    if (!r.ok || !r.body) throw new Error(`stream ${r.status}`);
    const reader = r.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return markEnded();
          buf += dec.decode(value, { stream: true });
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            let id = 0;
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('id: ')) id = Number(line.slice(4));
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (data) events.push({ id, data: JSON.parse(data) });
          }
        }
      } catch {
        /* aborted by close() */
        markEnded();
      }
    })();
  })();
  return { events, close: () => ctrl.abort(), ready, ended };
}

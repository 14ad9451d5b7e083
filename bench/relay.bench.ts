/**
 * Relay latency and throughput against the embedded default (PGlite): the server runs as its own
 * process (`node --import tsx bot/main.ts`), this process plays 1,000 customers (REST posts and a
 * live WebSocket each) and their agents (one server-sent-event stream per agent). Latency is from a
 * customer's send to the event on the agent's stream, measured after a warm-up of one message per
 * conversation (WARMUP=0 measures from cold). The last line is one JSON object.
 *
 *   npm run bench:relay            (CONVERSATIONS=1000 RATE=500 DURATION_S=10 by default; BENCH_DATABASE_URL=postgres://... runs it on PostgreSQL)
 *
 * Diagnostics: BENCH_TIMELINE=1 prints p50/p99 per second; PROF_DIR=dir writes the server's CPU
 * profile; SERVER_NODE_ARGS='--trace-gc' with SERVER_STDOUT=file passes flags and keeps its output.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { demoTenant } from '../shared/tenant/demo';

const CONVERSATIONS = Number(process.env.CONVERSATIONS ?? 1000);
const RATE = Number(process.env.RATE ?? 500);
const DURATION_S = Number(process.env.DURATION_S ?? 10);
const root = resolve(__dirname, '..');

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over `items` with at most `n` at once. */
async function pool<T, R>(items: T[], n: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  }));
  return out;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-relay-'));
  // One agent per conversation, so every conversation has its own agent stream.
  const t = demoTenant();
  const users = Array.from({ length: CONVERSATIONS }, (_, i) => ({ id: `a${i}`, upn: `a${i}@contoso.com`, displayName: `Agent ${i}`, licenses: ['im'] }));
  const support = t.services[0]!;
  const tenant = {
    id: t.id, name: t.name, entraTenantId: t.entraTenantId, twilio: t.twilio, users,
    services: [{ id: 'support', name: 'Support', licenses: support.licenses, members: users.map((u) => u.id), im: { enabled: true, workflowId: 'default-im', interact: { code: 'support', allowedOrigins: [] }, distribution: { maxConcurrentIm: 1, offerTimeoutSec: 600 } } }],
  };
  writeFileSync(join(dir, 'tenant.json'), JSON.stringify(tenant));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [...(process.env.PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROF_DIR] : []), ...(process.env.SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', 'bot/main.ts'], {
    cwd: root, stdio: ['ignore', process.env.SERVER_STDOUT ? openSync(process.env.SERVER_STDOUT, 'w') : 'ignore', 'inherit'],
    env: { ...process.env, PORT: String(port), DATA_DIR: process.env.BENCH_DATA_DIR ?? join(dir, 'data'), STRATUS_CONFIG: join(dir, 'tenant.json'), LOG_LEVEL: 'error', INTERACT_RATE_LIMIT_SCALE: '0', DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '' },
  });
  const rss = () => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : 0;
    } catch {
      return 0;
    }
  };
  const serverCpuMs = () => {
    try {
      const f = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
    } catch {
      return NaN;
    }
  };
  try {
    for (let i = 0; ; i++) {
      if (i > 600) throw new Error('server did not start');
      try {
        if ((await fetch(`${base}/readyz`)).ok) break;
      } catch {
        /* not yet */
      }
      await sleep(100);
    }
    // node:http with keep-alive rather than fetch: the load generator shares the machine with the
    // server, so it should cost as little CPU as it can (fetch costs about twice as much per post).
    const agent = new http.Agent({ keepAlive: true, maxSockets: 200 });
    const request = (method: string, path: string, body: string | undefined, token?: string) => new Promise<{ status: number; text: string }>((res, rej) => {
      const req = http.request(base + path, { method, agent, headers: { ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) } }, (r) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (text += c));
        r.on('end', () => res({ status: r.statusCode ?? 0, text }));
        r.on('error', rej);
      });
      req.on('error', rej);
      req.end(body);
    });
    const post = async (path: string, body: unknown, token?: string) => {
      for (let attempt = 0; ; attempt++) {
        // Every post here is idempotent (client message ids), so a reset connection is retried.
        const r = await request('POST', path, JSON.stringify(body), token).catch((e: unknown) => {
          if (attempt >= 3) throw e;
          return undefined;
        });
        if (!r) continue;
        if (r.status === 503) {
          await sleep(50);
          continue;
        }
        if (r.status >= 300) throw new Error(`${path}: ${r.status} ${r.text}`);
        return JSON.parse(r.text);
      }
    };
    const t0 = Date.now();
    const tokens = await pool(users, 50, async (u) => (await post('/api/dev/token', { upn: u.upn })).token as string);
    const chats = await pool(users, 50, async (_u, i) => post('/api/interact/support/chats', { displayName: `Customer ${i}`, email: `c${i}@example.com`, privacyAccepted: true }) as Promise<{ chatId: string; token: string }>);
    console.log(`setup: ${CONVERSATIONS} agents and chats in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // Agent streams: record the time each customer message arrives.
    const arrived = new Map<string, number>();
    const streams: http.ClientRequest[] = [];
    let delivered = 0;
    await pool(tokens, 100, (token) => new Promise<void>((res, rej) => {
      const req = http.get(`${base}/api/agent/events`, { headers: { authorization: `Bearer ${token}` } }, (r) => {
        let buf = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => {
          buf += chunk;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            if (!block.includes('"bench-')) continue;
            const line = block.split('\n').find((l) => l.startsWith('data: '));
            if (!line) continue;
            const e = JSON.parse(line.slice(6));
            if (e.type === 'message' && e.message.from === 'customer' && !arrived.has(e.message.clientMessageId)) {
              arrived.set(e.message.clientMessageId, performance.now());
              delivered += 1;
            }
          }
        });
        r.on('error', () => undefined);
        res();
      });
      req.on('error', rej);
      streams.push(req);
    }));
    // Wait until every agent holds an offer, then accept.
    const offers = await pool(tokens, 50, async (token) => {
      for (;;) {
        const r = await fetch(`${base}/api/agent/sessions`, { headers: { authorization: `Bearer ${token}` } });
        const s = ((await r.json()) as any).sessions.find((x: any) => x.state === 'offered');
        if (s) return { token, id: s.id as string };
        await sleep(200);
      }
    });
    await pool(offers, 50, async (o) => post(`/api/agent/sessions/${o.id}/accept`, {}, o.token));
    // Customer sockets.
    const sockets = await pool(chats, 100, (c) => new Promise<WebSocket>((res, rej) => {
      // The token goes in the first frame, not the URL; the first frame back (replay, state) means authenticated.
      const ws = new WebSocket(`${base.replace('http', 'ws')}/api/interact/chats/${c.chatId}/live`);
      ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token: c.token })));
      ws.once('message', () => res(ws));
      ws.once('error', rej);
      ws.once('close', (code) => rej(new Error(`customer socket closed ${code}`)));
    }));
    console.log(`connected: ${sockets.length} customer sockets, ${streams.length} agent streams, all sessions accepted (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

    // Let the setup's after-effects (distribution passes after 1,000 accepts) finish: measure the steady state.
    for (let quiet = 0, i = 0; quiet < 5 && i < 200; i++) {
      const t = performance.now();
      await fetch(`${base}/healthz`);
      quiet = performance.now() - t < 5 ? quiet + 1 : 0;
      await sleep(200);
    }
    // Warm-up, not measured: one message per conversation (first-use caches, JIT), then settle.
    const warm = Number(process.env.WARMUP ?? 1);
    if (warm) {
      await pool(chats, 20, async (c, i) => post(`/api/interact/chats/${c.chatId}/messages`, { text: `warm-up ${i}`, clientMessageId: `warm-${i}` }, c.token));
      await sleep(2000);
      console.log(`warm-up: one message per conversation sent (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    // Load: RATE messages per second spread over the conversations, for DURATION_S.
    const sentAt = new Map<string, number>();
    const total = RATE * DURATION_S;
    const cpu0 = { server: serverCpuMs(), client: process.cpuUsage() };
    const start = performance.now();
    let sent = 0;
    let failures = 0;
    const inflight = new Set<Promise<void>>();
    while (sent < total) {
      const due = Math.floor(((performance.now() - start) / 1000) * RATE);
      while (sent < Math.min(due, total)) {
        const i = sent % CONVERSATIONS;
        const chat = chats[i]!;
        const id = `bench-${sent}`;
        sent += 1;
        sentAt.set(id, performance.now());
        const p = post(`/api/interact/chats/${chat.chatId}/messages`, { text: `message ${id}`, clientMessageId: id }, chat.token).then(() => undefined, () => void (failures += 1));
        inflight.add(p);
        void p.finally(() => inflight.delete(p));
      }
      await sleep(2);
    }
    await Promise.all(inflight);
    const loadMs = performance.now() - start;
    const clientCpu = process.cpuUsage(cpu0.client);
    console.log(`cpu during load: server ${((100 * (serverCpuMs() - cpu0.server)) / loadMs).toFixed(0)}%, bench client ${((100 * (clientCpu.user + clientCpu.system)) / 1000 / loadMs).toFixed(0)}% of one core`);
    const deadline = performance.now() + 15_000;
    while (delivered < total && performance.now() < deadline) await sleep(20);
    const elapsed = (Math.max(...arrived.values()) - start) / 1000;
    const lat = [...sentAt.entries()].flatMap(([id, t]) => (arrived.has(id) ? [arrived.get(id)! - t] : [])).sort((a, b) => a - b);
    const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((lat.length * p) / 100))] ?? NaN;
    const memory = rss();
    if (process.env.BENCH_TIMELINE) {
      const bySec = new Map<number, number[]>();
      for (const [id, t] of sentAt) {
        const a = arrived.get(id);
        if (a === undefined) continue;
        const k = Math.floor((t - start) / 1000);
        bySec.set(k, [...(bySec.get(k) ?? []), a - t]);
      }
      for (const [k, l] of [...bySec].sort((x, y) => x[0] - y[0])) {
        l.sort((x, y) => x - y);
        console.log(`second ${k}: p50 ${l[Math.floor(l.length / 2)]?.toFixed(1)} ms, p99 ${l[Math.floor(l.length * 0.99)]?.toFixed(1)} ms`);
      }
    }
    console.log(`relay: ${CONVERSATIONS} conversations, ${sent} messages offered at ${RATE}/s, ${delivered} delivered to agent streams, ${failures} failed posts`);
    console.log(`latency p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${lat.at(-1)?.toFixed(1)} ms; ${(delivered / elapsed).toFixed(0)} msgs/s; server RSS ${memory.toFixed(0)} MB`);
    console.log(JSON.stringify({ bench: 'relay', conversations: CONVERSATIONS, messages: delivered, p50_ms: Number(pct(50).toFixed(2)), p99_ms: Number(pct(99).toFixed(2)), msgs_per_s: Math.round(delivered / elapsed), rss_mb: Math.round(memory) }));
    for (const s of sockets) s.close();
    for (const r of streams) r.destroy();
    agent.destroy();
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

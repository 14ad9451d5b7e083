/**
 * Relay latency and throughput: the server runs as its own process (`node --import tsx bot/main.ts`),
 * this process plays 1,000 customers (REST posts and a live WebSocket each) and their agents (one
 * server-sent-event stream per agent). Latency is from a customer's send to the event on the agent's
 * stream, measured after a warm-up of one message per conversation (WARMUP=0 measures from cold).
 * The last line is one JSON object.
 *
 *   npm run bench:relay            (CONVERSATIONS=1000 RATE=500 DURATION_S=10 by default; BENCH_DATABASE_URL=postgres://... runs it on PostgreSQL)
 *
 * Scale-out: INSTANCES=N (with BENCH_DATABASE_URL for N > 1) starts N servers on one scratch
 * database created on BENCH_DATABASE_URL's server (dropped at the end). Agent k's stream is on
 * instance k % N and the customer it serves posts (and holds its socket) on the instance before it,
 * so with N > 1 every message crosses instances. It then runs a stepped search, RATES (default 250,
 * 500, 750, … up to MAX_RATE=5000) for DURATION_S each, stopping at the first step whose p99 is over
 * P99_MS=25 or that loses or fails a message, and reports the highest rate that passed.
 *
 * Side by side: BASELINE=../shared/bench/relay-baseline.mjs also starts that bare relay (one INSERT into
 * its own PGlite, then the stream write) and runs the same stepped search against Stratus and it,
 * alternating at every rate, then prints the highest rate each holds at p99 <= P99_MS and the ratio:
 * `{"bench":"relay-compare","stratus_max_rate":X,"baseline_max_rate":X,"ratio":X}`.
 *
 * A campaign during the load: BURST=N (one run at RATE only) adds N agents, off duty while the chats
 * are set up, then on duty with room for one chat each; halfway through the load N customers start
 * a chat within one second (bench/support/burst.ts). It prints their start-to-offer times and the
 * relay's p99 over the messages sent from the burst's first start to its last offer:
 * `{"bench":"relay-burst","rate","burst","offered","offer_p50_ms","offer_p99_ms","relay_p99_during_ms","relay_p99_ms"}`.
 *
 * PRESENCE=1 turns on the Teams presence poll for every agent against a local Graph stand-in.
 * Diagnostics: BENCH_TIMELINE=1 prints p50/p99 per second; PROF_DIR=dir writes the servers' CPU
 * profiles; SERVER_NODE_ARGS='--trace-gc' with SERVER_STDOUT=file passes flags and keeps the (first) server's output.
 */
import type http from 'node:http';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import WebSocket from 'ws';
import { benchObjectId, benchTenant } from './support/tenant';
import { setPresence, startGraphStandIn } from '../bot/graph/graph-standin';
import { Burst, type BurstResult } from './support/burst';
import { BenchClient, openAgentEvents, pool } from './support/client';
import { BenchServer, freePort, root, scratchDatabase, sleep } from './support/server';
import { percentile } from './support/stats';

const CONVERSATIONS = Number(process.env.CONVERSATIONS ?? 1000);
const RATE = Number(process.env.RATE ?? 500);
const DURATION_S = Number(process.env.DURATION_S ?? 10);
/** Set: the scale-out search; unset: one run at RATE with the original output. */
const SCALE_OUT = process.env.INSTANCES !== undefined;
const INSTANCES = Number(process.env.INSTANCES ?? 1);
const P99_LIMIT_MS = Number(process.env.P99_MS ?? 25);
const MAX_RATE = Number(process.env.MAX_RATE ?? 5000);
const PRESENCE = process.env.PRESENCE === '1';
/** Chat starts during the load (a campaign): 0 for none. */
const BURST = Number(process.env.BURST ?? 0);
/** The bare relay to compare with (`../shared/bench/relay-baseline.mjs`): turns on the side-by-side search. */
const BASELINE = process.env.BASELINE ? resolvePath(process.env.BASELINE) : undefined;
const RATES = process.env.RATES
  ? process.env.RATES.split(',').map(Number)
  : Array.from({ length: Math.floor(MAX_RATE / 250) }, (_, i) => 250 * (i + 1));
/** How long to wait for the last messages of a step to reach the agent streams. */
const DRAIN_MS = 15_000;

interface StepResult {
  rate: number;
  sent: number;
  delivered: number;
  failures: number;
  offeredPerS: number;
  msgsPerS: number;
  p50: number;
  p99: number;
  max: number;
  serverCpu: number[];
  /** Server CPU (all instances) per message sent, in ms. */
  serverCpuMsPerMsg: number;
  clientCpu: number;
  timeline: string[];
  /** Each delivered message: when it was sent (performance.now()) and its latency. */
  samples: { sentAt: number; ms: number; answeredMs: number }[];
}

function checkArgs(): void {
  const problems = [
    ...(!Number.isInteger(INSTANCES) || INSTANCES < 1 || INSTANCES > 16 ? ['INSTANCES must be an integer from 1 to 16'] : []),
    ...(INSTANCES > 1 && !process.env.BENCH_DATABASE_URL
      ? ['INSTANCES > 1 needs BENCH_DATABASE_URL (instances share one PostgreSQL)']
      : []),
    ...(BASELINE && !existsSync(BASELINE) ? [`BASELINE: no file at ${BASELINE}`] : []),
    ...(!(CONVERSATIONS >= 1 && CONVERSATIONS <= 20_000) ? ['CONVERSATIONS must be from 1 to 20000'] : []),
    ...(!(DURATION_S > 0 && DURATION_S <= 600) ? ['DURATION_S must be from 1 to 600'] : []),
    ...(!(Number.isInteger(BURST) && BURST >= 0 && BURST <= 5000) ? ['BURST must be an integer from 0 to 5000'] : []),
    ...(BURST && (SCALE_OUT || BASELINE) ? ['BURST runs with one instance at RATE only (not with INSTANCES or BASELINE)'] : []),
    ...(RATES.some((r) => !(r > 0 && r <= 50_000)) || !RATES.length ? ['RATES must be rates from 1 to 50000 msg/s'] : []),
  ];
  if (problems.length) {
    console.error(`bench:relay: ${problems.join('; ')}`);
    process.exit(2);
  }
}

/** One relay under test (Stratus's instances, or the bare relay): its chats accepted, its streams open, warmed up. */
interface Relay {
  servers: BenchServer[];
  runStep(rate: number, prefix: string): Promise<StepResult>;
  /** Customer messages that reached an agent stream (warm-up included). */
  delivered(): number;
  /** Share of the bench messages that were delivered on another instance than they were posted on. */
  crossShare(): number;
  close(): void;
}

/**
 * Signs in one agent per user, starts a chat per user, waits for every offer and accepts it, opens
 * the customers' sockets and the agents' streams, lets the setup settle and warms up.
 */
async function setUpRelay(servers: BenchServer[], users: { upn: string }[], label = ''): Promise<Relay> {
  const clients = servers.map((s) => new BenchClient(s.base));
  const N = servers.length;
  const c0 = clients[0]!;

  const t0 = Date.now();
  const tokens = await pool(users, 50, async (u) => (await c0.post('/api/dev/token', { upn: u.upn })).token as string);
  const chats = await pool(
    users,
    50,
    async (_u, i) =>
      clients[i % N]!.post('/api/interact/support/chats', {
        displayName: `Customer ${i}`,
        email: `c${i}@example.com`,
        privacyAccepted: true,
      }) as Promise<{ chatId: string; token: string }>,
  );
  console.log(`${label}setup: ${CONVERSATIONS} agents and chats in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // Agent streams, agent k on instance k % N: record when each customer message arrives, and where.
  const arrived = new Map<string, { at: number; instance: number }>();
  const streams: http.ClientRequest[] = [];
  let delivered = 0;
  await pool(tokens, 100, async (token, k) => {
    const instance = k % N;
    const req = await openAgentEvents(servers[instance]!.base, token, '"bench-', (e) => {
      if (e.type === 'message' && e.message.from === 'customer' && !arrived.has(e.message.clientMessageId)) {
        arrived.set(e.message.clientMessageId, { at: performance.now(), instance });
        delivered += 1;
      }
    });
    streams.push(req);
  });
  // Wait until every agent holds an offer (at most 5 minutes), then accept; note who serves whom.
  const offerDeadline = Date.now() + 300_000;
  const offers = await pool(tokens, 50, async (token, k) => {
    while (Date.now() < offerDeadline) {
      const s = (await clients[k % N]!.get('/api/agent/sessions', token)).sessions.find((x: any) => x.state === 'offered');
      if (s) return { token, k, id: s.id as string, chat: Number(/^Customer (\d+)$/.exec(s.customer.displayName)?.[1]) };
      await sleep(200);
    }
    throw new Error(`agent a${k} got no offer within 5 minutes`);
  });
  await pool(offers, 50, async (o) => clients[o.k % N]!.post(`/api/agent/sessions/${o.id}/accept`, {}, o.token));
  // Customer i posts and listens on the instance before its agent's stream (the same one with N = 1).
  const home: number[] = new Array(CONVERSATIONS).fill(0);
  for (const o of offers) if (Number.isInteger(o.chat)) home[o.chat] = ((o.k % N) + N - 1) % N;
  const sockets = await pool(
    chats,
    100,
    (c, i) =>
      new Promise<WebSocket>((res, rej) => {
        // The token goes in the first frame, not the URL; the first frame back (replay, state) means authenticated.
        const ws = new WebSocket(`${servers[home[i]!]!.base.replace('http', 'ws')}/api/interact/chats/${c.chatId}/live`);
        const t = setTimeout(() => rej(new Error('customer socket not authenticated within 30 s')), 30_000);
        ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token: c.token })));
        ws.once('message', () => (clearTimeout(t), res(ws)));
        ws.once('error', rej);
        ws.once('close', (code) => rej(new Error(`customer socket closed ${code}`)));
      }),
  );
  console.log(
    `${label}connected: ${sockets.length} customer sockets, ${streams.length} agent streams, all sessions accepted (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );

  // Let the setup's after-effects (distribution passes after 1,000 accepts) finish: measure the steady state.
  for (let quiet = 0, i = 0; quiet < 5 && i < 200; i++) {
    const t = performance.now();
    await Promise.all(servers.map((s) => fetch(`${s.base}/healthz`)));
    quiet = performance.now() - t < 5 * N ? quiet + 1 : 0;
    await sleep(200);
  }
  // Warm-up, not measured: one message per conversation (first-use caches, JIT), then settle.
  const warm = Number(process.env.WARMUP ?? 1);
  if (warm) {
    // 200 at a time, the clients' pool size: every connection a step may need is open before it, as a
    // proxy's pool in front of a deployment is (a connection opened while the server is saturated
    // waits to be accepted, one per turn of its event loop: README, issue 16's seventh round).
    await pool(chats, 200, async (c, i) =>
      clients[home[i]!]!.post(`/api/interact/chats/${c.chatId}/messages`, { text: `warm-up ${i}`, clientMessageId: `warm-${i}` }, c.token),
    );
    await sleep(2000);
    console.log(`${label}warm-up: one message per conversation sent (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }

  const postedOn = new Map<string, number>();
  /** RATE messages per second spread over the conversations, for DURATION_S; then waits for them. */
  const runStep = async (rate: number, prefix: string): Promise<StepResult> => {
    const sentAt = new Map<string, number>();
    const answeredAt = new Map<string, number>();
    const total = Math.round(rate * DURATION_S);
    const cpu0 = { servers: servers.map((s) => s.cpuMs()), client: process.cpuUsage() };
    const start = performance.now();
    let sent = 0;
    let failures = 0;
    const inflight = new Set<Promise<void>>();
    while (sent < total) {
      const due = Math.floor(((performance.now() - start) / 1000) * rate);
      while (sent < Math.min(due, total)) {
        const i = sent % CONVERSATIONS;
        const chat = chats[i]!;
        const id = `${prefix}${sent}`;
        sent += 1;
        sentAt.set(id, performance.now());
        postedOn.set(id, home[i]!);
        const p = clients[home[i]!]!.post(
          `/api/interact/chats/${chat.chatId}/messages`,
          { text: `message ${id}`, clientMessageId: id },
          chat.token,
        ).then(
          () => void answeredAt.set(id, performance.now()),
          () => void (failures += 1),
        );
        inflight.add(p);
        void p.finally(() => inflight.delete(p));
      }
      await sleep(2);
    }
    const offeredMs = performance.now() - start;
    await Promise.all(inflight);
    const loadMs = performance.now() - start;
    const clientCpu = process.cpuUsage(cpu0.client);
    const deadline = performance.now() + DRAIN_MS;
    const arrivedHere = () => [...sentAt.keys()].filter((id) => arrived.has(id)).length;
    while (arrivedHere() < total && performance.now() < deadline) await sleep(20);
    const got = [...sentAt.entries()].flatMap(([id, t]) =>
      arrived.has(id) ? [{ t, a: arrived.get(id)!.at, answered: (answeredAt.get(id) ?? NaN) - t }] : [],
    );
    const lat = got.map((x) => x.a - x.t).sort((a, b) => a - b);
    const pct = (p: number) => percentile(lat, p);
    const elapsed = (Math.max(...got.map((x) => x.a)) - start) / 1000;
    const timeline: string[] = [];
    if (process.env.BENCH_TIMELINE) {
      const bySec = new Map<number, number[]>();
      for (const x of got) {
        const k = Math.floor((x.t - start) / 1000);
        bySec.set(k, [...(bySec.get(k) ?? []), x.a - x.t]);
      }
      for (const [k, l] of [...bySec].sort((x, y) => x[0] - y[0])) {
        l.sort((x, y) => x - y);
        timeline.push(
          `second ${k}: p50 ${l[Math.floor(l.length / 2)]?.toFixed(1)} ms, p99 ${l[Math.floor(l.length * 0.99)]?.toFixed(1)} ms`,
        );
      }
    }
    return {
      rate,
      sent,
      delivered: got.length,
      failures,
      offeredPerS: sent / (offeredMs / 1000),
      msgsPerS: got.length / elapsed,
      p50: pct(50),
      p99: pct(99),
      max: lat.at(-1) ?? NaN,
      serverCpu: servers.map((s, k) => (100 * (s.cpuMs() - cpu0.servers[k]!)) / loadMs),
      // All servers' CPU per message sent: a host slower than usual shows here beside its p99.
      serverCpuMsPerMsg: servers.reduce((n, s, k) => n + s.cpuMs() - cpu0.servers[k]!, 0) / Math.max(1, sent),
      clientCpu: (100 * (clientCpu.user + clientCpu.system)) / 1000 / loadMs,
      timeline,
      samples: got.map((x) => ({ sentAt: x.t, ms: x.a - x.t, answeredMs: x.answered })),
    };
  };

  return {
    servers,
    runStep,
    delivered: () => delivered,
    crossShare: () => {
      const bench = [...arrived].filter(([id]) => postedOn.has(id));
      return bench.length ? bench.filter(([id, a]) => postedOn.get(id) !== a.instance).length / bench.length : 0;
    },
    close: () => {
      for (const s of sockets) s.close();
      for (const r of streams) r.destroy();
      for (const c of clients) c.destroy();
    },
  };
}

async function main(): Promise<void> {
  checkArgs();
  const dir = mkdtempSync(join(tmpdir(), 'stratus-relay-'));
  // One agent per conversation, so every conversation has its own agent stream.
  const tenant = benchTenant(CONVERSATIONS + BURST, {
    workflowId: 'default-im',
    distribution: { maxConcurrentIm: 1, offerTimeoutSec: 600 },
  });
  // The burst's agents (BURST) come after the relay's own.
  const users = tenant.users.slice(0, CONVERSATIONS);
  writeFileSync(join(dir, 'tenant.json'), JSON.stringify(tenant));
  // On PostgreSQL a run never inherits a previous run's sessions: it gets a database of its own.
  const scratch = process.env.BENCH_DATABASE_URL ? await scratchDatabase(process.env.BENCH_DATABASE_URL, 'stratus_relay') : undefined;
  const databaseUrl = scratch?.url ?? process.env.BENCH_DATABASE_URL ?? '';
  // PRESENCE=1: Teams presence polled from a local Graph stand-in for every agent (all Available).
  const graph = PRESENCE ? await startGraphStandIn({ clientSecret: 'bench-graph-secret' }) : undefined;
  if (graph) users.forEach((_u, i) => setPresence(graph.presences, benchObjectId(i), 'Available', 'Available'));
  const graphEnv: Record<string, string> = graph
    ? {
        GRAPH_CLIENT_ID: 'bench',
        SECRET_GRAPH_CLIENT_SECRET: 'bench-graph-secret',
        GRAPH_API_BASE_URL: graph.url,
        ENTRA_AUTHORITY: graph.url,
      }
    : {};
  const servers: BenchServer[] = [];
  const relays: Relay[] = [];
  let burst: Burst | undefined;
  let burstClient: BenchClient | undefined;
  try {
    const serverAt = async (k: number) =>
      new BenchServer({
        port: await freePort(),
        config: join(dir, 'tenant.json'),
        databaseUrl,
        dataDir: process.env.BENCH_DATA_DIR ?? join(dir, 'data'),
        nodeArgs: [
          ...(process.env.PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROF_DIR] : []),
          ...(process.env.SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        ],
        ...(process.env.SERVER_STDOUT && k === 0 ? { stdoutFile: process.env.SERVER_STDOUT } : {}),
        env: graphEnv,
      });
    // The first instance migrates and imports the tenant; the others then start together.
    servers.push(await serverAt(0));
    await servers[0]!.ready();
    for (let k = 1; k < INSTANCES; k++) servers.push(await serverAt(k));
    await Promise.all(servers.map((s) => s.ready()));
    if (BASELINE) {
      const baseline = await startBaseline(dir);
      servers.push(baseline);
      const stratus = await setUpRelay(servers.slice(0, INSTANCES), users, 'stratus ');
      relays.push(stratus);
      const bare = await setUpRelay([baseline], users, 'baseline ');
      relays.push(bare);
      await compare(stratus, bare);
      return;
    }
    if (BURST) {
      burstClient = new BenchClient(servers[0]!.base);
      burst = new Burst(
        servers[0]!.base,
        burstClient,
        tenant.users.slice(CONVERSATIONS).map((u) => u.upn),
      );
      await burst.standBy();
    }
    const relay = await setUpRelay(servers, users);
    relays.push(relay);
    const N = servers.length;
    if (!SCALE_OUT) {
      if (burst) {
        await burst.arm();
        await sleep(2000);
      }
      const step = relay.runStep(RATE, 'bench-');
      // Halfway through the load (less the burst's own second).
      const fired = burst ? sleep(Math.max(0, DURATION_S * 500 - 500)).then(() => burst!.fire()) : undefined;
      const r = await step;
      const b = await fired;
      console.log(`cpu during load: server ${r.serverCpu[0]!.toFixed(0)}%, bench client ${r.clientCpu.toFixed(0)}% of one core`);
      const memory = servers[0]!.rssMb();
      for (const line of r.timeline) console.log(line);
      console.log(
        `relay: ${CONVERSATIONS} conversations, ${r.sent} messages offered at ${RATE}/s, ${relay.delivered()} delivered to agent streams, ${r.failures} failed posts`,
      );
      console.log(
        `latency p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms; ${r.msgsPerS.toFixed(0)} msgs/s; server RSS ${memory.toFixed(0)} MB`,
      );
      console.log(
        JSON.stringify({
          bench: 'relay',
          conversations: CONVERSATIONS,
          messages: relay.delivered(),
          p50_ms: Number(r.p50.toFixed(2)),
          p99_ms: Number(r.p99.toFixed(2)),
          msgs_per_s: Math.round(r.msgsPerS),
          server_cpu_ms_per_msg: Number(r.serverCpuMsPerMsg.toFixed(3)),
          rss_mb: Math.round(memory),
        }),
      );
      if (b) burstLines(r, b);
    } else {
      const steps: StepResult[] = [];
      let maxRate = 0;
      for (const rate of RATES) {
        const r = await relay.runStep(rate, `bench-r${rate}-`);
        steps.push(r);
        for (const line of r.timeline) console.log(line);
        console.log(stepLine('', r));
        if (!passed(r)) break;
        maxRate = rate;
        await sleep(2000);
      }
      const crossShare = relay.crossShare();
      const rss = servers.map((s) => Math.round(s.rssMb()));
      console.log(
        `relay: ${N} instance(s) on ${databaseUrl ? 'PostgreSQL' : 'embedded PGlite'}, ${CONVERSATIONS} conversations; highest rate with p99 <= ${P99_LIMIT_MS} ms: ${maxRate} msg/s; ${(crossShare * 100).toFixed(0)}% of messages crossed instances; server RSS ${rss.join(' + ')} MB`,
      );
      console.log(
        JSON.stringify({
          bench: 'relay',
          instances: N,
          max_rate_p99_25ms: maxRate,
          cross_instance_share: Number(crossShare.toFixed(3)),
          conversations: CONVERSATIONS,
          duration_s: DURATION_S,
          store: databaseUrl ? 'postgres' : 'pglite',
          steps: steps.map((r) => ({
            rate: r.rate,
            delivered: r.delivered,
            sent: r.sent,
            p50_ms: Number(r.p50.toFixed(2)),
            p99_ms: Number(r.p99.toFixed(2)),
            server_cpu_pct: r.serverCpu.map((c) => Math.round(c)),
          })),
          rss_mb: rss,
        }),
      );
    }
  } finally {
    burst?.close();
    burstClient?.destroy();
    for (const r of relays) r.close();
    await Promise.all(servers.map((s) => s.stop()));
    await scratch?.drop().catch((e: unknown) => console.error(`could not drop the scratch database: ${String(e)}`));
    if (graph)
      console.log(`presence: ${graph.requests.filter((r) => r.path.endsWith('/getPresencesByUserId')).length} Graph presence requests`);
    await graph?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The burst's figures, and the relay's p99 over the messages sent from its first start to its last offer. */
function burstLines(r: StepResult, b: BurstResult): void {
  const during = r.samples
    .filter((x) => x.sentAt >= b.from && x.sentAt <= b.to)
    .map((x) => x.ms)
    .sort((x, y) => x - y);
  const duringP99 = percentile(during, 99);
  // Where the wait falls: the relay's messages by tenth of a second from the burst's first start, p50/max ms.
  const tenths = new Map<number, number[]>();
  for (const x of r.samples) {
    const k = Math.floor((x.sentAt - b.from) / 100);
    if (k >= -2 && x.sentAt <= b.to + 500) tenths.set(k, [...(tenths.get(k) ?? []), x.ms]);
  }
  const cells = [...tenths]
    .sort((x, y) => x[0] - y[0])
    .map(([k, l]) => {
      l.sort((x, y) => x - y);
      return `${(k / 10).toFixed(1)}s ${percentile(l, 50).toFixed(0)}/${l.at(-1)!.toFixed(0)}`;
    });
  const slow = r.samples.filter((x) => x.sentAt >= b.from && x.sentAt <= b.to && x.ms > 100);
  const answeredFirst = slow.filter((x) => x.answeredMs < x.ms - 50).length;
  console.log(
    `relay during the burst: ${slow.length} messages over 100 ms, ${answeredFirst} of them answered to the customer over 50 ms before they reached the agent`,
  );
  console.log(`relay during the burst, by tenth of a second from its first start (p50/max ms): ${cells.join(', ')}`);
  console.log(
    `burst: ${b.chats} chats started within 1 s during the load (${b.failedStarts} failed), ${b.offered} offered; start to offer p50 ${b.offerP50.toFixed(0)} ms, p99 ${b.offerP99.toFixed(0)} ms; relay p99 ${duringP99.toFixed(1)} ms over the ${during.length} messages sent in those ${((b.to - b.from) / 1000).toFixed(1)} s`,
  );
  console.log(
    JSON.stringify({
      bench: 'relay-burst',
      rate: RATE,
      burst: b.chats,
      offered: b.offered,
      failed_starts: b.failedStarts,
      offer_p50_ms: Math.round(b.offerP50),
      offer_p99_ms: Math.round(b.offerP99),
      burst_window_s: Number(((b.to - b.from) / 1000).toFixed(2)),
      relay_p99_during_ms: Number(duringP99.toFixed(2)),
      relay_p99_ms: Number(r.p99.toFixed(2)),
    }),
  );
  if (b.offered < b.chats || b.failedStarts) process.exitCode = 1;
}

/** A step passes when every message was accepted and delivered, with p99 within P99_MS. */
const passed = (r: StepResult) => r.failures === 0 && r.delivered === r.sent && r.p99 <= P99_LIMIT_MS;

function stepLine(label: string, r: StepResult): string {
  return `${label}step ${r.rate} msg/s: offered ${r.offeredPerS.toFixed(0)}/s, ${r.delivered}/${r.sent} delivered, ${r.failures} failed posts, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms; cpu: servers ${r.serverCpu.map((c) => `${c.toFixed(0)}%`).join(' + ')}, bench client ${r.clientCpu.toFixed(0)}% -> ${passed(r) ? 'pass' : 'FAIL'}`;
}

/**
 * The bare relay (BASELINE) as its own process on its own PGlite folder. It resolves its packages
 * from a node_modules beside it, so it runs from a copy in the run's folder with a link to ours
 * (the original may sit in a folder we cannot write to).
 */
async function startBaseline(dir: string): Promise<BenchServer> {
  const home = join(dir, 'baseline');
  mkdirSync(home);
  copyFileSync(BASELINE!, join(home, 'relay-baseline.mjs'));
  symlinkSync(join(root, 'node_modules'), join(home, 'node_modules'), 'dir');
  const server = new BenchServer({
    port: await freePort(),
    config: join(dir, 'tenant.json'),
    databaseUrl: '',
    dataDir: join(home, 'data'),
    script: [join(home, 'relay-baseline.mjs')],
  });
  await server.ready();
  return server;
}

/**
 * The same stepped search against Stratus and the bare relay, alternating at every rate (the
 * machine drifts within minutes, so each rate meets both under the same conditions) until each has
 * failed a step. Prints the highest rate each held at p99 <= P99_MS and their ratio.
 */
async function compare(stratus: Relay, bare: Relay): Promise<void> {
  const held = { stratus: 0, baseline: 0 };
  const steps: { relay: string; rate: number; p99_ms: number; pass: boolean }[] = [];
  const live = new Map<keyof typeof held, Relay>([
    ['stratus', stratus],
    ['baseline', bare],
  ]);
  for (const rate of RATES) {
    if (live.size === 0) break;
    for (const [name, relay] of live) {
      const r = await relay.runStep(rate, `bench-${name}-r${rate}-`);
      for (const line of r.timeline) console.log(`${name} ${line}`);
      console.log(stepLine(`${name} `, r));
      steps.push({ relay: name, rate, p99_ms: Number(r.p99.toFixed(2)), pass: passed(r) });
      if (passed(r)) held[name] = rate;
      else live.delete(name);
      await sleep(2000);
    }
  }
  const ratio = held.baseline > 0 ? held.stratus / held.baseline : 0;
  console.log(
    `relay-compare: ${CONVERSATIONS} conversations, ${DURATION_S} s per step; highest rate with p99 <= ${P99_LIMIT_MS} ms: Stratus ${held.stratus} msg/s, bare relay ${held.baseline} msg/s (${(ratio * 100).toFixed(0)}% of the limit)`,
  );
  console.log(
    JSON.stringify({
      bench: 'relay-compare',
      stratus_max_rate: held.stratus,
      baseline_max_rate: held.baseline,
      ratio: Number(ratio.toFixed(3)),
      conversations: CONVERSATIONS,
      duration_s: DURATION_S,
      steps,
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

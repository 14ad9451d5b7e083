/**
 * Idle connections and a reconnect storm against the embedded default (PGlite), the server in its
 * own process. This process holds SOCKETS idle customer WebSockets (each its own chat, created over
 * the REST API) and AGENT_STREAMS agent event streams, and reads the server's RSS before and after to
 * give memory per thousand sockets. Then it drops every customer socket at once and lets each one
 * reconnect the way the widget SDK does (widget/src/sdk.ts: after 500 ms × 2^attempt, ±25 %;
 * STORM_IMMEDIATE=1 reconnects at once) with `?after=<last seq seen>`, while STORM_RATE messages a
 * second are posted to STORM_CHATS of the chats. Settled: every socket re-authenticated and replayed
 * (its first state frame) and every message posted during the storm seen by its socket.
 * Lost: a posted message its customer never saw, over all sessions. Duplicated: a frame for a seq
 * the same socket session had already delivered (messages of sockets that never came back within
 * 60 s are counted apart). The last line is one JSON object.
 *
 *   npm run bench:sockets    (SOCKETS=5000 AGENT_STREAMS=100 STORM_CHATS=500 STORM_RATE=200 by default)
 *
 * PROF_DIR=dir writes the server's CPU profile.
 *
 * Needs about 2 × SOCKETS open files in this process and in the server (`ulimit -n`; checked at
 * start) and as many loopback ephemeral ports (net.ipv4.ip_local_port_range; checked too).
 */
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { benchTenant } from './support/tenant';
import { BenchClient, pool } from './support/client';
import { BenchServer, collectGarbage, freePort, openFileLimit, sleep } from './support/server';

const SOCKETS = Number(process.env.SOCKETS ?? 5000);
const AGENT_STREAMS = Number(process.env.AGENT_STREAMS ?? 100);
const STORM_CHATS = Math.min(SOCKETS, Number(process.env.STORM_CHATS ?? 500));
const STORM_RATE = Number(process.env.STORM_RATE ?? 200);
const STORM_IMMEDIATE = process.env.STORM_IMMEDIATE === '1';
/** How long the sockets stay idle before memory is read. */
const HOLD_S = Number(process.env.HOLD_S ?? 5);
/** Posting starts this long before the drop, so some messages are in flight when the sockets go. */
const PRE_POST_MS = 1000;
const SETUP_DEADLINE_MS = 600_000;
const STORM_DEADLINE_MS = 60_000;
const GRACE_MS = 10_000;

/** RSS after a full collection, the median of a few samples, so one GC or allocation burst does not decide the figure. */
async function settledRss(server: BenchServer, inspectPort: number, samples = 10): Promise<number> {
  await collectGarbage(inspectPort);
  await sleep(500);
  const xs: number[] = [];
  for (let i = 0; i < samples; i++) {
    xs.push(server.rssMb());
    await sleep(300);
  }
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]!;
}

function checkLimits(): void {
  const problems: string[] = [];
  if (!(SOCKETS >= 1 && SOCKETS <= 50_000)) problems.push('SOCKETS must be from 1 to 50000');
  if (!(AGENT_STREAMS >= 0 && AGENT_STREAMS <= 5000)) problems.push('AGENT_STREAMS must be from 0 to 5000');
  if (!(STORM_RATE > 0 && STORM_RATE <= 5000)) problems.push('STORM_RATE must be from 1 to 5000');
  const files = openFileLimit();
  const needed = 2 * SOCKETS + AGENT_STREAMS + 1000;
  if (files < needed)
    problems.push(`the open-file limit is ${files}, this bench needs ${needed}: raise it (ulimit -n ${needed}) in the shell that runs it`);
  const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  if (hi! - lo! < 2 * SOCKETS + AGENT_STREAMS + 1000)
    problems.push(
      `only ${hi! - lo!} ephemeral ports (net.ipv4.ip_local_port_range); the drop leaves ${SOCKETS} in TIME_WAIT while as many reconnect`,
    );
  if (problems.length) {
    console.error(`bench:sockets: ${problems.join('; ')}`);
    process.exit(2);
  }
}

/** One customer: its chat, the seqs it has seen, and its current socket session. */
class Customer {
  ws?: WebSocket;
  session = 0;
  /** Time the current session delivered its first state frame (replay done), 0 before. */
  readyAt = 0;
  /** When the current session's socket was created and opened (for the storm's breakdown). */
  startedAt = 0;
  tcpAt = 0;
  openedAt = 0;
  maxSeq = 0;
  readonly seenAt = new Map<number, number>();
  private sessionSeen = new Set<number>();
  attempt = 0;
  timer?: NodeJS.Timeout;
  duplicated = 0;
  replayedAgain = 0;
  refused?: number;
  failures: string[] = [];

  constructor(
    readonly i: number,
    readonly chatId: string,
    readonly token: string,
    private readonly wsBase: string,
    private readonly hooks: {
      ready: (c: Customer) => void;
      error: (message: string) => void;
      unexpectedClose: (c: Customer, code: number) => void;
      live: () => boolean;
    },
  ) {}

  connect(): void {
    const session = ++this.session;
    this.readyAt = 0;
    this.openedAt = 0;
    this.tcpAt = 0;
    this.startedAt = performance.now();
    this.sessionSeen = new Set();
    const ws = new WebSocket(`${this.wsBase}/api/interact/chats/${this.chatId}/live?after=${this.maxSeq}`);
    this.ws = ws;
    // The handshake request's socket: when TCP connected, apart from when the upgrade was answered.
    (ws as unknown as { _req?: http.ClientRequest })._req?.once('socket', (sock) =>
      sock.once('connect', () => (this.tcpAt = performance.now())),
    );
    ws.on('open', () => {
      this.openedAt = performance.now();
      ws.send(JSON.stringify({ type: 'auth', token: this.token }));
      this.attempt = 0;
    });
    ws.on('message', (data) => {
      if (session !== this.session) return;
      const f = JSON.parse(data.toString());
      if (f.type === 'message') {
        const seq = f.message.seq as number;
        if (this.sessionSeen.has(seq)) {
          this.duplicated += 1;
          return;
        }
        this.sessionSeen.add(seq);
        if (this.seenAt.has(seq)) this.replayedAgain += 1;
        else this.seenAt.set(seq, performance.now());
        this.maxSeq = Math.max(this.maxSeq, seq);
      } else if (f.type === 'state' && !this.readyAt) {
        this.readyAt = performance.now();
        this.hooks.ready(this);
      }
    });
    ws.on('error', (e) => {
      this.hooks.error(e.message);
      if (this.failures.length < 5) this.failures.push(e.message);
    });
    ws.on('close', (code) => {
      if (session !== this.session || !this.hooks.live()) return;
      this.hooks.unexpectedClose(this, code);
      // 4401/4403/4404/4429 are final for the SDK: it stops rather than retry forever.
      if (code >= 4400 && code < 4500) {
        this.refused = code;
        return;
      }
      this.retry();
    });
  }

  /** The SDK's policy: 500 ms × 2^attempt (at most 15 s), ±25 %. */
  retry(immediateFirst = false): void {
    const delay = immediateFirst && this.attempt === 0 ? 0 : Math.min(15_000, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt += 1;
    this.timer = setTimeout(() => this.hooks.live() && this.connect(), delay);
  }

  /** Drops the socket the way a network failure does: no close handshake. */
  drop(): void {
    this.session += 1; // the old socket's close is not a reconnect trigger: the storm schedules it
    this.readyAt = 0;
    this.ws?.terminate();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.session += 1;
    this.ws?.terminate();
  }
}

async function main(): Promise<void> {
  checkLimits();
  const dir = mkdtempSync(join(tmpdir(), 'stratus-sockets-'));
  // A service whose workflow accepts the chat and waits a day: idle chats, no queue, no offers.
  const tenant = benchTenant(Math.max(1, AGENT_STREAMS), { workflowId: 'bench-idle' }, [
    {
      id: 'bench-idle',
      name: 'Accept and wait',
      start: 'accept',
      nodes: {
        accept: { activity: 'accept', exits: { next: 'wait' } },
        wait: { activity: 'delay', params: { seconds: 86400 }, exits: { next: 'bye' } },
        bye: { activity: 'disconnect' },
      },
    },
  ]);
  const { users } = tenant;
  writeFileSync(join(dir, 'tenant.json'), JSON.stringify(tenant));
  // The inspector (loopback only) lets the bench run a full GC before each memory reading.
  const inspectPort = await freePort();
  const server = new BenchServer({
    port: await freePort(),
    config: join(dir, 'tenant.json'),
    dataDir: join(dir, 'data'),
    databaseUrl: '',
    nodeArgs: [
      `--inspect=127.0.0.1:${inspectPort}`,
      ...(process.env.PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROF_DIR] : []),
    ],
  });
  const client = new BenchClient(server.base, 50);
  const streamAgent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const customers: Customer[] = [];
  const streams: http.ClientRequest[] = [];
  let live = true;
  try {
    await server.ready();
    const t0 = Date.now();
    const setupDeadline = t0 + SETUP_DEADLINE_MS;
    const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    const chats = await pool(
      Array.from({ length: SOCKETS }, (_, i) => i),
      50,
      async (i) => {
        if (Date.now() > setupDeadline) throw new Error('setup took longer than 10 minutes');
        return client.post('/api/interact/support/chats', {
          displayName: `Customer ${i}`,
          email: `c${i}@example.com`,
          privacyAccepted: true,
          message: `hello ${i}`,
        }) as Promise<{ chatId: string; token: string }>;
      },
    );
    console.log(`setup: ${SOCKETS} chats in ${since()}`);
    await sleep(2000);
    const rssChats = await settledRss(server, inspectPort);

    // Agent streams.
    let streamEnds = 0;
    const tokens = await pool(
      users.slice(0, AGENT_STREAMS),
      50,
      async (u) => (await client.post('/api/dev/token', { upn: u.upn })).token as string,
    );
    await pool(
      tokens,
      50,
      (token) =>
        new Promise<void>((res, rej) => {
          const req = http.get(
            `${server.base}/api/agent/events`,
            { agent: streamAgent, headers: { authorization: `Bearer ${token}` } },
            (r) => {
              if (r.statusCode !== 200) return rej(new Error(`agent stream: ${r.statusCode}`));
              r.on('data', () => undefined);
              r.on('error', () => undefined);
              r.on('close', () => live && (streamEnds += 1));
              res();
            },
          );
          req.on('error', rej);
          streams.push(req);
        }),
    );
    await sleep(1000);
    const rssStreams = await settledRss(server, inspectPort);

    // Customer sockets, 200 opening at a time (setup is not the storm).
    let readyCount = 0;
    let unexpectedIdle = 0;
    let storming = false;
    const closeCodes = new Map<number, number>();
    const errors = new Map<string, number>();
    const hooks = {
      ready: () => void (readyCount += 1),
      error: (m: string) => void (storming && errors.set(m, (errors.get(m) ?? 0) + 1)),
      unexpectedClose: (_c: Customer, code: number) => {
        closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);
        if (!storming) unexpectedIdle += 1;
      },
      live: () => live,
    };
    const wsBase = server.base.replace('http', 'ws');
    for (const [i, c] of chats.entries()) customers.push(new Customer(i, c.chatId, c.token, wsBase, hooks));
    await pool(customers, 200, async (c) => {
      c.connect();
      while (!c.readyAt && !c.refused && Date.now() < setupDeadline) await sleep(20);
      if (!c.readyAt) throw new Error(`customer ${c.i} could not connect: ${c.refused ?? c.failures.join('; ')}`);
    });
    console.log(
      `connected: ${SOCKETS} customer sockets (each saw ${Math.min(...customers.map((c) => c.maxSeq))}+ messages replayed), ${streams.length} agent streams (${since()})`,
    );
    await sleep(HOLD_S * 1000);
    const rssSockets = await settledRss(server, inspectPort);
    const mbPer1000 = ((rssSockets - rssStreams) / SOCKETS) * 1000;
    const perGb = Math.round((1024 * SOCKETS) / Math.max(1e-9, rssSockets - rssStreams));
    const kbPerStream = AGENT_STREAMS ? ((rssStreams - rssChats) * 1024) / AGENT_STREAMS : 0;
    console.log(
      `memory: server RSS ${rssChats.toFixed(0)} MB with ${SOCKETS} chats, ${rssStreams.toFixed(0)} MB with ${AGENT_STREAMS} agent streams (${kbPerStream.toFixed(0)} kB each), ${rssSockets.toFixed(0)} MB with ${SOCKETS} customer sockets: ${mbPer1000.toFixed(1)} MB per 1,000 sockets, ${perGb} sockets per GB (${Math.round((1024 * SOCKETS) / rssSockets)} per GB of the whole RSS); ${unexpectedIdle} closed while idle`,
    );

    // The storm: posting starts, every socket drops, every customer reconnects and resumes.
    const stormChats = Array.from({ length: STORM_CHATS }, (_, k) => customers[Math.floor((k * SOCKETS) / STORM_CHATS)]!);
    const posted: { c: Customer; seq: number; at: number }[] = [];
    let postFailures = 0;
    let posting = true;
    const inflight = new Set<Promise<void>>();
    const poster = (async () => {
      const start = performance.now();
      for (let n = 0; posting && performance.now() - start < STORM_DEADLINE_MS + PRE_POST_MS;) {
        const due = Math.floor(((performance.now() - start) / 1000) * STORM_RATE);
        for (; n < due; n++) {
          const c = stormChats[n % stormChats.length]!;
          const p = client
            .post(`/api/interact/chats/${c.chatId}/messages`, { text: `storm ${n}`, clientMessageId: `storm-${n}` }, c.token)
            .then(
              (r: { seq: number }) => void posted.push({ c, seq: r.seq, at: performance.now() }),
              () => void (postFailures += 1),
            );
          inflight.add(p);
          void p.finally(() => inflight.delete(p));
        }
        await sleep(5);
      }
    })();
    await sleep(PRE_POST_MS);
    storming = true;
    readyCount = 0;
    const dropAt = performance.now();
    for (const c of customers) c.drop();
    for (const c of customers) c.retry(STORM_IMMEDIATE);
    while (readyCount < SOCKETS && performance.now() - dropAt < STORM_DEADLINE_MS) await sleep(10);
    const allReadyAt = performance.now();
    posting = false;
    await poster;
    await Promise.all(inflight);
    const seen = (p: { c: Customer; seq: number }) => p.c.seenAt.has(p.seq);
    const graceEnd = performance.now() + GRACE_MS;
    while (posted.some((p) => !seen(p)) && performance.now() < graceEnd) await sleep(20);
    live = false;

    const notReady = customers.filter((c) => !c.readyAt);
    const lastReady = Math.max(...customers.map((c) => c.readyAt));
    const lastSeen = Math.max(0, ...posted.filter(seen).map((p) => p.c.seenAt.get(p.seq)!));
    // A message is lost when its socket came back and still never delivered it; one whose socket
    // never came back is counted apart (it would be replayed on the next reconnect).
    const unseen = posted.filter((p) => !seen(p));
    const lost = unseen.filter((p) => p.c.readyAt).length;
    const unseenNotBack = unseen.length - lost;
    const duplicated = customers.reduce((s, c) => s + c.duplicated, 0);
    const replayedAgain = customers.reduce((s, c) => s + c.replayedAgain, 0);
    const attempts = customers.reduce((s, c) => s + c.session, 0);
    const reconnectS = notReady.length ? null : (Math.max(lastReady, lastSeen) - dropAt) / 1000;
    const codes = [...closeCodes].map(([k, v]) => `${k}×${v}`).join(', ') || 'none';
    console.log(
      `storm: ${SOCKETS} sockets dropped at once, ${notReady.length ? `${notReady.length} NOT back within ${STORM_DEADLINE_MS / 1000} s` : `all re-authenticated and replayed after ${((lastReady - dropAt) / 1000).toFixed(2)} s`} (${STORM_IMMEDIATE ? 'immediate' : 'SDK backoff'}; all back ${((allReadyAt - dropAt) / 1000).toFixed(2)} s); ${posted.length} messages posted to ${STORM_CHATS} chats at ${STORM_RATE}/s around it, ${postFailures} posts failed; settled after ${reconnectS === null ? 'n/a' : reconnectS.toFixed(2)} s; lost ${lost}${unseenNotBack ? ` (and ${unseenNotBack} not seen on sockets that never came back)` : ''}, duplicated ${duplicated} (${replayedAgain} seen again in a later session); socket closes not asked for: ${codes}; agent streams ended: ${streamEnds}; ${attempts} socket sessions in all`,
    );
    const q = (xs: number[]) => {
      xs.sort((a, b) => a - b);
      return `p50 ${(xs[Math.floor(xs.length / 2)] ?? NaN).toFixed(0)} / p99 ${(xs[Math.floor(xs.length * 0.99)] ?? NaN).toFixed(0)} / max ${(xs.at(-1) ?? NaN).toFixed(0)} ms`;
    };
    const back = customers.filter((c) => c.readyAt && c.openedAt);
    console.log(
      `storm breakdown (last session of each socket): reconnect started ${q(back.map((c) => c.startedAt - dropAt))} after the drop; TCP connect ${q(back.filter((c) => c.tcpAt).map((c) => c.tcpAt - c.startedAt))}; upgrade answered ${q(back.filter((c) => c.tcpAt).map((c) => c.openedAt - c.tcpAt))}; auth+replay ${q(back.map((c) => c.readyAt - c.openedAt))}`,
    );
    if (errors.size)
      console.log(
        `socket errors during the storm: ${[...errors]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([m, n]) => `${m} ×${n}`)
          .join('; ')}`,
      );
    if (notReady.length)
      console.log(
        `not back, e.g.: ${notReady
          .slice(0, 3)
          .map((c) => `customer ${c.i}: ${c.refused ? `closed ${c.refused}` : c.failures.join('; ') || 'no answer'}`)
          .join(' | ')}`,
      );
    console.log(
      JSON.stringify({
        bench: 'sockets',
        idle_sockets: SOCKETS,
        sockets_per_gb: perGb,
        reconnect_s: reconnectS === null ? null : Number(reconnectS.toFixed(2)),
        lost,
        duplicated,
        mb_per_1000_sockets: Number(mbPer1000.toFixed(1)),
        agent_streams: AGENT_STREAMS,
        rss_mb: Math.round(rssSockets),
        storm_messages: posted.length,
        not_reconnected: notReady.length,
        unseen_not_reconnected: unseenNotBack,
      }),
    );
  } finally {
    live = false;
    for (const c of customers) c.stop();
    for (const r of streams) r.destroy();
    streamAgent.destroy();
    client.destroy();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

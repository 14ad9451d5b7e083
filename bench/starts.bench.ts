/**
 * A burst of chat starts (a campaign, the end of an outage): the server runs as its own process
 * (`npm start`'s embedded default, or BENCH_DATABASE_URL's PostgreSQL); CHATS agents (default 500),
 * each signed in with an event stream open and room for one chat, wait; then CHATS customers
 * start a website chat within one second. Each start runs the service's IM workflow (the default
 * one: accept, opening hours, queue), a distribution decision and an offer. Reported: chat starts
 * per second (starts over the time until the last start was answered) and the time from a
 * customer's start to the offer arriving on an agent's stream (p50, p99). Every chat must reach
 * an offer. The last line is one JSON object.
 *
 *   npm run bench:starts           (CHATS=500; BENCH_DATABASE_URL=postgres://... runs it on PostgreSQL)
 *
 * PROF_DIR=dir writes the server's CPU profile.
 */
import type http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchTenant } from './support/tenant';
import { BenchClient, openAgentEvents, pool } from './support/client';
import { BenchServer, freePort, scratchDatabase, sleep } from './support/server';

const CHATS = Number(process.env.CHATS ?? 500);
/** How long every offer may take to arrive before the bench gives up on the missing ones. */
const OFFER_DEADLINE_MS = 120_000;

async function main(): Promise<void> {
  if (!(Number.isInteger(CHATS) && CHATS >= 1 && CHATS <= 5000)) {
    console.error('bench:starts: CHATS must be an integer from 1 to 5000');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'stratus-starts-'));
  const tenant = benchTenant(CHATS, { workflowId: 'default-im', distribution: { maxConcurrentIm: 1, offerTimeoutSec: 600 } });
  writeFileSync(join(dir, 'tenant.json'), JSON.stringify(tenant));
  // On PostgreSQL a database of its own, so a run never inherits a previous run's chats.
  const scratch = process.env.BENCH_DATABASE_URL ? await scratchDatabase(process.env.BENCH_DATABASE_URL, 'stratus_starts') : undefined;
  const server = new BenchServer({
    port: await freePort(),
    config: join(dir, 'tenant.json'),
    databaseUrl: scratch?.url ?? '',
    dataDir: join(dir, 'data'),
    nodeArgs: process.env.PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROF_DIR] : [],
  });
  const client = new BenchClient(server.base);
  const streams: http.ClientRequest[] = [];
  try {
    await server.ready();
    const tokens = await pool(tenant.users, 50, async (u) => (await client.post('/api/dev/token', { upn: u.upn })).token as string);
    // Each agent's stream: the first time it shows an offer, note for which customer and when.
    const offeredAt = new Map<number, number>();
    await pool(tokens, 100, async (token) => {
      const req = await openAgentEvents(server.base, token, '"offered"', (e) => {
        const n = Number(/^Burst (\d+)$/.exec(e.session?.customer?.displayName ?? '')?.[1]);
        if (e.type === 'session' && e.session.state === 'offered' && Number.isInteger(n) && !offeredAt.has(n))
          offeredAt.set(n, performance.now());
      });
      streams.push(req);
    });
    // Let the sign-ins settle (agent state, the first distribution passes): measure the burst alone.
    await sleep(2000);
    const cpu0 = server.cpuMs();
    const startedAt = new Array<number>(CHATS);
    const answeredAt = new Array<number>(CHATS);
    let failures = 0;
    const t0 = performance.now();
    const posts: Promise<void>[] = [];
    // CHATS starts spread evenly over one second.
    for (let i = 0; i < CHATS; i++) {
      const due = t0 + (i * 1000) / CHATS;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      startedAt[i] = performance.now();
      posts.push(
        client
          .post('/api/interact/support/chats', {
            displayName: `Burst ${i}`,
            email: `b${i}@example.com`,
            privacyAccepted: true,
            message: `hello from ${i}`,
          })
          .then(
            () => void (answeredAt[i] = performance.now()),
            () => void (failures += 1),
          ),
      );
    }
    await Promise.all(posts);
    const startsS = (Math.max(...answeredAt.filter((x) => x !== undefined)) - t0) / 1000;
    const deadline = performance.now() + OFFER_DEADLINE_MS;
    while (offeredAt.size < CHATS && performance.now() < deadline) await sleep(20);
    const cpuMs = server.cpuMs() - cpu0;
    const lat = [...offeredAt].map(([n, at]) => at - startedAt[n]!).sort((a, b) => a - b);
    const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((lat.length * p) / 100))] ?? NaN;
    const startLat = answeredAt
      .map((a, i) => a - startedAt[i]!)
      .filter((x) => Number.isFinite(x))
      .sort((a, b) => a - b);
    console.log(
      `starts: ${CHATS} chats started within 1 s, answered in ${startsS.toFixed(2)} s (${failures} failed); start answered p50 ${startLat[Math.floor(startLat.length / 2)]?.toFixed(0)} ms, p99 ${startLat[Math.floor(startLat.length * 0.99)]?.toFixed(0)} ms`,
    );
    console.log(
      `offers: ${offeredAt.size} of ${CHATS} reached an agent; start to offer p50 ${pct(50).toFixed(0)} ms, p99 ${pct(99).toFixed(0)} ms, max ${lat.at(-1)?.toFixed(0)} ms; server CPU ${(cpuMs / CHATS).toFixed(1)} ms per chat`,
    );
    // Where the tail comes from: each tenth of the burst, in order of arrival, with its median and
    // worst time to offer and when (after the burst began) its last offer arrived.
    const tenths = Array.from({ length: 10 }, (_, k) => {
      const ns = [...offeredAt.keys()].filter((n) => Math.floor((n * 10) / CHATS) === k);
      const ls = ns.map((n) => offeredAt.get(n)! - startedAt[n]!).sort((a, b) => a - b);
      const last = Math.max(...ns.map((n) => offeredAt.get(n)! - t0));
      return `${ls[Math.floor(ls.length / 2)]?.toFixed(0)}/${ls.at(-1)?.toFixed(0)}@${last.toFixed(0)}`;
    });
    console.log(`offers by tenth of arrival (p50/max ms @ last offer since burst start): ${tenths.join(' ')}`);
    console.log(
      JSON.stringify({
        bench: 'starts',
        chats: CHATS,
        store: process.env.BENCH_DATABASE_URL ? 'postgres' : 'pglite',
        starts_per_s: Math.round(CHATS / startsS),
        offered: offeredAt.size,
        failed_starts: failures,
        offer_p50_ms: Math.round(pct(50)),
        offer_p99_ms: Math.round(pct(99)),
        server_cpu_ms_per_chat: Number((cpuMs / CHATS).toFixed(2)),
      }),
    );
    if (offeredAt.size < CHATS || failures) process.exitCode = 1;
  } finally {
    for (const r of streams) r.destroy();
    client.destroy();
    await server.stop();
    await scratch?.drop().catch((e: unknown) => console.error(`could not drop the scratch database: ${String(e)}`));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

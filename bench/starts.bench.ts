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
 * PROF_DIR=dir writes the server's CPU profile. The burst itself is bench/support/burst.ts (bench:relay's
 * BURST=N runs the same one during the relay's load).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchTenant } from './support/tenant';
import { Burst } from './support/burst';
import { BenchClient } from './support/client';
import { BenchServer, freePort, scratchDatabase, sleep } from './support/server';
import { percentile } from './support/stats';

const CHATS = Number(process.env.CHATS ?? 500);

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
  const burst = new Burst(
    server.base,
    client,
    tenant.users.map((u) => u.upn),
  );
  try {
    await server.ready();
    await burst.signIn();
    await burst.arm();
    // Let the sign-ins settle (agent state, the first distribution passes): measure the burst alone.
    await sleep(2000);
    const cpu0 = server.cpuMs();
    const b = await burst.fire();
    const cpuMs = server.cpuMs() - cpu0;
    const t0 = b.from;
    const answered = b.answeredAt.filter((x): x is number => x !== undefined);
    const startsS = (Math.max(...answered) - t0) / 1000;
    const lat = [...b.offeredAt].map(([n, at]) => at - b.startedAt[n]!).sort((x, y) => x - y);
    const startLat = b.answeredAt
      .map((a, i) => (a === undefined ? NaN : a - b.startedAt[i]!))
      .filter((x) => Number.isFinite(x))
      .sort((x, y) => x - y);
    console.log(
      `starts: ${CHATS} chats started within 1 s, answered in ${startsS.toFixed(2)} s (${b.failedStarts} failed); start answered p50 ${percentile(startLat, 50).toFixed(0)} ms, p99 ${percentile(startLat, 99).toFixed(0)} ms`,
    );
    console.log(
      `offers: ${b.offered} of ${CHATS} reached an agent; start to offer p50 ${b.offerP50.toFixed(0)} ms, p99 ${b.offerP99.toFixed(0)} ms, max ${lat.at(-1)?.toFixed(0)} ms; server CPU ${(cpuMs / CHATS).toFixed(1)} ms per chat`,
    );
    // Where the tail comes from: each tenth of the burst, in order of arrival, with its median and
    // worst time to offer and when (after the burst began) its last offer arrived.
    const tenths = Array.from({ length: 10 }, (_, k) => {
      const ns = [...b.offeredAt.keys()].filter((n) => Math.floor((n * 10) / CHATS) === k);
      const ls = ns.map((n) => b.offeredAt.get(n)! - b.startedAt[n]!).sort((x, y) => x - y);
      const last = Math.max(...ns.map((n) => b.offeredAt.get(n)! - t0));
      return `${percentile(ls, 50).toFixed(0)}/${ls.at(-1)?.toFixed(0)}@${last.toFixed(0)}`;
    });
    console.log(`offers by tenth of arrival (p50/max ms @ last offer since burst start): ${tenths.join(' ')}`);
    console.log(
      JSON.stringify({
        bench: 'starts',
        chats: CHATS,
        store: process.env.BENCH_DATABASE_URL ? 'postgres' : 'pglite',
        starts_per_s: Math.round(CHATS / startsS),
        offered: b.offered,
        failed_starts: b.failedStarts,
        offer_p50_ms: Math.round(b.offerP50),
        offer_p99_ms: Math.round(b.offerP99),
        server_cpu_ms_per_chat: Number((cpuMs / CHATS).toFixed(2)),
      }),
    );
    if (b.offered < CHATS || b.failedStarts) process.exitCode = 1;
  } finally {
    burst.close();
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

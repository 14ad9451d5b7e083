/**
 * The embedded store runs PostgreSQL in the server's own thread and answers without I/O, so a long
 * stretch of its work (a batch of chat starts, a distribution pass) would keep Node's event loop
 * from turning, and Node accepts one new connection per turn (libuv since 1.45): customers opening
 * a chat during a burst waited over a second before the server even read their request. The store
 * lets the loop turn every few milliseconds (store/pglite-prepared.ts, letLoopTurn): new
 * connections are accepted and answered while a long transaction is still running.
 */
import http from 'node:http';
import { sql } from 'drizzle-orm';
import { demoTenant } from '@stratus/shared/tenant/demo';
import { inTx } from '../runtime/uow';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tenants: [demoTenant()], env: { INTERACT_RATE_LIMIT_SCALE: '0' } });
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

/** GET on a connection of its own (no keep-alive pool): resolves with the time it was answered. */
function getOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now()) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
  });
}

const pg = process.env.DATABASE_URL ? test.skip : test;

pg('new connections are accepted and answered while a long transaction runs on the embedded store', async () => {
  let endedAt = 0;
  let statements = 0;
  const long = inTx(h.app.rt, async (u) => {
    // About a second of the store's work, one short statement after another.
    const until = performance.now() + 1000;
    while (performance.now() < until) {
      await u.tx.execute(sql`select ${statements}::int + 1 as n`);
      statements += 1;
    }
    endedAt = performance.now();
  });
  // Twenty customers open the chat page's settings, each on a new connection, once the transaction runs.
  await new Promise((r) => setTimeout(r, 50));
  const answered = await Promise.all(Array.from({ length: 20 }, () => getOnNewConnection(`${h.url}/api/interact/support`)));
  await long;
  expect(statements).toBeGreaterThan(100);
  // Every one was answered while the transaction was still running, not after it.
  for (const at of answered) expect(at).toBeLessThan(endedAt);
});

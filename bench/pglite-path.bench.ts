/**
 * The embedded store's driver path against PGlite's own: the same transaction of four statements
 * (an insert with two jsonb values, a select for update, an update, a select) through PGlite's
 * `query` and through ours (bot/store/pglite-prepared.ts: named statements, one Bind/Execute/Sync
 * buffer, the raw response read directly), each on its own in-memory database in one process,
 * alternating every 50 transactions. Alternating in one process keeps a host whose speed swings
 * from one minute to the next from favouring either side; medians of the rounds are reported.
 * The last line is one JSON object.
 *
 *   npm run bench:pglite-path        (ROUNDS=40 by default)
 */
import { PGlite } from '@electric-sql/pglite';
import { usePreparedStatements } from '../bot/store/pglite-prepared';

const ROUNDS = Number(process.env.ROUNDS ?? 40);
const PER_ROUND = 50;

/** A workflow snapshot's size and shape, as a task row carries it. */
const workflow = {
  nodes: Object.fromEntries(
    Array.from({ length: 30 }, (_, i) => [`n${i}`, { activity: 'message', params: { text: 'hello '.repeat(10) } }]),
  ),
};

async function open(prepared: boolean): Promise<PGlite> {
  const db = new PGlite();
  await db.waitReady;
  if (prepared) usePreparedStatements(db);
  await db.exec('create table t (id text primary key, tenant text not null, n bigint, doc jsonb, wf jsonb, at bigint)');
  return db;
}

let next = 0;
/** PER_ROUND transactions; the time of one in ms. */
async function round(db: PGlite): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < PER_ROUND; i++) {
    const id = `t${next++}`;
    await db.transaction(async (tx) => {
      await tx.query('insert into t (id, tenant, n, doc, wf, at) values ($1, $2, $3, $4, $5, $6)', [
        id,
        'contoso',
        i,
        { i, customer: { displayName: 'Erin', email: 'erin@example.com' } },
        workflow,
        Date.now(),
      ]);
      await tx.query('select id, tenant, n, doc, wf, at from t where id = $1 for update', [id]);
      await tx.query('update t set n = $1, doc = $2 where id = $3', [i + 1, { i, queued: true }, id]);
      await tx.query('select id, n from t where tenant = $1 and n = $2 limit 5', ['contoso', i]);
    });
  }
  return (performance.now() - t0) / PER_ROUND;
}

async function main(): Promise<void> {
  if (!(Number.isInteger(ROUNDS) && ROUNDS >= 2 && ROUNDS <= 1000)) {
    console.error('bench:pglite-path: ROUNDS must be an integer from 2 to 1000');
    process.exit(2);
  }
  const [plain, ours] = [await open(false), await open(true)];
  // Warm both (statements prepared, code compiled) before anything is counted.
  await round(plain);
  await round(ours);
  const times = { plain: [] as number[], ours: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? (['plain', 'ours'] as const) : (['ours', 'plain'] as const);
    for (const side of order) times[side].push(await round(side === 'plain' ? plain : ours));
  }
  await Promise.all([plain.close(), ours.close()]);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const p = median(times.plain);
  const o = median(times.ours);
  console.log(
    `one transaction of four statements: PGlite's query ${p.toFixed(3)} ms, ours ${o.toFixed(3)} ms (${ROUNDS} rounds alternated)`,
  );
  console.log(
    JSON.stringify({
      bench: 'pglite-path',
      rounds: ROUNDS,
      pglite_query_ms: Number(p.toFixed(3)),
      ours_ms: Number(o.toFixed(3)),
      ratio: Number((o / p).toFixed(2)),
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

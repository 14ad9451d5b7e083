/**
 * PGlite has no autovacuum: the store keeps planner statistics itself. Without them a generic plan
 * for a task looked up by tenant and id read every task of the tenant through another index.
 */
import { PGlite } from '@electric-sql/pglite';
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import {
  analyzeGrownTables,
  grownTables,
  keepStatistics,
  Quietness,
  QUIET_ROWS,
  QUIET_TURNS,
  tablesToVacuum,
  vacuumDeadTables,
  VACUUMED_TABLES,
} from './pglite-maintenance';
import * as schema from './schema';

let db: PGlite;

beforeAll(async () => {
  db = new PGlite();
  await db.waitReady;
  // The tasks table as schema.ts has it.
  await db.exec(`create table tasks (id text primary key, tenant_id text not null, conversation_id text not null,
      service_id text not null, state text not null, user_id text, data jsonb not null, workflow jsonb, updated_at bigint not null);
    create index tasks_tenant_service_state on tasks (tenant_id, service_id, state);
    create index tasks_tenant_user_state on tasks (tenant_id, user_id, state);
    create index tasks_conversation on tasks (conversation_id);
    create table notes (id text primary key)`);
}, 60_000);

afterAll(async () => {
  await db.close();
});

const fill = (from: number, to: number) =>
  db.exec(`insert into tasks select 'k' || g, 't', 'c' || g, 'support', 'connected', 'u' || (g % 7), '{}', null, 1
    from generate_series(${from}, ${to - 1}) g`);

/** The index a generic plan of the hot path's task lookup uses. */
async function lookupIndex(): Promise<string> {
  await db.exec(`deallocate all; set plan_cache_mode = force_generic_plan;
    prepare lookup (text, text) as select id, state, user_id from tasks where id = $1 and tenant_id = $2`);
  const plan = (await db.query<{ 'QUERY PLAN': string }>(`explain execute lookup('k5', 't')`)).rows.map((r) => r['QUERY PLAN']).join('\n');
  await db.exec('deallocate lookup; reset plan_cache_mode');
  return /using (\w+)/.exec(plan)?.[1] ?? plan;
}

test('every table is analyzed the first time, then only one that has doubled in size', async () => {
  await fill(0, 1000);
  // Never analyzed: the generic plan reads every task of the tenant to find one.
  expect(await lookupIndex()).toBe('tasks_tenant_user_state');
  expect((await analyzeGrownTables(db)).sort()).toEqual(['notes', 'tasks']);
  expect(await lookupIndex()).toBe('tasks_pkey');
  const { rows } = await db.query<{ n: number }>(`select reltuples::int as n from pg_class where relname = 'tasks'`);
  expect(rows[0]!.n).toBe(1000);
  expect(await analyzeGrownTables(db)).toEqual([]);
  // A few more rows are not worth another ANALYZE; twice the pages are.
  await fill(1000, 1100);
  expect(await analyzeGrownTables(db)).toEqual([]);
  await fill(1100, 2200);
  expect(await analyzeGrownTables(db)).toEqual(['tasks']);
});

test('growth is counted in pages: never analyzed, doubled, or too small to count', () => {
  expect(grownTables([{ name: 'a', analyzedPages: 0, never: true, pages: 0 }])).toEqual(['a']);
  expect(grownTables([{ name: 'a', analyzedPages: 0, never: false, pages: 3 }])).toEqual([]);
  expect(grownTables([{ name: 'a', analyzedPages: 0, never: false, pages: 4 }])).toEqual(['a']);
  expect(grownTables([{ name: 'a', analyzedPages: 100, never: false, pages: 199 }])).toEqual([]);
  expect(grownTables([{ name: 'a', analyzedPages: 100, never: false, pages: 200 }])).toEqual(['a']);
});

test('the background check analyzes a table that grew, and stops when told', async () => {
  await db.exec('create table later (id int primary key, tenant_id text)');
  const stats = keepStatistics(db, 20);
  await db.exec(`insert into later select g, 't' from generate_series(1, 3000) g`);
  const analyzed = async () =>
    (await db.query<{ n: number }>(`select reltuples::int as n from pg_class where relname = 'later'`)).rows[0]!.n;
  for (let i = 0; i < 200 && (await analyzed()) !== 3000; i++) await new Promise((r) => setTimeout(r, 20));
  expect(await analyzed()).toBe(3000);
  await stats.stop();
});

test("VACUUM of a table rows pass through, by autovacuum's rule: more dead rows than 50 plus a fifth of the live ones", () => {
  expect(tablesToVacuum([{ name: 'jobs', live: 0, dead: 50 }])).toEqual([]);
  expect(tablesToVacuum([{ name: 'jobs', live: 0, dead: 51 }])).toEqual(['jobs']);
  expect(tablesToVacuum([{ name: 'task_offers', live: 1000, dead: 250 }])).toEqual([]);
  expect(tablesToVacuum([{ name: 'task_offers', live: 1000, dead: 251 }])).toEqual(['task_offers']);
  // Not one of them: left alone however many rows died (its VACUUM would hold the only connection)...
  expect(tablesToVacuum([{ name: 'tasks', live: 10, dead: 10_000 }])).toEqual([]);
  // ...until the database is quiet: then one such table a turn, the one with the most dead rows, by the same rule.
  const tables = [
    { name: 'jobs', live: 0, dead: 60 },
    { name: 'messages', live: 100_000, dead: 20_051 },
    { name: 'tasks', live: 10, dead: 10_000 },
    { name: 'events', live: 100_000, dead: 20_000 },
  ];
  expect(tablesToVacuum(tables, true)).toEqual(['jobs', 'messages']);
  expect(tablesToVacuum(tables.slice(2), true)).toEqual(['tasks']);
  expect(tablesToVacuum(tables.slice(3), true)).toEqual([]);
});

test(`the database is quiet after ${QUIET_TURNS} turns in a row that each wrote at most ${QUIET_ROWS} rows`, () => {
  const q = new Quietness();
  // The first turn has nothing to compare with.
  expect(q.turn(1000)).toBe(false);
  const quiet = [1, 2].map((i) => q.turn(1000 + i * QUIET_ROWS));
  expect([...quiet, q.turn(1000 + 3 * QUIET_ROWS)]).toEqual([false, false, true]);
  expect(q.turn(1000 + 3 * QUIET_ROWS)).toBe(true);
  // One busy turn starts the count again.
  const busy = 1000 + 4 * QUIET_ROWS + 1;
  expect(q.turn(busy)).toBe(false);
  expect([q.turn(busy), q.turn(busy), q.turn(busy)]).toEqual([false, false, true]);
});

test('a table rows pass through reuses their space instead of growing; other tables are left alone', async () => {
  await db.exec(
    'create table jobs (id text primary key, due_at bigint not null, payload jsonb not null); create index jobs_due on jobs (due_at)',
  );
  const size = async () => Number((await db.query<{ n: string }>(`select pg_total_relation_size('jobs') as n`)).rows[0]!.n);
  let first = 0;
  for (let round = 0; round < 10; round++) {
    await db.exec(`insert into jobs select 'r${round}_' || g, g, '{"kind":"offerExpiry"}' from generate_series(1, 3000) g`);
    await db.exec('delete from jobs');
    // Every task row updated: dead rows enough for autovacuum, but tasks is not a table rows pass through.
    if (round === 0) await db.exec('update tasks set updated_at = updated_at + 1');
    expect(await vacuumDeadTables(db)).toEqual(['jobs']);
    if (round === 0) first = await size();
  }
  // Without VACUUM every round's rows went to the table's end: ten times the first round's size.
  // With it the table is reused and its indexes grow a little (a freed index page is reused a VACUUM later).
  expect(await size()).toBeLessThanOrEqual(first * 2);
  // Nothing dead left: no table needs it now.
  expect(await vacuumDeadTables(db)).toEqual([]);
});

test('the tables rows pass through are tables of the schema', () => {
  const names = new Set(
    Object.values(schema)
      .filter((t) => is(t, PgTable))
      .map((t) => getTableName(t as PgTable)),
  );
  expect([...VACUUMED_TABLES].filter((n) => !names.has(n))).toEqual([]);
});

test('a table with many dead rows outside the list is vacuumed once the database has been quiet, not while it is written to', async () => {
  await db.exec(`create table history (id int primary key, body text not null);
    insert into history select g, repeat('x', 200) from generate_series(1, 4000) g;
    delete from history where id <= 3000`);
  const dead = async () => {
    await db.query('select pg_stat_force_next_flush()');
    return Number((await db.query<{ n: string }>(`select n_dead_tup as n from pg_stat_user_tables where relname = 'history'`)).rows[0]!.n);
  };
  expect(await dead()).toBe(3000);
  const q = new Quietness();
  // Busy: every turn writes more rows than a quiet one.
  for (let turn = 0; turn < QUIET_TURNS + 2; turn++) {
    await db.exec(`insert into notes select 'busy${turn}_' || g from generate_series(1, ${QUIET_ROWS + 10}) g`);
    expect(await vacuumDeadTables(db, q)).not.toContain('history');
  }
  expect(await dead()).toBe(3000);
  // Quiet: after QUIET_TURNS turns, history's turn comes.
  const vacuumed: string[][] = [];
  for (let turn = 0; turn < QUIET_TURNS; turn++) vacuumed.push(await vacuumDeadTables(db, q));
  expect(vacuumed.slice(0, -1).flat()).not.toContain('history');
  expect(vacuumed.at(-1)).toContain('history');
  expect(await dead()).toBe(0);
  // Its space is reused: the next rows fill the pages the deleted ones left.
  const size = async () => Number((await db.query<{ n: string }>(`select pg_relation_size('history') as n`)).rows[0]!.n);
  const before = await size();
  await db.exec(`insert into history select g, repeat('y', 200) from generate_series(5001, 7000) g`);
  expect(await size()).toBe(before);
});

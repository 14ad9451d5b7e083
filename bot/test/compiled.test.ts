/**
 * Statements drizzle builds once (store/compiled.ts): values go through the columns' encoders and
 * rows through drizzle's mapping as with a query built per call, and every call runs on the
 * connection it is given: a transaction's writes roll back with it, two open transactions each see
 * only their own. Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Task } from '@stratus/shared/task/types';
import { compiled } from '../store/compiled';
import { openStore, type Store } from '../store/db';
import { insertTask, updateTask } from '../store/repo';
import { jobs, tasks } from '../store/schema';

let store: Store;
beforeAll(async () => {
  store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://' });
}, 60_000);
afterAll(async () => {
  await store.db.delete(jobs).where(eq(jobs.tenantId, tenant));
  await store.close();
});

/** A tenant of its own: on PostgreSQL the database is shared with other suites. */
const tenant = `compiled-${process.pid}-${Date.now()}`;

const addJob = compiled<{ id: string; tenantId: string; ref: string; payload: Record<string, unknown>; dueAt: number }, unknown>((q, $) =>
  q
    .insert(jobs)
    .values({ id: $('id'), tenantId: $('tenantId'), kind: 'queueTimeout', ref: $('ref'), payload: $('payload'), dueAt: $('dueAt') }),
);
const jobsOf = compiled<{ tenantId: string; ref: string }, { id: string; payload: unknown; dueAt: number; lastError: string | null }[]>(
  (q, $) =>
    q
      .select({ id: jobs.id, payload: jobs.payload, dueAt: jobs.dueAt, lastError: jobs.lastError })
      .from(jobs)
      .where(and(eq(jobs.tenantId, $('tenantId')), eq(jobs.ref, $('ref')))),
);

test('values are encoded and rows mapped as drizzle does per call: jsonb, bigint as a number, null', async () => {
  const payload = { taskId: 'O\'Brien "grüezi" 👋', n: [1, 2], nested: { ok: true } };
  await addJob(store.db, { id: `${tenant}-a`, tenantId: tenant, ref: `${tenant}/a`, payload, dueAt: 1_767_225_600_123 });
  const rows = await jobsOf(store.db, { tenantId: tenant, ref: `${tenant}/a` });
  expect(rows).toEqual([{ id: `${tenant}-a`, payload, dueAt: 1_767_225_600_123, lastError: null }]);
  // The same rows as the query built per call gives.
  const direct = await store.db
    .select({ id: jobs.id, payload: jobs.payload, dueAt: jobs.dueAt, lastError: jobs.lastError })
    .from(jobs)
    .where(eq(jobs.ref, `${tenant}/a`));
  expect(rows).toEqual(direct);
  expect(await jobsOf(store.db, { tenantId: 'another tenant', ref: `${tenant}/a` })).toEqual([]);
});

test('a call inside a transaction runs on it: seen inside, rolled back with it', async () => {
  const ref = `${tenant}/b`;
  await expect(
    store.db.transaction(async (tx) => {
      await addJob(tx, { id: `${tenant}-b`, tenantId: tenant, ref, payload: {}, dueAt: 1 });
      expect(await jobsOf(tx, { tenantId: tenant, ref })).toHaveLength(1);
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  expect(await jobsOf(store.db, { tenantId: tenant, ref })).toEqual([]);
});

// Two transactions open at once need two connections: PostgreSQL only (PGlite runs one at a time).
(process.env.DATABASE_URL ? test : test.skip)('two open transactions each read only their own row through the one statement', async () => {
  // Each its own ref ((kind, ref) is unique: a second insert of one ref would wait for the first).
  const refOf = (k: string) => `${tenant}/${k}`;
  let arrived = 0;
  let release!: () => void;
  const bothInserted = new Promise<void>((r) => (release = r));
  const seen = await Promise.all(
    ['c', 'd'].map((k) =>
      store.db.transaction(async (tx) => {
        await addJob(tx, { id: `${tenant}-${k}`, tenantId: tenant, ref: refOf(k), payload: { k }, dueAt: 2 });
        if (++arrived === 2) release();
        await bothInserted;
        const mine = await jobsOf(tx, { tenantId: tenant, ref: refOf('c') });
        const theirs = await jobsOf(tx, { tenantId: tenant, ref: refOf('d') });
        return [...mine, ...theirs].map((r) => r.payload);
      }),
    ),
  );
  expect(seen).toEqual([[{ k: 'c' }], [{ k: 'd' }]]);
  expect(await jobsOf(store.db, { tenantId: tenant, ref: refOf('d') })).toHaveLength(1);
});

(process.env.DATABASE_URL ? test : test.skip)('one statement serves a PGlite store and a PostgreSQL store in one process', async () => {
  const embedded = await openStore({ dataDir: 'memory://' });
  try {
    for (const [k, q] of [
      ['pg', store.db],
      ['pglite', embedded.db],
    ] as const) {
      await addJob(q, { id: `${tenant}-${k}`, tenantId: tenant, ref: `${tenant}/both`, payload: { k }, dueAt: 4 });
      expect((await jobsOf(q, { tenantId: tenant, ref: `${tenant}/both` })).map((r) => r.payload)).toEqual([{ k }]);
    }
  } finally {
    await embedded.close();
  }
});

const setPayload = compiled<{ id: string; payload: unknown }, unknown>((q, $) =>
  q
    .update(jobs)
    .set({ payload: $('payload', jobs.payload) })
    .where(eq(jobs.id, $('id'))),
);

test("an update's value is encoded by its column: a JSON array stays a JSON array (not a PostgreSQL array)", async () => {
  const id = `${tenant}-e`;
  await addJob(store.db, { id, tenantId: tenant, ref: `${tenant}/e`, payload: {}, dueAt: 3 });
  for (const payload of [[1, 'two', { three: 3 }], { a: null }, 'plain text']) {
    await setPayload(store.db, { id, payload });
    expect((await jobsOf(store.db, { tenantId: tenant, ref: `${tenant}/e` }))[0]?.payload).toEqual(payload);
  }
});

test('null is SQL NULL, as with a query built per call, not the JSON null: a task without a workflow', async () => {
  const task = {
    id: `${tenant}-task`,
    tenantId: tenant,
    conversationId: 'c',
    serviceId: 's',
    state: 'workflow',
    offers: [],
  } as unknown as Task;
  const workflowIsNull = async () =>
    ((await store.db.execute(sql`select workflow is null as n from tasks where id = ${task.id}`)) as unknown as { rows: { n: boolean }[] })
      .rows[0]?.n;
  try {
    await store.db.transaction((tx) => insertTask(tx, task, undefined, 1));
    expect(await workflowIsNull()).toBe(true);
    await store.db.transaction((tx) => updateTask(tx, task, { at: 'node-1' }, 2));
    expect(await workflowIsNull()).toBe(false);
    await store.db.transaction((tx) => updateTask(tx, task, undefined, 3));
    expect(await workflowIsNull()).toBe(true);
  } finally {
    await store.db.delete(tasks).where(eq(tasks.id, task.id));
  }
});

test('a missing value is an error before anything runs', async () => {
  await expect(jobsOf(store.db, { tenantId: tenant } as never)).rejects.toThrow(/placeholder "ref"/);
});

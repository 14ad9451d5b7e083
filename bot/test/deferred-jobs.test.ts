/**
 * Jobs a unit of work schedules are written together just before it commits (store/jobs.ts,
 * deferJobs): what a transaction ends with is exactly what the one-by-one writes gave, whatever
 * order it scheduled, rescheduled and cancelled in, and erasure in the same transaction still
 * deletes a chat's jobs. A transaction that fails writes none.
 */
import { sql } from 'drizzle-orm';
import { demoTenant } from '@stratus/shared/tenant/demo';
import { inTx } from '../runtime/uow';
import { cancelJob, scheduleJob } from '../scheduler/jobs';
import { eraseConversation } from '../store/privacy';
import { startHarness, waitForOffered, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tenants: [demoTenant()] });
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

// Jobs due in 2100: a job already due could be claimed and run by the server's job poller (on
// PostgreSQL, on another connection) before the test reads it back.
const LATER = Date.UTC(2100, 0, 1);

type Row = { kind: string; ref: string; due_at: string | number; payload: unknown; attempts: number };
async function jobsFor(prefix: string): Promise<Row[]> {
  const r = await h.app.rt.store.db.execute(
    sql`select kind, ref, due_at, payload, attempts from jobs where ref like ${prefix + '%'} order by kind, ref`,
  );
  return ((r as unknown as { rows: Row[] }).rows ?? (r as unknown as Row[])).map((x) => ({ ...x, due_at: Number(x.due_at) }));
}

test('several jobs, a reschedule and a cancel in one transaction end as the one-by-one writes would', async () => {
  await inTx(h.app.rt, async (u) => {
    await scheduleJob(u.tx, { tenantId: 'contoso', kind: 'workflowTimer', ref: 'dj1/a', payload: { n: 1 }, dueAt: LATER + 1000 });
    await scheduleJob(u.tx, { tenantId: 'contoso', kind: 'queueTimeout', ref: 'dj1/a', payload: { n: 2 }, dueAt: LATER + 2000 });
    await scheduleJob(u.tx, { tenantId: 'contoso', kind: 'offerExpiry', ref: 'dj1/b', payload: { n: 3 }, dueAt: LATER + 3000 });
    // Rescheduled: the last schedule wins.
    await scheduleJob(u.tx, { tenantId: 'contoso', kind: 'workflowTimer', ref: 'dj1/a', payload: { n: 4 }, dueAt: LATER + 4000 });
    // Scheduled, then cancelled: none.
    await cancelJob(u.tx, 'offerExpiry', 'dj1/b');
  });
  expect(await jobsFor('dj1/')).toEqual([
    { kind: 'queueTimeout', ref: 'dj1/a', due_at: LATER + 2000, payload: { n: 2 }, attempts: 0 },
    { kind: 'workflowTimer', ref: 'dj1/a', due_at: LATER + 4000, payload: { n: 4 }, attempts: 0 },
  ]);

  // A committed job cancelled and scheduled again in a later transaction: the new one stands.
  await inTx(h.app.rt, async (u) => {
    await cancelJob(u.tx, 'queueTimeout', 'dj1/a');
    await scheduleJob(u.tx, { tenantId: 'contoso', kind: 'queueTimeout', ref: 'dj1/a', payload: { n: 5 }, dueAt: LATER + 5000 });
    // And a committed one only cancelled: gone.
    await cancelJob(u.tx, 'workflowTimer', 'dj1/a');
  });
  expect(await jobsFor('dj1/')).toEqual([{ kind: 'queueTimeout', ref: 'dj1/a', due_at: LATER + 5000, payload: { n: 5 }, attempts: 0 }]);
});

test('a transaction that fails writes none of its jobs', async () => {
  await expect(
    inTx(h.app.rt, async (u) => {
      await scheduleJob(u.tx, { tenantId: 'contoso', kind: 'workflowTimer', ref: 'dj2/a', dueAt: LATER + 1000 });
      await scheduleJob(u.tx, { tenantId: 'contoso', kind: 'queueTimeout', ref: 'dj2/a', dueAt: LATER + 1000 });
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  expect(await jobsFor('dj2/')).toEqual([]);
});

test("erasure deletes a chat's jobs scheduled earlier in its own transaction", async () => {
  // A real chat, so erasure has a conversation and a task to clear.
  const start = await h.call('POST', '/api/interact/support/chats', {
    displayName: 'Erin',
    email: 'erin@example.com',
    privacyAccepted: true,
    message: 'hello',
  });
  expect(start.status).toBe(201);
  const { chatId } = start.data as { chatId: string };
  const [task] = (
    (await h.app.rt.store.db.execute(sql`select id from tasks where conversation_id = ${chatId}`)) as unknown as { rows: { id: string }[] }
  ).rows;
  // Once its offer is made (the demo's agent is available): a pass after the erasure would schedule the offer's timer anew.
  await waitForOffered(h, task!.id);
  await inTx(h.app.rt, async (u) => {
    await scheduleJob(u.tx, { tenantId: 'contoso', kind: 'chatInactivity', ref: task!.id, payload: { taskId: task!.id }, dueAt: 1 });
    const erased = await eraseConversation(u.tx, 'contoso', chatId);
    expect(erased?.jobs).toBeGreaterThanOrEqual(1);
  });
  expect(await jobsFor(task!.id)).toEqual([]);
});

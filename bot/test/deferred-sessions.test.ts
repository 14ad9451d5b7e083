/**
 * Reporting sessions a unit of work saves are written together just before it commits
 * (store/reporting.ts, deferSessions): reads in the transaction see the latest save, the row ends
 * as the last save left it, a failed transaction writes none, and erasure in the same transaction
 * strips what a save before it wrote; and, on PostgreSQL, a distribution pass's lock that waited
 * for a task reads the session its holder saved.
 */
import { sql } from 'drizzle-orm';
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { ReportingSession } from '@stratus/shared/reporting/session';
import { inTx } from '../runtime/uow';
import { eraseConversation } from '../store/privacy';
import { lockTask, lockTaskAndConversation, tryLockTasksAndConversations } from '../store/locks';
import { reportingSessionOf, saveReportingSession } from '../store/reporting';
import { startHarness, waitForOffered, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tenants: [demoTenant()] });
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

/** A real chat (its task has a session from its start); its conversation and task ids. */
async function chat(name: string): Promise<{ chatId: string; taskId: string }> {
  const start = await h.call('POST', '/api/interact/support/chats', {
    displayName: name,
    email: 'x@example.com',
    privacyAccepted: true,
    message: 'hello',
  });
  expect(start.status).toBe(201);
  const { chatId } = start.data as { chatId: string };
  const r = (await h.app.rt.store.db.execute(sql`select id from tasks where conversation_id = ${chatId}`)) as unknown as {
    rows: { id: string }[];
  };
  return { chatId, taskId: r.rows[0]!.id };
}

async function storedSession(taskId: string): Promise<{ outcome: string | null; data: ReportingSession } | undefined> {
  const r = (await h.app.rt.store.db.execute(sql`select outcome, data from reporting_sessions where task_id = ${taskId}`)) as unknown as {
    rows: { outcome: string | null; data: ReportingSession }[];
  };
  return r.rows[0];
}

/** Saves the task's session with `patch` in `tx`, as the task store does (conversation, then task). */
async function save(tx: Parameters<typeof lockTask>[0], taskId: string, patch: Partial<ReportingSession>): Promise<void> {
  const row = (await lockTaskAndConversation(tx, 'contoso', taskId))?.row;
  const before = await reportingSessionOf(tx, 'contoso', taskId);
  await saveReportingSession(tx, row!.task, { ...before!, ...patch }, before, 20_000);
}

test('two saves in one transaction: reads see the latest, the row ends as the last save left it', async () => {
  const { taskId } = await chat('Dana');
  await inTx(h.app.rt, async (u) => {
    await save(u.tx, taskId, { csat: { rating: 2, at: 1 } });
    await save(u.tx, taskId, { csat: { rating: 4, at: 2 } });
    expect((await reportingSessionOf(u.tx, 'contoso', taskId))?.csat?.rating).toBe(4);
    // Another statement reads the row as it is on disk (the offer's lock): the save in this transaction stays the answer.
    await tryLockTasksAndConversations(u.tx, 'contoso', [taskId]);
    expect((await reportingSessionOf(u.tx, 'contoso', taskId))?.csat?.rating).toBe(4);
  });
  const row = await storedSession(taskId);
  expect(row?.data.csat?.rating).toBe(4);
  const typed = (await h.app.rt.store.db.execute(sql`select csat_rating from reporting_sessions where task_id = ${taskId}`)) as unknown as {
    rows: { csat_rating: number }[];
  };
  expect(typed.rows[0]?.csat_rating).toBe(4);
});

test('sessions of several tasks in one transaction are all written; a failed transaction writes none', async () => {
  const a = await chat('Eli');
  const b = await chat('Fay');
  await inTx(h.app.rt, async (u) => {
    await save(u.tx, a.taskId, { csat: { rating: 5, at: 1 } });
    await save(u.tx, b.taskId, { csat: { rating: 3, at: 1 } });
  });
  expect((await storedSession(a.taskId))?.data.csat?.rating).toBe(5);
  expect((await storedSession(b.taskId))?.data.csat?.rating).toBe(3);

  await expect(
    inTx(h.app.rt, async (u) => {
      await save(u.tx, a.taskId, { csat: { rating: 1, at: 2 } });
      await save(u.tx, b.taskId, { csat: { rating: 1, at: 2 } });
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  expect((await storedSession(a.taskId))?.data.csat?.rating).toBe(5);
  expect((await storedSession(b.taskId))?.data.csat?.rating).toBe(3);
});

test('erasure strips a comment saved earlier in its own transaction', async () => {
  const { chatId, taskId } = await chat('Gus');
  await inTx(h.app.rt, async (u) => {
    await save(u.tx, taskId, { csat: { rating: 5, comment: 'call me on 555-0100', at: 1 } });
    const erased = await eraseConversation(u.tx, 'contoso', chatId);
    expect(erased?.reportingSessions).toBe(1);
  });
  const row = await storedSession(taskId);
  expect(row?.data.csat?.rating).toBe(5);
  expect(row?.data.csat?.comment).toBeUndefined();
});

const pg = process.env.DATABASE_URL ? test : test.skip;

pg('an offer lock that waited for the task reads the session its holder saved, not the one before', async () => {
  const { taskId } = await chat('Hal');
  // Once the start's own pass has offered it: that pass must not be the one waiting for the task below.
  await waitForOffered(h, taskId);
  // A transaction holds the task (not its conversation) and saves the session.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let held!: () => void;
  const isHeld = new Promise<void>((r) => (held = r));
  const holder = inTx(h.app.rt, async (u) => {
    const row = await lockTask(u.tx, 'contoso', taskId);
    const before = await reportingSessionOf(u.tx, 'contoso', taskId);
    await saveReportingSession(u.tx, row!.task, { ...before!, csat: { rating: 4, at: 1 } }, before, 20_000);
    held();
    await released;
  });
  await isHeld;
  // The offer's lock waits for the task; its session is read once it has it.
  const seen = inTx(h.app.rt, async (u) => {
    await tryLockTasksAndConversations(u.tx, 'contoso', [taskId]);
    return (await reportingSessionOf(u.tx, 'contoso', taskId))?.csat?.rating;
  });
  await waitForLockWait();
  release();
  await holder;
  expect(await seen).toBe(4);
});

/** Until some statement of this database waits for a lock. */
async function waitForLockWait(): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const r = (await h.app.rt.store.db.execute(
      sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    )) as unknown as { rows: { n: number }[] };
    if (r.rows[0]!.n > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no statement waited for the lock');
}

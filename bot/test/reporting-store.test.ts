/**
 * A transaction reads back the reporting sessions it wrote (store/reporting.ts) without a query:
 * what it gets equals what the row holds, a caller changing its copy changes nothing stored, and
 * once a statement changed the rows otherwise (privacy) the next read is from the row again. Runs
 * on PGlite, and on PostgreSQL when DATABASE_URL is set.
 */
import { eq, sql } from 'drizzle-orm';
import type { ReportingSession } from '@stratus/shared/reporting/session';
import type { Task } from '@stratus/shared/task/types';
import { openStore, type Store } from '../store/db';
import { forgetWrittenSessions, reportingSessionOf, saveReportingSession } from '../store/reporting';
import { reportingSessions } from '../store/schema';

let store: Store;
beforeAll(async () => {
  store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://' });
}, 60_000);
afterAll(async () => {
  await store.db.delete(reportingSessions).where(eq(reportingSessions.tenantId, tenant));
  await store.close();
});

const tenant = `reporting-store-${process.pid}-${Date.now()}`;
const task = { id: `${tenant}-task`, tenantId: tenant, serviceId: 'support', channel: 'interact' } as Task;
const session: ReportingSession = {
  taskId: task.id,
  tenantId: tenant,
  conversationId: 'c1',
  serviceId: 'support',
  channel: 'interact',
  direct: false,
  offeredUserIds: [],
  createdAt: Date.UTC(2026, 11, 4),
  offers: 0,
  declines: 0,
  misses: 0,
  csat: { rating: 4, comment: 'kind words', at: Date.UTC(2026, 11, 4, 1) },
};

test('a session written in a transaction reads back as the row holds it, as a copy, until it is changed otherwise', async () => {
  await store.db.transaction(async (tx) => {
    await saveReportingSession(tx, task, session, undefined, 20_000);
    const first = await reportingSessionOf(tx, tenant, task.id);
    expect(first).toEqual(session);
    expect(first).not.toBe(session);
    // The caller's copy is its own.
    first!.offers = 99;
    first!.offeredUserIds.push('someone');
    expect(await reportingSessionOf(tx, tenant, task.id)).toEqual(session);
    // Another tenant's read of the same task id is not answered from the transaction's copy.
    expect(await reportingSessionOf(tx, 'another tenant', task.id)).toBeUndefined();

    // A statement that changes the row itself: the next read sees the row.
    await tx.execute(sql`update reporting_sessions set data = data #- '{csat,comment}' where task_id = ${task.id}`);
    forgetWrittenSessions(tx);
    expect((await reportingSessionOf(tx, tenant, task.id))?.csat).toEqual({ rating: 4, at: Date.UTC(2026, 11, 4, 1) });
  });
  // Outside the transaction: the committed row.
  expect(await reportingSessionOf(store.db, tenant, task.id)).toEqual({ ...session, csat: { rating: 4, at: Date.UTC(2026, 11, 4, 1) } });
});

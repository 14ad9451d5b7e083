/** Reporting sessions: written by tasks (one row per task, folded from its events in its transaction), read by reports. */
import { and, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { ReportingSession } from '@stratus/shared/reporting/session';
import type { Task } from '@stratus/shared/task/types';
import { compiled } from './compiled';
import type { Q, Tx } from './db';
import { addToDaily } from './kpis';
import { reportingSessions } from './schema';

export interface SessionsWhere {
  tenantId: string;
  /** Only these services (a viewer who is not a tenant admin); undefined for all of them. */
  services?: readonly string[];
  service?: string;
  channel?: string;
  outcome?: string;
  /** Created at or after (ms). */
  fromMs?: number;
  /** Created at or before (ms). */
  toMs?: number;
  limit: number;
}

/** The reporting sessions of a tenant that match `w`, newest first, at most `w.limit`. */
export async function listReportingSessions(q: Q, w: SessionsWhere): Promise<ReportingSession[]> {
  const where: SQL[] = [eq(reportingSessions.tenantId, w.tenantId)];
  if (w.services) where.push(inArray(reportingSessions.serviceId, [...w.services]));
  if (w.service) where.push(eq(reportingSessions.serviceId, w.service));
  if (w.channel) where.push(eq(reportingSessions.channel, w.channel));
  if (w.outcome) where.push(eq(reportingSessions.outcome, w.outcome));
  if (w.fromMs !== undefined) where.push(gte(reportingSessions.createdAt, w.fromMs));
  if (w.toMs !== undefined) where.push(lte(reportingSessions.createdAt, w.toMs));
  const rows = await q
    .select({ data: reportingSessions.data })
    .from(reportingSessions)
    .where(and(...where))
    .orderBy(desc(reportingSessions.createdAt))
    .limit(w.limit);
  return rows.map((r) => r.data as ReportingSession);
}

const sessionOfTask = compiled<{ tenantId: string; taskId: string }, { data: unknown }[]>((q, $) =>
  q
    .select({ data: reportingSessions.data })
    .from(reportingSessions)
    .where(and(eq(reportingSessions.tenantId, $('tenantId')), eq(reportingSessions.taskId, $('taskId')))),
);

/**
 * The sessions each open transaction has written (or read along with a lock), by task: a later
 * read in the same transaction (an offer saving the session it locked with its task) answers from
 * here instead of reading the row back. Copies go in and out, as a read would give. A statement
 * that changes session rows otherwise must call `forgetWrittenSessions` for its transaction.
 */
const written = new WeakMap<object, Map<string, ReportingSession>>();

function remember(tx: Tx, taskId: string, session: ReportingSession): void {
  let mine = written.get(tx);
  if (!mine) written.set(tx, (mine = new Map()));
  mine.set(taskId, structuredClone(session));
}

/** A session the transaction read with another statement (the offer's lock): later reads answer from it. */
export function rememberSession(tx: Tx, session: ReportingSession): void {
  remember(tx, session.taskId, session);
}

/** After a transaction changed reporting sessions by other means than `saveReportingSession`. */
export function forgetWrittenSessions(tx: Tx): void {
  written.delete(tx);
}

/** The task's reporting session so far, if it has one. */
export async function reportingSessionOf(q: Q, tenantId: string, taskId: string): Promise<ReportingSession | undefined> {
  const mine = written.get(q)?.get(taskId);
  if (mine && mine.tenantId === tenantId) return structuredClone(mine);
  const [row] = await sessionOfTask(q, { tenantId, taskId });
  return row?.data as ReportingSession | undefined;
}

/** The typed copies of the figures KPIs add up (null where the session has none yet). */
function kpiColumns(x: ReportingSession) {
  return {
    userId: x.userId ?? null,
    queuedAt: x.queuedAt ?? null,
    acceptedAt: x.acceptedAt ?? null,
    queueMs: x.queueMs ?? null,
    handlingMs: x.handlingMs ?? null,
    csatRating: x.csat?.rating ?? null,
  };
}

/** Inserts or replaces a task's session row; the update takes the inserted values (the session is encoded once). */
const upsertSession = compiled<typeof reportingSessions.$inferInsert, unknown>((q, $) =>
  q
    .insert(reportingSessions)
    .values({
      taskId: $('taskId'),
      tenantId: $('tenantId'),
      serviceId: $('serviceId'),
      channel: $('channel'),
      outcome: $('outcome'),
      createdAt: $('createdAt'),
      userId: $('userId'),
      queuedAt: $('queuedAt'),
      acceptedAt: $('acceptedAt'),
      queueMs: $('queueMs'),
      handlingMs: $('handlingMs'),
      csatRating: $('csatRating'),
      data: $('data'),
    })
    .onConflictDoUpdate({
      target: reportingSessions.taskId,
      set: {
        outcome: sql`excluded.outcome`,
        data: sql`excluded.data`,
        serviceId: sql`excluded.service_id`,
        userId: sql`excluded.user_id`,
        queuedAt: sql`excluded.queued_at`,
        acceptedAt: sql`excluded.accepted_at`,
        queueMs: sql`excluded.queue_ms`,
        handlingMs: sql`excluded.handling_ms`,
        csatRating: sql`excluded.csat_rating`,
      },
    }),
);

/**
 * Writes the task's reporting session (its service may have changed by a transfer) and keeps the
 * daily KPI sums in step: `before` is the session as it was saved last (undefined for a new one),
 * `thresholdMs` the service's service-level threshold now.
 */
export async function saveReportingSession(
  tx: Tx,
  task: Task,
  session: ReportingSession,
  before: ReportingSession | undefined,
  thresholdMs: number,
): Promise<void> {
  await addToDaily(tx, task, before, session, thresholdMs);
  await upsertSession(tx, {
    taskId: task.id,
    tenantId: task.tenantId,
    serviceId: task.serviceId,
    channel: task.channel,
    outcome: session.outcome ?? null,
    createdAt: session.createdAt,
    ...kpiColumns(session),
    data: session,
  });
  remember(tx, task.id, session);
}

/**
 * The latest end of the agent's other wrap-ups still running at `now` (ended tasks of the last
 * hour, the longest a wrap-up lasts, not yet filed), if any: filing one wrap-up keeps the others.
 */
export async function otherWrapUpUntil(
  q: Q,
  tenantId: string,
  userId: string,
  exceptTaskId: string,
  now: number,
): Promise<number | undefined> {
  const res = await q.execute(sql`
    select max((r.data->'wrapUp'->>'until')::bigint) as until
    from tasks t join reporting_sessions r on r.task_id = t.id
    where t.tenant_id = ${tenantId} and t.user_id = ${userId} and t.state = 'ended' and t.updated_at >= ${now - 3_600_000}
      and t.id <> ${exceptTaskId} and r.data->'wrapUp' is not null and r.data->'wrapUp'->'filedAt' is null
      and (r.data->'wrapUp'->>'until')::bigint > ${now}`);
  const v = (res as unknown as { rows: { until: string | number | null }[] }).rows[0]?.until;
  return v === null || v === undefined ? undefined : Number(v);
}

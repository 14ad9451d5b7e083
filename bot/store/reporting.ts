/** Reporting sessions: written by tasks (one row per task, folded from its events in its transaction), read by reports. */
import { and, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { ReportingSession } from '@stratus/shared/reporting/session';
import type { Task } from '@stratus/shared/task/types';
import { compiled, idsIn } from './compiled';
import type { Q, Tx } from './db';
import { addToDaily } from './kpis';
import { reportingSessions } from './schema';
import { TxBuffer } from './tx-buffer';

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
  await flushSessions(q);
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

function mineOf(tx: Tx): Map<string, ReportingSession> {
  let mine = written.get(tx);
  if (!mine) written.set(tx, (mine = new Map()));
  return mine;
}

/**
 * A session the transaction read with another statement (the offer's lock): later reads answer
 * from it. One this transaction saved and has not written yet stays: it is the newer.
 */
function rememberSession(tx: Tx, session: ReportingSession): void {
  if (deferred.of(tx)?.has(session.taskId)) return;
  mineOf(tx).set(session.taskId, structuredClone(session));
}

const sessionsOfTasks = compiled<{ tenantId: string; taskIds: string }, { data: unknown }[]>((q, $) =>
  q
    .select({ data: reportingSessions.data })
    .from(reportingSessions)
    .where(and(eq(reportingSessions.tenantId, $('tenantId')), idsIn(reportingSessions.taskId, $('taskIds')))),
);

/**
 * Reads the sessions of tasks the transaction has just locked (`taskIds`, a JSON array), in one
 * statement, and remembers them as rememberSession does (a distribution pass's offers).
 */
export async function rememberSessionsOf(tx: Tx, tenantId: string, taskIds: string): Promise<void> {
  for (const r of await sessionsOfTasks(tx, { tenantId, taskIds })) rememberSession(tx, r.data as ReportingSession);
}

/** After a transaction changed reporting sessions by other means than `saveReportingSession` (flushSessions first). */
export function forgetWrittenSessions(tx: Tx): void {
  written.delete(tx);
}

type SessionRow = typeof reportingSessions.$inferInsert;

/**
 * The session rows a transaction saved and has not written yet, by task (the last save wins, as
 * the upsert would). Only for transactions that opted in (deferSessions: every inTx).
 */
const deferred = new TxBuffer<SessionRow>();

/**
 * From now on the sessions `tx` saves are written together by flushSessions, just before it
 * commits: a chat start saves its session once, its offer once more, and a group commit of starts
 * or a distribution pass saves many. Reads in the transaction answer from `written` (reportingSessionOf);
 * a statement that reads or changes the rows otherwise flushes first (erasure, the wrap-up check,
 * listReportingSessions). Written after the other rows of the LOCK ORDER (locks.ts) but jobs and
 * the outbox, which adds no cycle: a session row is only saved by a transaction holding its task's
 * row, so its writers are already serialized by that row.
 */
export function deferSessions(tx: Q): void {
  deferred.start(tx);
}

/** Several session rows in one statement (one text for any number, so PGlite keeps it prepared). */
async function upsertSessions(q: Q, rows: SessionRow[]): Promise<void> {
  const json = rows.map((r) => ({
    task_id: r.taskId,
    tenant_id: r.tenantId,
    service_id: r.serviceId,
    channel: r.channel,
    outcome: r.outcome,
    created_at: r.createdAt,
    user_id: r.userId,
    queued_at: r.queuedAt,
    accepted_at: r.acceptedAt,
    queue_ms: r.queueMs,
    handling_ms: r.handlingMs,
    csat_rating: r.csatRating,
    data: r.data,
  }));
  await q.execute(sql`
    insert into reporting_sessions (task_id, tenant_id, service_id, channel, outcome, created_at, user_id, queued_at,
      accepted_at, queue_ms, handling_ms, csat_rating, data)
    select task_id, tenant_id, service_id, channel, outcome, created_at, user_id, queued_at, accepted_at, queue_ms,
      handling_ms, csat_rating, data
    from jsonb_to_recordset(${JSON.stringify(json)}::jsonb) as x(task_id text, tenant_id text, service_id text, channel text,
      outcome text, created_at bigint, user_id text, queued_at bigint, accepted_at bigint, queue_ms bigint, handling_ms bigint,
      csat_rating integer, data jsonb)
    on conflict (task_id) do update set outcome = excluded.outcome, data = excluded.data, service_id = excluded.service_id,
      user_id = excluded.user_id, queued_at = excluded.queued_at, accepted_at = excluded.accepted_at,
      queue_ms = excluded.queue_ms, handling_ms = excluded.handling_ms, csat_rating = excluded.csat_rating`);
}

/** Writes the sessions `tx` deferred, in one statement, in task id order; nothing when there are none. */
export async function flushSessions(tx: Q): Promise<void> {
  const rows = deferred.take(tx);
  if (rows.length === 0) return;
  if (rows.length === 1) await upsertSession(tx, rows[0]!);
  else await upsertSessions(tx, rows);
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
  // One copy serves the pending row and later reads (which copy it again), as a write would have encoded it now.
  const copy = structuredClone(session);
  const row: SessionRow = {
    taskId: task.id,
    tenantId: task.tenantId,
    serviceId: task.serviceId,
    channel: task.channel,
    outcome: session.outcome ?? null,
    createdAt: session.createdAt,
    ...kpiColumns(session),
    data: copy,
  };
  const pending = deferred.of(tx);
  if (pending) pending.set(task.id, row);
  else await upsertSession(tx, row);
  mineOf(tx).set(task.id, copy);
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
  await flushSessions(q);
  const res = await q.execute(sql`
    select max((r.data->'wrapUp'->>'until')::bigint) as until
    from tasks t join reporting_sessions r on r.task_id = t.id
    where t.tenant_id = ${tenantId} and t.user_id = ${userId} and t.state = 'ended' and t.updated_at >= ${now - 3_600_000}
      and t.id <> ${exceptTaskId} and r.data->'wrapUp' is not null and r.data->'wrapUp'->'filedAt' is null
      and (r.data->'wrapUp'->>'until')::bigint > ${now}`);
  const v = (res as unknown as { rows: { until: string | number | null }[] }).rows[0]?.until;
  return v === null || v === undefined ? undefined : Number(v);
}

/**
 * The queries of scheduled work (scheduler/jobs.ts runs it): scheduling, cancelling, claiming due
 * jobs with FOR UPDATE SKIP LOCKED and a lease, and settling a job after its handler ran.
 */
import { and, eq, sql } from 'drizzle-orm';
import { compiled } from './compiled';
import type { Q } from './db';
import { jobs } from './schema';
import { TxBuffer } from './tx-buffer';
import { randomIds } from '../util/ids';

export type JobKind =
  | 'offerExpiry'
  | 'queueTimeout'
  | 'workflowTimer'
  | 'ronaReset'
  | 'webRequest'
  | 'channelSend'
  | 'teamsSend'
  | 'activityFeed'
  | 'chatInactivity'
  | 'agentUnanswered'
  | 'retention';

export interface Job {
  id: string;
  tenantId: string;
  kind: JobKind;
  ref: string;
  payload: Record<string, unknown>;
  dueAt: number;
  attempts: number;
}

const upsertJob = compiled<
  { id: string; tenantId: string; kind: JobKind; ref: string; payload: Record<string, unknown>; dueAt: number },
  unknown
>((q, $) =>
  q
    .insert(jobs)
    .values({ id: $('id'), tenantId: $('tenantId'), kind: $('kind'), ref: $('ref'), payload: $('payload'), dueAt: $('dueAt') })
    .onConflictDoUpdate({
      target: [jobs.kind, jobs.ref],
      set: { payload: sql`excluded.payload`, dueAt: sql`excluded.due_at`, attempts: 0, lastError: null },
    }),
);

type JobRow = { id: string; tenantId: string; kind: JobKind; ref: string; payload: Record<string, unknown>; dueAt: number };

/**
 * The jobs a transaction scheduled and has not written yet, by kind and ref (the last schedule of
 * a key wins, as the upsert would). Only for transactions that opted in (deferJobs: every inTx).
 */
const deferred = new TxBuffer<JobRow>();

const keyOf = (kind: JobKind, ref: string) => `${kind}\u0000${ref}`;

/**
 * From now on the jobs `tx` schedules are written together by flushJobs, just before it commits:
 * a chat start schedules two (its queue timeout and its workflow's timer), a distribution pass one
 * per offer, and each was a statement (a round trip on PostgreSQL). Nothing reads a job back in the
 * transaction that scheduled it, except erasure, which flushes first. The rows are written last,
 * after every other lock of the LOCK ORDER (locks.ts) but the outbox's. That adds no cycle: a timer
 * job is only written by a transaction holding its task's (or, for ronaReset, its agent's) row, so
 * its writers are already serialized by that row; a teamsSend job was already the last row its
 * writers (the Teams relay's run, erasure) share.
 */
export function deferJobs(tx: Q): void {
  deferred.start(tx);
}

/** Several jobs in one statement (one text for any number, so PGlite keeps it prepared). */
async function upsertJobs(q: Q, rows: JobRow[]): Promise<void> {
  const json = rows.map((r) => ({ id: r.id, tenant_id: r.tenantId, kind: r.kind, ref: r.ref, payload: r.payload, due_at: r.dueAt }));
  await q.execute(sql`
    insert into jobs (id, tenant_id, kind, ref, payload, due_at)
    select id, tenant_id, kind, ref, payload, due_at
    from jsonb_to_recordset(${JSON.stringify(json)}::jsonb) as x(id text, tenant_id text, kind text, ref text, payload jsonb, due_at bigint)
    on conflict (kind, ref) do update set payload = excluded.payload, due_at = excluded.due_at, attempts = 0, last_error = null`);
}

/** Writes the jobs `tx` deferred, in one statement, in (kind, ref) order; nothing when there are none. */
export async function flushJobs(tx: Q): Promise<void> {
  // By key: `kind\0ref` sorts as (kind, ref), since \0 sorts below every character of a kind.
  const rows = deferred.take(tx);
  if (rows.length === 0) return;
  if (rows.length === 1) {
    await upsertJob(tx, rows[0]!);
    return;
  }
  await upsertJobs(tx, rows);
}

/** Schedules (or reschedules) the job of this kind for `ref`; one per (kind, ref). */
export async function scheduleJob(
  q: Q,
  j: { tenantId: string; kind: JobKind; ref: string; payload?: Record<string, unknown>; dueAt: number },
): Promise<void> {
  const row: JobRow = {
    id: randomIds.next('job'),
    tenantId: j.tenantId,
    kind: j.kind,
    ref: j.ref,
    payload: j.payload ?? {},
    dueAt: j.dueAt,
  };
  const pending = deferred.of(q);
  if (pending) pending.set(keyOf(j.kind, j.ref), row);
  else await upsertJob(q, row);
}

const deleteJob = compiled<{ kind: JobKind; ref: string }, unknown>((q, $) =>
  q.delete(jobs).where(and(eq(jobs.kind, $('kind')), eq(jobs.ref, $('ref')))),
);

/** Deletes the job of this kind for `ref`, if any (also one this transaction scheduled and has not written). */
export async function cancelJob(q: Q, kind: JobKind, ref: string): Promise<void> {
  deferred.of(q)?.delete(keyOf(kind, ref));
  await deleteJob(q, { kind, ref });
}

/**
 * Claims up to `limit` jobs due at `now` and not leased, whose kind is (`inKinds`) or is not in
 * `kinds`, oldest due first: leases them until `lockedUntil` and counts the attempt.
 */
export async function claimDueJobs(
  q: Q,
  c: { now: number; lockedUntil: number; kinds: readonly JobKind[]; inKinds: boolean; limit: number },
): Promise<Job[]> {
  const kinds = sql.join(
    c.kinds.map((k) => sql`${k}`),
    sql`, `,
  );
  const res = await q.execute(sql`
      update jobs set locked_until = ${c.lockedUntil}, attempts = attempts + 1
      where id in (
        select id from jobs
        where due_at <= ${c.now} and (locked_until is null or locked_until < ${c.now})
          and ${c.inKinds ? sql`kind in (${kinds})` : sql`kind not in (${kinds})`}
        order by due_at limit ${c.limit}
        for update skip locked)
      returning id, tenant_id, kind, ref, payload, due_at, attempts`);
  const rows = (res as unknown as { rows: Record<string, unknown>[] }).rows;
  return rows.map((r) => ({
    id: String(r.id),
    tenantId: String(r.tenant_id),
    kind: r.kind as JobKind,
    ref: String(r.ref),
    payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
    dueAt: Number(r.due_at),
    attempts: Number(r.attempts),
  }));
}

/** Runs a job again at `dueAt`, releasing its lease. */
export async function retryJobAt(q: Q, id: string, dueAt: number): Promise<void> {
  await q.update(jobs).set({ dueAt, lockedUntil: null }).where(eq(jobs.id, id));
}

/**
 * A job whose handler succeeded: deleted when still due at `dueAt`; rescheduled while it ran (its
 * due time moved), it is kept for another run and only its lease is released.
 */
export async function finishJob(q: Q, id: string, dueAt: number): Promise<void> {
  const gone = await q
    .delete(jobs)
    .where(and(eq(jobs.id, id), eq(jobs.dueAt, dueAt)))
    .returning({ id: jobs.id });
  if (gone.length === 0) await q.update(jobs).set({ lockedUntil: null }).where(eq(jobs.id, id));
}

/** A job whose handler failed: runs again at `dueAt`, its lease released and the error kept. */
export async function failJob(q: Q, id: string, dueAt: number, lastError: string): Promise<void> {
  await q.update(jobs).set({ dueAt, lockedUntil: null, lastError }).where(eq(jobs.id, id));
}

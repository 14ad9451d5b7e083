/**
 * The task updates and offer rows of a distribution pass, written together: a pass offers up to
 * MAX_OFFERS_PER_PASS chats, and each offer was two statements (the task's update, its offer
 * row). A pass that opts in (deferOfferWrites) has its offers' writes queued by `updateTask` and
 * written by flushOfferWrites in two statements for any number, in task id order.
 *
 * Safe because a pass holds every task it offers locked (with its conversation) before it saves
 * it, so queuing the write takes no lock later than it was taken, and because nothing in a pass
 * reads an offered task back: each queued task is planned once per pass. Any other update of a
 * task in the same transaction writes what is queued first (updateTask), so order is kept.
 */
import { sql } from 'drizzle-orm';
import type { Task } from '@stratus/shared/task/types';
import type { Q } from './db';
import { TxBuffer } from './tx-buffer';

/** A task's row as `updateTask` writes it. */
export interface TaskUpdate {
  tenantId: string;
  id: string;
  state: string;
  userId: string | null;
  data: Task;
  workflow: unknown;
  updatedAt: number;
  serviceId: string;
}

const deferred = new TxBuffer<TaskUpdate>();

/** From now on the offers `tx` saves (a queued task's first offers) are written by flushOfferWrites. */
export function deferOfferWrites(tx: Q): void {
  deferred.start(tx);
}

/** Whether `tx` defers offer writes (another write of a task in it then flushes them first). */
export function defersOfferWrites(tx: Q): boolean {
  return deferred.of(tx) !== undefined;
}

/** Queues the update of a task offered for the first time: false when `tx` does not defer, or already queued this task. */
export function deferOfferWrite(tx: Q, row: TaskUpdate): boolean {
  const pending = deferred.of(tx);
  if (!pending || pending.has(row.id)) return false;
  // A copy: the caller's task object may change after this (as a write would have encoded it now).
  pending.set(row.id, { ...row, data: structuredClone(row.data) });
  return true;
}

/** Writes the queued updates and their offer rows: two statements, whatever their number; nothing when none. */
export async function flushOfferWrites(tx: Q): Promise<void> {
  const rows = deferred.take(tx);
  if (rows.length === 0) return;
  const updates = rows.map((r) => ({
    tenant_id: r.tenantId,
    id: r.id,
    state: r.state,
    user_id: r.userId,
    data: r.data,
    workflow: r.workflow ?? null,
    updated_at: r.updatedAt,
    service_id: r.serviceId,
  }));
  await tx.execute(sql`
    update tasks t set state = x.state, user_id = x.user_id, data = x.data, workflow = x.workflow,
      updated_at = x.updated_at, service_id = x.service_id
    from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as x(tenant_id text, id text, state text, user_id text,
      data jsonb, workflow jsonb, updated_at bigint, service_id text)
    where t.tenant_id = x.tenant_id and t.id = x.id`);
  const offers = rows.flatMap((r) =>
    r.data.offers.map((o) => ({ tenant_id: r.tenantId, task_id: r.id, user_id: o.userId, expires_at: o.expiresAt })),
  );
  if (offers.length === 0) return;
  await tx.execute(sql`
    insert into task_offers (tenant_id, task_id, user_id, expires_at)
    select tenant_id, task_id, user_id, expires_at
    from jsonb_to_recordset(${JSON.stringify(offers)}::jsonb) as x(tenant_id text, task_id text, user_id text, expires_at bigint)`);
}

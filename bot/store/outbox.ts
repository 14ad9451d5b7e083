/**
 * The outbox: appending inside the caller's transaction, and reading back in id order. The advisory
 * lock is transaction scoped: it is taken before the ids are drawn and held until commit, so event
 * ids become visible in increasing order and a reader resuming with "id > cursor" never skips one.
 */
import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Q, Tx } from './db';
import { eventCursors, events } from './schema';
import type { EventType, ServerEvent, Stored } from '@stratus/shared/contract/events';

/** Lock key serializing outbox appends (one key for all tenants keeps one global order; also in migration 0002). */
const OUTBOX_LOCK = 727_002;

/**
 * Writes events in the same transaction as the state change they describe; answers them as the
 * outbox holds them (ids drawn, payloads as JSON), so the writer can deliver them after commit
 * without reading them back (EventBus.publishedAll).
 */
export async function appendEvents(tx: Tx, list: readonly ServerEvent[], now: number, serialized = false): Promise<Stored[]> {
  if (list.length === 0) return [];
  // With one connection (PGlite) transactions never overlap, so ids are visible in order already.
  if (!serialized) await tx.execute(sql`select pg_advisory_xact_lock(${OUTBOX_LOCK})`);
  // One text for any number of events (PGlite keeps it prepared; a VALUES list was a new statement per count),
  // and one JSON encoding of them all, whose parse is also the copies the writer delivers.
  const json = JSON.stringify(
    list.map((e) => ({
      tenant_id: e.tenantId,
      conversation_id: e.conversationId ?? null,
      user_id: e.userId ?? null,
      type: e.type,
      payload: e.payload,
    })),
  );
  const res = await tx.execute(sql`
    insert into events (tenant_id, conversation_id, user_id, type, payload, created_at)
    select tenant_id, conversation_id, user_id, type, payload, ${now}::bigint
    from jsonb_to_recordset(${json}::jsonb) as x(tenant_id text, conversation_id text, user_id text, type text, payload jsonb)
    returning id`);
  // The ids drawn in the order of the rows; sorted all the same, as RETURNING promises no order.
  const ids = (res as unknown as { rows: { id: string | number }[] }).rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  const copies = JSON.parse(json) as {
    tenant_id: string;
    conversation_id: string | null;
    user_id: string | null;
    type: string;
    payload: unknown;
  }[];
  return copies.map((c, i) =>
    toStored({
      id: ids[i]!,
      tenantId: c.tenant_id,
      conversationId: c.conversation_id,
      userId: c.user_id,
      type: c.type,
      payload: c.payload,
      createdAt: now,
    }),
  );
}

/** A row of the outbox as the event it stores (written only from `events` constructors, types.ts). */
export function toStored(r: typeof events.$inferSelect): Stored {
  return {
    id: r.id,
    tenantId: r.tenantId,
    ...(r.conversationId ? { conversationId: r.conversationId } : {}),
    ...(r.userId ? { userId: r.userId } : {}),
    type: r.type,
    payload: r.payload,
    createdAt: r.createdAt,
  } as Stored;
}

/** The id of the newest visible event, 0 when there is none. */
export async function newestEventId(q: Q): Promise<number> {
  const [row] = await q.select({ max: sql<string | number | null>`max(${events.id})` }).from(events);
  return Number(row?.max ?? 0);
}

/** Events after `after`, in id order, at most `limit`. */
export async function eventsAfter(q: Q, after: number, limit: number): Promise<Stored[]> {
  const rows = await q.select().from(events).where(gt(events.id, after)).orderBy(asc(events.id)).limit(limit);
  return rows.map(toStored);
}

/** Events of one agent after `after`, in id order, at most `limit` (resuming streams). */
export async function userEventsAfter(q: Q, tenantId: string, userId: string, after: number, limit: number): Promise<Stored[]> {
  const rows = await q
    .select()
    .from(events)
    .where(and(eq(events.tenantId, tenantId), eq(events.userId, userId), gt(events.id, after)))
    .orderBy(asc(events.id))
    .limit(limit);
  return rows.map(toStored);
}

/** Events of one conversation after `after`, in id order, at most `limit` (resuming a supervisor's monitor). */
export async function conversationEventsAfter(
  q: Q,
  tenantId: string,
  conversationId: string,
  after: number,
  limit: number,
): Promise<Stored[]> {
  const rows = await q
    .select()
    .from(events)
    .where(and(eq(events.conversationId, conversationId), eq(events.tenantId, tenantId), gt(events.id, after)))
    .orderBy(asc(events.id))
    .limit(limit);
  return rows.map(toStored);
}

/** Locks the cursor row of a durable subscriber FOR UPDATE SKIP LOCKED: undefined when missing or held by another run. */
export async function lockEventCursor(tx: Tx, name: string): Promise<{ position: number } | undefined> {
  const [cursor] = await tx
    .select()
    .from(eventCursors)
    .where(sql`${eventCursors.name} = ${name}`)
    .for('update', { skipLocked: true });
  return cursor;
}

/** Creates the cursor row at the newest event; false when it exists already (another run holds it). */
export async function createEventCursorAtNewest(tx: Tx, name: string): Promise<boolean> {
  const [taken] = await tx
    .insert(eventCursors)
    .values({ name, position: sql`(select coalesce(max(${events.id}), 0) from ${events})` })
    .onConflictDoNothing()
    .returning();
  return taken !== undefined;
}

/** Events of the given types with `after < id <= upTo`, in id order, at most `limit`. */
export async function eventsOfTypesBetween(
  tx: Tx,
  types: readonly EventType[],
  after: number,
  upTo: number,
  limit: number,
): Promise<Stored[]> {
  const rows = await tx
    .select()
    .from(events)
    .where(and(gt(events.id, after), lte(events.id, upTo), inArray(events.type, [...types])))
    .orderBy(asc(events.id))
    .limit(limit);
  return rows.map(toStored);
}

/** Moves a durable subscriber's cursor to `position`. */
export async function moveEventCursor(tx: Tx, name: string, position: number): Promise<void> {
  await tx
    .update(eventCursors)
    .set({ position })
    .where(sql`${eventCursors.name} = ${name}`);
}

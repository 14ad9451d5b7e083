/**
 * Appending to the outbox inside the caller's transaction. The advisory lock is transaction
 * scoped: it is taken before the ids are drawn and held until commit, so event ids become
 * visible in increasing order and a reader resuming with "id > cursor" never skips one.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../store/db';
import { events } from '../store/schema';

/** Lock key serializing outbox appends (one key for all tenants keeps one global order; also in migration 0002). */
const OUTBOX_LOCK = 727_002;

export type EventType = 'message' | 'state' | 'session' | 'me' | 'notice';

export interface OutEvent {
  tenantId: string;
  /** Set for events the customer of this conversation receives (message, state). */
  conversationId?: string;
  /** Set for events one agent receives. */
  userId?: string;
  type: EventType;
  payload: Record<string, unknown>;
}

/** A stored event as dispatched to subscribers. */
export interface StoredEvent extends OutEvent {
  id: number;
  createdAt: number;
}

/** Writes events in the same transaction as the state change they describe. */
export async function appendEvents(tx: Tx, list: OutEvent[], now: number, serialized = false): Promise<void> {
  if (list.length === 0) return;
  // With one connection (PGlite) transactions never overlap, so ids are visible in order already.
  if (!serialized) await tx.execute(sql`select pg_advisory_xact_lock(${OUTBOX_LOCK})`);
  await tx.insert(events).values(
    list.map((e) => ({
      tenantId: e.tenantId,
      conversationId: e.conversationId ?? null,
      userId: e.userId ?? null,
      type: e.type,
      payload: e.payload,
      createdAt: now,
    })),
  );
}

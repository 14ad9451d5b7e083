/**
 * Appending to the outbox inside the caller's transaction. The advisory lock is transaction
 * scoped: it is taken before the ids are drawn and held until commit, so event ids become
 * visible in increasing order and a reader resuming with "id > cursor" never skips one.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from './db';
import { events } from './schema';
import type { ServerEvent } from '@stratus/shared/contract/events';

/** Lock key serializing outbox appends (one key for all tenants keeps one global order; also in migration 0002). */
const OUTBOX_LOCK = 727_002;

/** Writes events in the same transaction as the state change they describe. */
export async function appendEvents(tx: Tx, list: readonly ServerEvent[], now: number, serialized = false): Promise<void> {
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

/** Reads for the supervisor's boards that no other part needs. */
import { inArray } from 'drizzle-orm';
import type { Q } from './db';
import { conversations } from './schema';

/** The last message seq of each conversation asked about (one query). */
export async function conversationLastSeqs(q: Q, conversationIds: readonly string[]): Promise<Map<string, number>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await q
    .select({ id: conversations.id, lastSeq: conversations.lastSeq })
    .from(conversations)
    .where(inArray(conversations.id, [...conversationIds]));
  return new Map(rows.map((r) => [r.id, r.lastSeq]));
}

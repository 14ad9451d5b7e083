/** Reads for customer satisfaction that no other part needs: which task a rating lands on, which chat a reply answers. */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Task } from '@stratus/shared/task/types';
import type { ChannelKind } from '@stratus/shared/tenant/model';
import type { Q } from './db';
import { toConversation, type Conversation } from './repo';
import { conversations, tasks } from './schema';

/** The conversation's last task an agent accepted (a transfer or takeover makes several), if any. */
export async function lastAcceptedTask(q: Q, tenantId: string, conversationId: string): Promise<Task | undefined> {
  const accepted = sql`(${tasks.data}->>'acceptedAt')::bigint`;
  const [r] = await q
    .select({ data: tasks.data })
    .from(tasks)
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.conversationId, conversationId), sql`${tasks.data}->>'acceptedAt' is not null`))
    .orderBy(sql`${accepted} desc`)
    .limit(1);
  return r?.data as Task | undefined;
}

/** The newest conversation of a WhatsApp or SMS address on this channel, open or not. */
export async function latestConversationAt(
  q: Q,
  tenantId: string,
  channel: ChannelKind,
  address: string,
): Promise<Conversation | undefined> {
  const [r] = await q
    .select()
    .from(conversations)
    .where(and(eq(conversations.tenantId, tenantId), eq(conversations.channel, channel), eq(conversations.address, address)))
    .orderBy(desc(conversations.createdAt))
    .limit(1);
  return r && toConversation(r);
}

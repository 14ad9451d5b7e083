/** Row access for a conversation's messages. Every query is scoped by tenant or by a conversation the caller holds. */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { ChatMessage, DeliveryState, MessageFrom } from '@stratus/shared/contract/api';
import { compiled } from './compiled';
import type { Q, Tx } from './db';
import type { Conversation } from './repo';
import { messages } from './schema';

export type MessageRow = typeof messages.$inferSelect;

export function toChatMessage(r: MessageRow): ChatMessage {
  return {
    id: r.id,
    seq: r.seq,
    from: r.from as MessageFrom,
    text: r.text,
    at: new Date(r.createdAt).toISOString(),
    ...(r.author ? { author: r.author } : {}),
    ...(r.clientMessageId ? { clientMessageId: r.clientMessageId } : {}),
    ...(r.deliveryState
      ? { delivery: { state: r.deliveryState as DeliveryState, ...(r.deliveryError ? { error: r.deliveryError } : {}) } }
      : {}),
  };
}

export async function findMessageByClientId(
  q: Q,
  conversationId: string,
  from: MessageFrom,
  clientMessageId: string,
): Promise<MessageRow | undefined> {
  const [r] = await q
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.from, from), eq(messages.clientMessageId, clientMessageId)));
  return r;
}

/** Appends a message with the next sequence number; the caller holds the conversation lock. */
/** A message as a writer gives it: who wrote what, and the ids that make a retry harmless. */
export interface NewMessage {
  from: MessageFrom;
  text: string;
  author?: string;
  authorUserId?: string;
  clientMessageId?: string;
  externalId?: string;
}

/**
 * Stores a message with the conversation's next sequence number (the caller holds the
 * conversation lock). Returns undefined when the author already sent this client message id:
 * the database's unique index decides, so a retry never makes a second message.
 */
export async function insertMessage(
  tx: Tx,
  conv: Conversation,
  m: NewMessage & { id: string; deliveryState?: DeliveryState; now: number },
): Promise<MessageRow | undefined> {
  const seq = conv.lastSeq + 1;
  // One statement: the row, and the conversation's count advanced only when the row was stored.
  const also =
    m.from === 'customer'
      ? sql`, last_customer_at = ${m.now}::bigint`
      : m.from === 'agent'
        ? sql`, last_agent_at = ${m.now}::bigint`
        : sql``;
  const res = await tx.execute(sql`
    with m as (
      insert into messages (id, tenant_id, conversation_id, seq, "from", text, author, author_user_id, client_message_id,
        external_id, delivery_state, created_at)
      values (${m.id}, ${conv.tenantId}, ${conv.id}, ${seq}::int, ${m.from}, ${m.text}, ${m.author ?? null}, ${m.authorUserId ?? null},
        ${m.clientMessageId ?? null}, ${m.externalId ?? null}, ${m.deliveryState ?? null}, ${m.now}::bigint)
      on conflict (conversation_id, "from", client_message_id) do nothing
      returning *
    ), c as (
      update conversations set last_seq = ${seq}::int${also} where id = ${conv.id} and exists (select 1 from m)
    )
    select * from m`);
  const [r] = (res as unknown as { rows: RawMessage[] }).rows;
  if (!r) return undefined;
  conv.lastSeq = seq;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    conversationId: r.conversation_id,
    seq: Number(r.seq),
    from: r.from,
    text: r.text,
    author: r.author,
    authorUserId: r.author_user_id,
    clientMessageId: r.client_message_id,
    externalId: r.external_id,
    deliveryState: r.delivery_state,
    deliveryError: r.delivery_error,
    createdAt: Number(r.created_at),
  };
}

/** A message row as the database gives it (`select *`). */
interface RawMessage {
  id: string;
  tenant_id: string;
  conversation_id: string;
  seq: number | string;
  from: string;
  text: string;
  author: string | null;
  author_user_id: string | null;
  client_message_id: string | null;
  external_id: string | null;
  delivery_state: string | null;
  delivery_error: string | null;
  created_at: number | string;
}

export async function listMessages(q: Q, tenantId: string, conversationId: string, afterSeq = 0, limit = 500): Promise<MessageRow[]> {
  return q
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, conversationId), gt(messages.seq, afterSeq)))
    .orderBy(asc(messages.seq))
    .limit(limit);
}

const firstFromCustomer = compiled<{ tenantId: string; conversationId: string }, { text: string }[]>((q, $) =>
  q
    .select({ text: messages.text })
    .from(messages)
    .where(and(eq(messages.tenantId, $('tenantId')), eq(messages.conversationId, $('conversationId')), eq(messages.from, 'customer')))
    .orderBy(asc(messages.seq))
    .limit(1),
);

export async function firstCustomerMessage(q: Q, tenantId: string, conversationId: string): Promise<string | undefined> {
  const [r] = await firstFromCustomer(q, { tenantId, conversationId });
  return r?.text;
}

/** The first customer message of each conversation (one query for a board of waiting chats). */
export async function firstCustomerMessages(q: Q, tenantId: string, conversationIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (conversationIds.length === 0) return out;
  const rows = await q
    .selectDistinctOn([messages.conversationId], { conversationId: messages.conversationId, text: messages.text })
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), inArray(messages.conversationId, [...conversationIds]), eq(messages.from, 'customer')))
    .orderBy(messages.conversationId, asc(messages.seq));
  for (const r of rows) out.set(r.conversationId, r.text);
  return out;
}

export async function getMessage(q: Q, tenantId: string, id: string): Promise<MessageRow | undefined> {
  const [m] = await q
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)));
  return m;
}

/** The message Twilio knows by `sid`, locked for its delivery update. */
export async function lockMessageBySid(tx: Tx, tenantId: string, sid: string): Promise<MessageRow | undefined> {
  const [m] = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.externalId, sid)))
    .for('update');
  return m;
}

/** The provider's id of a sent message (a repeat of the send job then sends nothing). */
export async function setExternalId(tx: Tx, id: string, externalId: string): Promise<void> {
  await tx.update(messages).set({ externalId }).where(eq(messages.id, id));
}

/** The delivery state of an outgoing WhatsApp or SMS message; the row after the change, if it exists. */
export async function setDelivery(
  tx: Tx,
  tenantId: string,
  id: string,
  state: DeliveryState,
  error: string | null,
): Promise<MessageRow | undefined> {
  const [row] = await tx
    .update(messages)
    .set({ deliveryState: state, deliveryError: error })
    .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)))
    .returning();
  return row;
}

/**
 * The oldest customer message of the conversation after the last agent message, within the seq
 * range (a task's span): the one waiting for the agent's answer. Undefined when the agent spoke last.
 */
export async function firstUnansweredCustomerMessage(
  q: Q,
  tenantId: string,
  conversationId: string,
  range: { fromSeq: number; toSeq?: number },
): Promise<{ seq: number; at: number } | undefined> {
  const upper = range.toSeq === undefined ? sql`true` : sql`seq <= ${range.toSeq}`;
  const res = await q.execute(sql`
    select seq, created_at from messages
    where tenant_id = ${tenantId} and conversation_id = ${conversationId} and "from" = 'customer' and seq >= ${range.fromSeq} and ${upper}
      and seq > coalesce((select max(seq) from messages where conversation_id = ${conversationId} and "from" = 'agent' and ${upper}), 0)
    order by seq limit 1`);
  const r = (res as unknown as { rows: { seq: number; created_at: string | number }[] }).rows[0];
  return r ? { seq: Number(r.seq), at: Number(r.created_at) } : undefined;
}

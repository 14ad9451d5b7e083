/** Row access for conversations and tasks (their locks: locks.ts; messages: messages.ts). Every query is scoped by tenant. */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Customer, Task } from '@stratus/shared/task/types';
import type { QueueEntry } from '@stratus/shared/distribution/order';
import type { ChannelKind, InteractLanguage } from '@stratus/shared/tenant/model';
import { compiled } from './compiled';
import type { Q, Tx } from './db';
import type { MessageRow, NewMessage } from './messages';
import { deferOfferWrite, defersOfferWrites, flushOfferWrites } from './offer-writes';
import { conversations, taskOffers, tasks } from './schema';

export interface Conversation {
  id: string;
  tenantId: string;
  channel: ChannelKind;
  entry: string;
  address?: string;
  customer: Customer;
  tokenHash?: string;
  open: boolean;
  lastSeq: number;
  currentTaskId?: string;
  directUserId?: string;
  createdAt: number;
  lastCustomerAt?: number;
  /** When an agent last wrote (the customer's inactivity counts from it). */
  lastAgentAt?: number;
  endedAt?: number;
  /** The customer's language (`en`, `de`, `fr`) when the widget said it: the server's own messages use it. */
  language?: InteractLanguage;
}

export function toConversation(r: typeof conversations.$inferSelect): Conversation {
  return {
    id: r.id,
    tenantId: r.tenantId,
    channel: r.channel as ChannelKind,
    entry: r.entry,
    address: r.address ?? undefined,
    customer: r.customer as Customer,
    tokenHash: r.tokenHash ?? undefined,
    open: r.open,
    lastSeq: r.lastSeq,
    currentTaskId: r.currentTaskId ?? undefined,
    directUserId: r.directUserId ?? undefined,
    createdAt: r.createdAt,
    lastCustomerAt: r.lastCustomerAt ?? undefined,
    ...(r.lastAgentAt != null ? { lastAgentAt: r.lastAgentAt } : {}),
    endedAt: r.endedAt ?? undefined,
    ...(r.language ? { language: r.language as InteractLanguage } : {}),
  };
}

export async function getConversation(q: Q, tenantId: string, id: string): Promise<Conversation | undefined> {
  const [r] = await q
    .select()
    .from(conversations)
    .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)));
  return r && toConversation(r);
}

/** Loads a conversation by id alone (customer API: the token then proves access). */
export async function getConversationById(q: Q, id: string): Promise<Conversation | undefined> {
  const [r] = await q.select().from(conversations).where(eq(conversations.id, id));
  return r && toConversation(r);
}

export interface TaskRow {
  task: Task;
  workflow: unknown;
}

/** A task as its row stores it (the task as JSON, its workflow's snapshot or null). */
export function toTaskRow(r: { data: unknown; workflow: unknown }): TaskRow {
  return { task: r.data as Task, workflow: r.workflow ?? undefined };
}

export async function getTask(q: Q, tenantId: string, id: string): Promise<TaskRow | undefined> {
  const [r] = await q
    .select()
    .from(tasks)
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, id)));
  return r && toTaskRow(r);
}

export async function insertTask(tx: Tx, task: Task, workflow: unknown, now: number): Promise<void> {
  await insertTaskRow(tx, {
    id: task.id,
    tenantId: task.tenantId,
    conversationId: task.conversationId,
    serviceId: task.serviceId,
    state: task.state,
    userId: task.userId ?? null,
    data: task,
    workflow: workflow ?? null,
    updatedAt: now,
  });
}

const insertTaskRow = compiled<typeof tasks.$inferInsert, unknown>((q, $) =>
  q.insert(tasks).values({
    id: $('id'),
    tenantId: $('tenantId'),
    conversationId: $('conversationId'),
    serviceId: $('serviceId'),
    state: $('state'),
    userId: $('userId'),
    data: $('data'),
    workflow: $('workflow'),
    updatedAt: $('updatedAt'),
  }),
);

/**
 * How a save changes the task's offer rows (they mirror `task.offers`): `replace` them, `keep` them
 * (the transition touched no offer: queued, priority changed), or `add` the offers of a task that
 * had none (an offer is made only to a queued task, and every way into the queue removes the rows).
 */
export type OfferRows = 'replace' | 'keep' | 'add';

/** Writes the task and mirrors its open offers into task_offers as `offerRows` says. */
export async function updateTask(tx: Tx, task: Task, workflow: unknown, now: number, offerRows: OfferRows = 'replace'): Promise<void> {
  const row = {
    tenantId: task.tenantId,
    id: task.id,
    state: task.state,
    userId: task.userId ?? null,
    data: task,
    workflow: workflow ?? null,
    updatedAt: now,
    serviceId: task.serviceId,
  };
  if (defersOfferWrites(tx)) {
    // A distribution pass: a first offer is queued and written with the pass's others (offer-writes.ts); any other write goes after them.
    if (offerRows === 'add' && task.state === 'offered' && deferOfferWrite(tx, row)) return;
    await flushOfferWrites(tx);
  }
  await updateTaskRow(tx, row);
  if (offerRows === 'keep') return;
  if (offerRows === 'replace') await deleteOffers(tx, { taskId: task.id });
  if (task.state !== 'offered') return;
  // One offer (the usual case) by the statement built once; several in one insert.
  const [first] = task.offers;
  if (task.offers.length === 1 && first)
    await insertOffer(tx, { tenantId: task.tenantId, taskId: task.id, userId: first.userId, expiresAt: first.expiresAt });
  else if (task.offers.length > 1)
    await tx
      .insert(taskOffers)
      .values(task.offers.map((o) => ({ tenantId: task.tenantId, taskId: task.id, userId: o.userId, expiresAt: o.expiresAt })));
}

const updateTaskRow = compiled<Omit<typeof tasks.$inferInsert, 'conversationId'>, unknown>((q, $) =>
  q
    .update(tasks)
    .set({
      state: $('state', tasks.state),
      userId: $('userId', tasks.userId),
      data: $('data', tasks.data),
      workflow: $('workflow', tasks.workflow),
      updatedAt: $('updatedAt', tasks.updatedAt),
      serviceId: $('serviceId', tasks.serviceId),
    })
    .where(and(eq(tasks.tenantId, $('tenantId')), eq(tasks.id, $('id')))),
);
const deleteOffers = compiled<{ taskId: string }, unknown>((q, $) => q.delete(taskOffers).where(eq(taskOffers.taskId, $('taskId'))));
const insertOffer = compiled<typeof taskOffers.$inferInsert, unknown>((q, $) =>
  q.insert(taskOffers).values({ tenantId: $('tenantId'), taskId: $('taskId'), userId: $('userId'), expiresAt: $('expiresAt') }),
);

/** Tasks in the given states for a tenant (distribution loads queued and offered ones). */
export async function tasksInStates(q: Q, tenantId: string, states: Task['state'][]): Promise<TaskRow[]> {
  const rows = await q
    .select()
    .from(tasks)
    .where(and(eq(tasks.tenantId, tenantId), inArray(tasks.state, states)));
  return rows.map(toTaskRow);
}

/** A chat already offered, as much of it as the queue order and a position update need. */
export type OfferedEntry = QueueEntry & Pick<Task, 'tenantId' | 'conversationId' | 'serviceId' | 'state'>;

/**
 * The tenant's offered tasks, narrow: a distribution pass only counts them ahead of the queued
 * ones and tells their customers a changed position, so it reads no task data or workflow.
 */
export async function offeredEntries(q: Q, tenantId: string): Promise<OfferedEntry[]> {
  const rows = await q
    .select({
      id: tasks.id,
      conversationId: tasks.conversationId,
      serviceId: tasks.serviceId,
      priority: sql<string>`${tasks.data}->>'priority'`,
      queuedAt: sql<string | null>`${tasks.data}->>'queuedAt'`,
      createdAt: sql<string>`${tasks.data}->>'createdAt'`,
    })
    .from(tasks)
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.state, 'offered')));
  return rows.map((r) => ({
    id: r.id,
    tenantId,
    conversationId: r.conversationId,
    serviceId: r.serviceId,
    state: 'offered',
    priority: r.priority as Task['priority'],
    ...(r.queuedAt != null ? { queuedAt: Number(r.queuedAt) } : {}),
    createdAt: Number(r.createdAt),
  }));
}

/** Sessions an agent sees: offers to them, their connected tasks, their recently ended ones. */
export async function agentTaskRows(q: Q, tenantId: string, userId: string, endedSince: number): Promise<TaskRow[]> {
  const offered = await q
    .select({ taskId: taskOffers.taskId })
    .from(taskOffers)
    .where(and(eq(taskOffers.tenantId, tenantId), eq(taskOffers.userId, userId)));
  const offeredIds = offered.map((o) => o.taskId);
  const mine = await q
    .select()
    .from(tasks)
    .where(
      and(
        eq(tasks.tenantId, tenantId),
        eq(tasks.userId, userId),
        sql`(${tasks.state} = 'connected' or (${tasks.state} in ('ended', 'workflow') and ${tasks.updatedAt} >= ${endedSince}))`,
      ),
    )
    .orderBy(desc(tasks.updatedAt))
    .limit(100);
  const others = offeredIds.length
    ? await q
        .select()
        .from(tasks)
        .where(and(eq(tasks.tenantId, tenantId), inArray(tasks.id, offeredIds)))
    : [];
  const seen = new Set<string>();
  const out: TaskRow[] = [];
  for (const r of [...others, ...mine]) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    out.push(toTaskRow(r));
  }
  return out;
}

/** The waiting (queued or offered) tasks of one service, for queue positions. */
export async function waitingTasks(q: Q, tenantId: string, serviceId: string): Promise<Task[]> {
  const rows = await q
    .select({ data: tasks.data })
    .from(tasks)
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.serviceId, serviceId), inArray(tasks.state, ['queued', 'offered'])));
  return rows.map((r) => r.data as Task);
}

/** The conversation's last sequence number (0 when it is gone). */
export async function conversationLastSeq(q: Q, conversationId: string): Promise<number> {
  const [conv] = await lastSeqOf(q, { id: conversationId });
  return conv?.lastSeq ?? 0;
}

const lastSeqOf = compiled<{ id: string }, { lastSeq: number }[]>((q, $) =>
  q
    .select({ lastSeq: conversations.lastSeq })
    .from(conversations)
    .where(eq(conversations.id, $('id'))),
);

/**
 * Raises the customer's read mark to `seq`, never above the conversation's last seq and never
 * down: one conditional update, so concurrent reports (two tabs) settle on the highest. Answers
 * the new mark and the current task when it moved, undefined when it did not.
 */
export async function advanceCustomerReadSeq(
  tx: Tx,
  tenantId: string,
  conversationId: string,
  seq: number,
): Promise<{ readSeq: number; currentTaskId?: string } | undefined> {
  const target = sql`least(${seq}::integer, ${conversations.lastSeq})`;
  const [r] = await tx
    .update(conversations)
    .set({ customerReadSeq: target })
    .where(
      and(eq(conversations.tenantId, tenantId), eq(conversations.id, conversationId), sql`${conversations.customerReadSeq} < ${target}`),
    )
    .returning({ readSeq: conversations.customerReadSeq, currentTaskId: conversations.currentTaskId });
  return r ? { readSeq: r.readSeq, ...(r.currentTaskId ? { currentTaskId: r.currentTaskId } : {}) } : undefined;
}

/** The conversation's last sequence number and the customer's read mark (both 0 when it is gone). */
export async function conversationSeqs(q: Q, conversationId: string): Promise<{ lastSeq: number; customerReadSeq: number }> {
  const [conv] = await q
    .select({ lastSeq: conversations.lastSeq, customerReadSeq: conversations.customerReadSeq })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  return { lastSeq: conv?.lastSeq ?? 0, customerReadSeq: conv?.customerReadSeq ?? 0 };
}

/** Whether the conversation is open and which task is its current one. */
export async function conversationOpenAndCurrent(
  q: Q,
  conversationId: string,
): Promise<{ open: boolean; currentTaskId: string | null } | undefined> {
  const [conv] = await openAndCurrent(q, { id: conversationId });
  return conv;
}

const openAndCurrent = compiled<{ id: string }, { open: boolean; currentTaskId: string | null }[]>((q, $) =>
  q
    .select({ open: conversations.open, currentTaskId: conversations.currentTaskId })
    .from(conversations)
    .where(eq(conversations.id, $('id'))),
);

/** A new open conversation. */
export async function insertConversation(
  tx: Tx,
  c: Pick<
    Conversation,
    'id' | 'tenantId' | 'channel' | 'entry' | 'address' | 'customer' | 'tokenHash' | 'directUserId' | 'language' | 'currentTaskId'
  > & {
    now: number;
  },
  /** The customer's first message: stored as seq 1 and counted in the new row, not by a second write to it. */
  first?: Omit<NewMessage, 'from' | 'authorUserId'> & { id: string },
): Promise<{ conv: Conversation; first?: MessageRow }> {
  const values = {
    id: c.id,
    tenantId: c.tenantId,
    channel: c.channel,
    entry: c.entry,
    address: c.address ?? null,
    customer: c.customer,
    tokenHash: c.tokenHash ?? null,
    lastSeq: first ? 1 : 0,
    lastCustomerAt: first ? c.now : null,
    createdAt: c.now,
    directUserId: c.directUserId ?? null,
    language: c.language ?? null,
    currentTaskId: c.currentTaskId ?? null,
  };
  // The new row is exactly these values and the columns' defaults: nothing is read back.
  const conv = toConversation({ ...values, open: true, lastAgentAt: null, customerReadSeq: 0, endedAt: null });
  if (!first) {
    await insertConversationRow(tx, values);
    return { conv };
  }
  const message: MessageRow = {
    id: first.id,
    tenantId: c.tenantId,
    conversationId: c.id,
    seq: 1,
    from: 'customer',
    text: first.text,
    author: first.author ?? null,
    authorUserId: null,
    clientMessageId: first.clientMessageId ?? null,
    externalId: first.externalId ?? null,
    deliveryState: null,
    deliveryError: null,
    createdAt: c.now,
  };
  // One statement for both rows. The new conversation cannot hold this client message id yet, so
  // both rows are exactly these values (a clash of the id or of a provider's message id fails it).
  await tx.execute(sql`
    with c as (
      insert into conversations (id, tenant_id, channel, entry, address, customer, token_hash, open, last_seq, last_customer_at,
        created_at, direct_user_id, language, current_task_id)
      values (${values.id}, ${values.tenantId}, ${values.channel}, ${values.entry}, ${values.address}, ${JSON.stringify(values.customer)}::jsonb,
        ${values.tokenHash}, true, 1, ${c.now}::bigint, ${c.now}::bigint, ${values.directUserId}, ${values.language}, ${values.currentTaskId})
    )
    insert into messages (id, tenant_id, conversation_id, seq, "from", text, author, author_user_id, client_message_id, external_id,
      delivery_state, created_at)
    values (${message.id}, ${message.tenantId}, ${message.conversationId}, 1, 'customer', ${message.text}, ${message.author}, null,
      ${message.clientMessageId}, ${message.externalId}, null, ${c.now}::bigint)`);
  return { conv, first: message };
}

/** A new conversation row: open, with no message. */
const insertConversationRow = compiled<typeof conversations.$inferInsert, unknown>((q, $) =>
  q.insert(conversations).values({
    id: $('id'),
    tenantId: $('tenantId'),
    channel: $('channel'),
    entry: $('entry'),
    address: $('address'),
    customer: $('customer'),
    tokenHash: $('tokenHash'),
    open: true,
    lastSeq: $('lastSeq'),
    lastCustomerAt: $('lastCustomerAt'),
    createdAt: $('createdAt'),
    directUserId: $('directUserId'),
    language: $('language'),
    currentTaskId: $('currentTaskId'),
  }),
);

/** Makes `taskId` the conversation's current task (the caller holds the conversation's lock). */
export async function setCurrentTask(tx: Tx, conversationId: string, taskId: string): Promise<void> {
  await currentTaskUpdate(tx, { id: conversationId, taskId });
}

const currentTaskUpdate = compiled<{ id: string; taskId: string }, unknown>((q, $) =>
  q
    .update(conversations)
    .set({ currentTaskId: $('taskId', conversations.currentTaskId) })
    .where(eq(conversations.id, $('id'))),
);

/** Closes the conversation (the caller holds its lock). */
export async function markConversationEnded(tx: Tx, tenantId: string, conversationId: string, now: number): Promise<void> {
  await tx
    .update(conversations)
    .set({ open: false, endedAt: now })
    .where(and(eq(conversations.id, conversationId), eq(conversations.tenantId, tenantId)));
}

/** Whether the task's offer rows name the user (they mirror `task.offers`: an offer the user still holds). */
export async function wasOffered(q: Q, taskId: string, userId: string): Promise<boolean> {
  const [o] = await q
    .select({ taskId: taskOffers.taskId })
    .from(taskOffers)
    .where(and(eq(taskOffers.taskId, taskId), eq(taskOffers.userId, userId)));
  return Boolean(o);
}

/** The open conversation of a WhatsApp or SMS address on this channel, if there is one. */
export async function openConversationAt(
  q: Q,
  tenantId: string,
  channel: ChannelKind,
  address: string,
): Promise<{ id: string } | undefined> {
  const [open] = await q
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      and(
        eq(conversations.tenantId, tenantId),
        eq(conversations.channel, channel),
        eq(conversations.address, address),
        eq(conversations.open, true),
      ),
    )
    .limit(1);
  return open;
}

/** Row access for conversations and tasks (messages: messages.ts). Every query is scoped by tenant. */
import { and, desc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Customer, Task } from '@stratus/shared/task/types';
import type { QueueEntry } from '@stratus/shared/distribution/order';
import type { ChannelKind, InteractLanguage } from '@stratus/shared/tenant/model';
import { compiled, idsIn, type Slot } from './compiled';
import type { Q, Tx } from './db';
import type { MessageRow, NewMessage } from './messages';
import { deferOfferWrite, defersOfferWrites, flushOfferWrites } from './offer-writes';
import { rememberSessionsOf } from './reporting';
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

/**
 * Locks the conversation row: message sequence numbers are drawn under this lock. A transaction
 * that also needs the conversation's task takes both through `lockTaskAndConversation` or
 * `lockConversationAndCurrentTask` (see LOCK ORDER below), never the task first.
 */
export async function lockConversation(tx: Tx, tenantId: string, id: string): Promise<Conversation | undefined> {
  const [r] = await conversationForUpdate(tx, { tenantId, id });
  return r && toConversation(r);
}

const conversationForUpdate = compiled<{ tenantId: string; id: string }, (typeof conversations.$inferSelect)[]>((q, $) =>
  q
    .select()
    .from(conversations)
    .where(and(eq(conversations.tenantId, $('tenantId')), eq(conversations.id, $('id'))))
    .for('update'),
);

export interface TaskRow {
  task: Task;
  workflow: unknown;
}

export async function getTask(q: Q, tenantId: string, id: string): Promise<TaskRow | undefined> {
  const [r] = await q
    .select()
    .from(tasks)
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, id)));
  return r && { task: r.data as Task, workflow: r.workflow ?? undefined };
}

/**
 * Locks the task row: every transition of a task happens under this lock, taken after its
 * conversation's (LOCK ORDER below). Alone only where the transaction never locks the
 * conversation afterwards; else use `lockTaskAndConversation`.
 */
export async function lockTask(tx: Tx, tenantId: string, id: string): Promise<TaskRow | undefined> {
  const [r] = await taskForUpdate(tx, { tenantId, id });
  return r && { task: r.data as Task, workflow: r.workflow ?? undefined };
}

const taskForUpdate = compiled<{ tenantId: string; id: string }, { data: unknown; workflow: unknown }[]>((q, $) =>
  q
    .select({ data: tasks.data, workflow: tasks.workflow })
    .from(tasks)
    .where(and(eq(tasks.tenantId, $('tenantId')), eq(tasks.id, $('id'))))
    .for('update'),
);

/*
 * LOCK ORDER. A transaction that takes more than one of these takes them in this order, and every
 * path goes through the two helpers below for the first two; two transactions then never wait on
 * each other in a circle (PGlite's single connection hides a violation, PostgreSQL answers it with
 * a deadlock, 40P01, which inTx still retries as a last resort):
 *   0. the tenant's distribution advisory lock (distribution passes and reassigns, taken first)
 *   1. the conversation row (FOR UPDATE; every UPDATE of it happens under this lock)
 *   2. its task rows: the current task (FOR UPDATE), then one it creates (transfer); with a
 *      task go its task_offers, reporting_sessions and timer jobs (offerExpiry, queueTimeout,
 *      workflowTimer, webRequest, chatInactivity, agentUnanswered: keyed by the task)
 *   3. agents rows (RONA, wrap-up, last idle, last offered; ronaReset jobs with them)
 *   4. service_state rows (accept history, distribution policy state)
 *   5. the outbox advisory lock (appendEvents, and stratus_append_customer_message after the
 *      conversation), held until commit; nothing is locked after it
 * A durable subscriber's run (events/durable.ts) takes its event_cursors row first and then only
 * what it writes (the Teams relay: teams_queue rows and teamsSend jobs); it locks none of the above,
 * except the csat-questions run: it locks an ended conversation (1) after its cursor row, then
 * appends (5), and nothing holds an ended conversation while waiting for a cursor row.
 * A distribution pass locks several conversations: it skips one that is locked (SKIP LOCKED) and
 * runs again, rather than wait while holding others. A group commit (Batcher) may lock several
 * conversations in any order; a deadlock there rolls the batch back and each write runs alone.
 */

type Locked = { conv: Conversation; row: TaskRow };

/**
 * Locks a task and its conversation, conversation first (LOCK ORDER). The task's conversation
 * id is read in the same statement without a lock (it never changes), so the task row is locked
 * only once its conversation is held. Undefined when the task (or its conversation) does not exist.
 */
export async function lockTaskAndConversation(tx: Tx, tenantId: string, taskId: string): Promise<Locked | undefined> {
  const [c] = await conversationOfTaskForUpdate(tx, { tenantId, taskId });
  return c && lockTaskOf(tx, tenantId, taskId, c);
}

/**
 * Locks tasks and their conversations, as `lockTaskAndConversation` does, for a distribution
 * pass's offers: in two statements for any number, their free conversations, in id order, with
 * the first customer message an offer shows; then those tasks, in id order; then, once they are
 * held, their reporting sessions for the offer that follows. Every conversation is taken before any
 * task; that keeps the LOCK ORDER, since no one holds a task without its conversation. A task whose
 * conversation another transaction holds answers 'locked' at once, never waited for; one that is
 * gone or moved, undefined.
 */
export async function tryLockTasksAndConversations(
  tx: Tx,
  tenantId: string,
  taskIds: readonly string[],
): Promise<Map<string, (Locked & { firstCustomerText: string | null }) | 'locked' | undefined>> {
  const out = new Map<string, (Locked & { firstCustomerText: string | null }) | 'locked' | undefined>();
  if (taskIds.length === 0) return out;
  const ids = JSON.stringify(taskIds);
  const convs = new Map((await conversationsOfTasksSkipLocked(tx, { tenantId, taskIds: ids })).map((c) => [c.id, c] as const));
  const rows = convs.size
    ? await tasksOfConversationsForUpdate(tx, { tenantId, taskIds: ids, conversationIds: JSON.stringify([...convs.keys()]) })
    : [];
  for (const r of rows) {
    const task = r.data as Task;
    const c = convs.get(task.conversationId);
    if (!c) continue;
    const { firstCustomerText, ...conv } = c;
    out.set(task.id, { conv: toConversation(conv), row: { task, workflow: r.workflow ?? undefined }, firstCustomerText });
  }
  // Read after the tasks' lock, in a statement of its own: under READ COMMITTED a statement that
  // waited for a lock still reads other tables as they were when it began.
  if (out.size) await rememberSessionsOf(tx, tenantId, JSON.stringify([...out.keys()]));
  for (const id of taskIds) {
    if (out.has(id)) continue;
    // Its conversation is held by another transaction, or the task is gone.
    out.set(id, (await taskConversationId(tx, { tenantId, taskId: id })).length ? 'locked' : undefined);
  }
  return out;
}

const conversationsOfTasksSkipLocked = compiled<
  { tenantId: string; taskIds: string },
  (typeof conversations.$inferSelect & { firstCustomerText: string | null })[]
>((q, $) =>
  q
    .select({
      ...getTableColumns(conversations),
      // Written out: drizzle leaves columns unqualified in a select's own SQL, where `id` would be the message's.
      firstCustomerText: sql<string | null>`(select m.text from messages m
        where m.conversation_id = conversations.id and m."from" = 'customer' order by m.seq limit 1)`,
    })
    .from(conversations)
    .where(
      and(
        eq(conversations.tenantId, $('tenantId')),
        // Through the tasks' ids (a join would plan a scan of every conversation in a generic plan).
        sql`${conversations.id} = any(array(select t.conversation_id from tasks t
          where t.tenant_id = ${$('tenantId')} and ${idsIn(sql`t.id`, $('taskIds'))}))`,
      ),
    )
    .orderBy(conversations.id)
    .for('update', { skipLocked: true }),
);

const tasksOfConversationsForUpdate = compiled<
  { tenantId: string; taskIds: string; conversationIds: string },
  { data: unknown; workflow: unknown }[]
>((q, $) =>
  q
    .select({ data: tasks.data, workflow: tasks.workflow })
    .from(tasks)
    .where(and(eq(tasks.tenantId, $('tenantId')), idsIn(tasks.id, $('taskIds')), idsIn(tasks.conversationId, $('conversationIds'))))
    .orderBy(tasks.id)
    .for('update'),
);

/** The task's lock, after its conversation's (`c`, locked): undefined when the task is gone or moved. */
async function lockTaskOf(tx: Tx, tenantId: string, taskId: string, c: typeof conversations.$inferSelect): Promise<Locked | undefined> {
  const row = await lockTask(tx, tenantId, taskId);
  if (!row || row.task.conversationId !== c.id) return undefined;
  return { conv: toConversation(c), row };
}

type TaskKey = { tenantId: string; taskId: string };

/** The task's conversation id, without a lock (it never changes). */
function conversationIdOf(q: Q, $: Slot<TaskKey>) {
  return q
    .select({ id: tasks.conversationId })
    .from(tasks)
    .where(and(eq(tasks.tenantId, $('tenantId')), eq(tasks.id, $('taskId'))));
}

/** The task's conversation row, to lock. */
function conversationOfTask(q: Q, $: Slot<TaskKey>) {
  return (
    q
      .select()
      .from(conversations)
      // `= (subquery)`, not `in (subquery)`: a prepared statement's generic plan for the latter
      // scanned every conversation (20 ms instead of 0.3 on PGlite with 500 chats).
      .where(and(eq(conversations.tenantId, $('tenantId')), sql`${conversations.id} = (${conversationIdOf(q, $)})`))
  );
}

const conversationOfTaskForUpdate = compiled<TaskKey, (typeof conversations.$inferSelect)[]>((q, $) =>
  conversationOfTask(q, $).for('update'),
);
/** The task's conversation id alone: whether the task exists when its conversation was found locked. */
const taskConversationId = compiled<TaskKey, { id: string }[]>((q, $) => conversationIdOf(q, $));

/** Locks a conversation, then its current task if it has one (LOCK ORDER). */
export async function lockConversationAndCurrentTask(
  tx: Tx,
  tenantId: string,
  conversationId: string,
): Promise<{ conv: Conversation; row?: TaskRow } | undefined> {
  const conv = await lockConversation(tx, tenantId, conversationId);
  if (!conv) return undefined;
  const row = conv.currentTaskId ? await lockTask(tx, tenantId, conv.currentTaskId) : undefined;
  return { conv, ...(row ? { row } : {}) };
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
  return rows.map((r) => ({ task: r.data as Task, workflow: r.workflow ?? undefined }));
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
    out.push({ task: r.data as Task, workflow: r.workflow ?? undefined });
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

/**
 * The tenant's distribution lock, held until commit (LOCK ORDER 0: one pass per tenant at a time;
 * a supervisor's reassign takes it too, so it never gives an agent a chat a pass is offering them).
 */
export async function lockDistribution(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`stratus-distribution/${tenantId}`}))`);
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

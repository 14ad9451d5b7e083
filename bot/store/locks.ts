/**
 * Row locks of conversations and tasks, and the tenant's distribution lock, in the LOCK ORDER
 * below: every transaction that locks more than one row of these takes them through here.
 */
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { compiled, idsIn, type Slot } from './compiled';
import type { Q, Tx } from './db';
import { rememberSessionsOf } from './reporting';
import { toConversation, toTaskRow, type Conversation, type TaskRow } from './repo';
import { conversations, tasks } from './schema';

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

/**
 * Locks the task row: every transition of a task happens under this lock, taken after its
 * conversation's (LOCK ORDER below). Alone only where the transaction never locks the
 * conversation afterwards; else use `lockTaskAndConversation`.
 */
export async function lockTask(tx: Tx, tenantId: string, id: string): Promise<TaskRow | undefined> {
  const [r] = await taskForUpdate(tx, { tenantId, id });
  return r && toTaskRow(r);
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
 *      conversation; stratus_append_customer_messages after all of its batch's conversations,
 *      which it locks in id order first), held until commit; nothing is locked after it
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
    const row = toTaskRow(r);
    const c = convs.get(row.task.conversationId);
    if (!c) continue;
    const { firstCustomerText, ...conv } = c;
    out.set(row.task.id, { conv: toConversation(conv), row, firstCustomerText });
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

/**
 * The tenant's distribution lock, held until commit (LOCK ORDER 0: one pass per tenant at a time;
 * a supervisor's reassign takes it too, so it never gives an agent a chat a pass is offering them).
 */
export async function lockDistribution(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`stratus-distribution/${tenantId}`}))`);
}

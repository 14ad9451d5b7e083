/**
 * Row access for customer erasure and message retention (bot/privacy/): finding a customer's
 * conversations, removing what a conversation holds of its customer, and expiring old rows in
 * small batches. The Teams send queue's part is in store/teams.ts.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Q, Tx } from './db';
import { flushJobs } from './jobs';
import { flushSessions, forgetWrittenSessions } from './reporting';

/** What an erased conversation, task or session shows for its customer. */
export const ERASED_CUSTOMER = { displayName: 'Erased customer' } as const;
const ERASED_JSON = JSON.stringify(ERASED_CUSTOMER);

/** Job kinds that are about an agent or a tenant, never about one chat: an erasure leaves them. */
const NOT_CHAT_JOBS = ['teamsSend', 'retention', 'ronaReset'];

const list = (xs: readonly (string | number)[]): SQL =>
  sql.join(
    xs.map((x) => sql`${x}`),
    sql`, `,
  );

function rowsOf<T>(res: unknown): T[] {
  return ((res as { rows?: T[] }).rows ?? []) as T[];
}

export interface FoundConversation {
  id: string;
  open: boolean;
}

/** The tenant's conversations whose customer gave this email (already lower-cased and trimmed). */
export async function conversationsByEmail(q: Q, tenantId: string, email: string): Promise<FoundConversation[]> {
  const res = await q.execute(sql`
    select id, open from conversations
    where tenant_id = ${tenantId} and lower(btrim(customer->>'email')) = ${email}
    order by created_at, id`);
  return rowsOf<FoundConversation>(res);
}

/**
 * The tenant's conversations of this phone number (E.164): the customer's phone, or the channel
 * address (`whatsapp:+41…`, an SMS `+41…`), compared without spaces or punctuation.
 */
export async function conversationsByPhone(q: Q, tenantId: string, phone: string): Promise<FoundConversation[]> {
  const res = await q.execute(sql`
    select id, open from conversations
    where tenant_id = ${tenantId}
      and (regexp_replace(coalesce(customer->>'phone', ''), '[^0-9+]', '', 'g') = ${phone}
        or regexp_replace(regexp_replace(coalesce(address, ''), '^[A-Za-z]+:', ''), '[^0-9+]', '', 'g') = ${phone})
    order by created_at, id`);
  return rowsOf<FoundConversation>(res);
}

/**
 * Holds every durable subscriber's cursor until commit (in name order): a run that read this
 * conversation's events finishes first, and none starts meanwhile, so nothing copies what this
 * transaction removes after it is gone (the Teams relay, the activity feed).
 */
export async function holdEventCursors(tx: Tx): Promise<void> {
  await tx.execute(sql`select name from event_cursors order by name for update`);
}

export interface ErasedRows {
  messages: number;
  tasks: number;
  taskIds: string[];
  events: number;
  jobs: number;
  reportingSessions: number;
}

/**
 * Removes what one conversation holds of its customer, under its row lock: every message (both
 * sides: an agent's answer quotes and names), the outbox events that carry text or the customer
 * (messages and notices deleted, agents' session views emptied; customer-facing state changes,
 * which carry neither, stay), the tasks' customer and collected parameters, the reporting
 * sessions' comment and wrap-up note (their figures stay), the chat's pending jobs, and the
 * conversation's customer, address and token. Answers undefined when the conversation is gone.
 */
export async function eraseConversation(tx: Tx, tenantId: string, conversationId: string): Promise<ErasedRows | undefined> {
  const locked = rowsOf<{ id: string }>(
    await tx.execute(sql`select id from conversations where tenant_id = ${tenantId} and id = ${conversationId} for update`),
  );
  if (locked.length === 0) return undefined;
  const taskRows = rowsOf<{ id: string; user_id: string | null }>(
    await tx.execute(
      sql`select id, user_id from tasks where tenant_id = ${tenantId} and conversation_id = ${conversationId} order by id for update`,
    ),
  );
  const taskIds = taskRows.map((t) => t.id);
  // Sessions this transaction saved are written first, so the reads and the update below see them (reporting.ts, deferSessions).
  await flushSessions(tx);
  const messages = rowsOf(
    await tx.execute(sql`delete from messages where tenant_id = ${tenantId} and conversation_id = ${conversationId} returning id`),
  ).length;
  let events = rowsOf(
    await tx.execute(sql`
      delete from events where conversation_id = ${conversationId} and tenant_id = ${tenantId} and type not in ('state', 'typing', 'read')
      returning id`),
  ).length;
  let jobs = 0;
  let reporting = 0;
  if (taskIds.length) {
    // The agents who saw these tasks: their stream's events are found through the (tenant, user) index.
    const users = await usersOfTasks(tx, tenantId, taskIds, taskRows);
    if (users.length) {
      events += rowsOf(
        await tx.execute(sql`
          delete from events
          where tenant_id = ${tenantId} and user_id in (${list(users)}) and type in ('message', 'notice')
            and payload->>'sessionId' in (${list(taskIds)})
          returning id`),
      ).length;
      events += rowsOf(
        await tx.execute(sql`
          update events set payload = jsonb_set(jsonb_set(
              payload #- '{session,firstMessage}' #- '{session,wrapUp,note}', '{session,customer}', ${ERASED_JSON}::jsonb),
              '{session,parameters}', '{}'::jsonb)
          where tenant_id = ${tenantId} and user_id in (${list(users)}) and type = 'session'
            and payload->'session'->>'id' in (${list(taskIds)})
          returning id`),
      ).length;
    }
    await tx.execute(sql`
      update tasks set
        data = jsonb_set(data, '{customer}', ${ERASED_JSON}::jsonb),
        workflow = case when workflow is null then null else jsonb_set(workflow, '{params}', '{}'::jsonb) end
      where tenant_id = ${tenantId} and id in (${list(taskIds)})`);
    reporting = rowsOf(
      await tx.execute(sql`
        update reporting_sessions set data = data #- '{csat,comment}' #- '{wrapUp,note}'
        where tenant_id = ${tenantId} and task_id in (${list(taskIds)})
        returning task_id`),
    ).length;
    forgetWrittenSessions(tx);
    // Jobs this transaction scheduled are written first, so the delete sees them (jobs.ts, deferJobs).
    await flushJobs(tx);
    jobs = rowsOf(
      await tx.execute(sql`
        delete from jobs
        where tenant_id = ${tenantId} and kind not in (${list(NOT_CHAT_JOBS)})
          and (ref in (${list(taskIds)}) or payload->>'taskId' in (${list(taskIds)}) or payload->>'sessionId' in (${list(taskIds)})
            or payload->>'conversationId' = ${conversationId})
        returning id`),
    ).length;
  } else {
    await flushJobs(tx);
    jobs = rowsOf(
      await tx.execute(sql`
        delete from jobs where tenant_id = ${tenantId} and kind not in (${list(NOT_CHAT_JOBS)}) and payload->>'conversationId' = ${conversationId}
        returning id`),
    ).length;
  }
  await tx.execute(sql`
    update conversations set customer = ${ERASED_JSON}::jsonb, address = null, token_hash = null
    where tenant_id = ${tenantId} and id = ${conversationId}`);
  return { messages, tasks: taskIds.length, taskIds, events, jobs, reportingSessions: reporting };
}

/** Everyone a task was offered to or given: its agent, offered users, supervisors who acted on it. */
async function usersOfTasks(tx: Tx, tenantId: string, taskIds: string[], taskRows: { user_id: string | null }[]): Promise<string[]> {
  const users = new Set<string>(taskRows.flatMap((t) => (t.user_id ? [t.user_id] : [])));
  const sessions = rowsOf<{ data: unknown }>(
    await tx.execute(sql`select data from reporting_sessions where tenant_id = ${tenantId} and task_id in (${list(taskIds)})`),
  );
  for (const { data } of sessions) {
    const s = (typeof data === 'string' ? JSON.parse(data) : data) as {
      userId?: string;
      offeredUserIds?: string[];
      supervisorId?: string;
      takenOverBy?: string;
    };
    for (const u of [s.userId, s.supervisorId, s.takenOverBy, ...(s.offeredUserIds ?? [])]) if (u) users.add(u);
  }
  return [...users].sort();
}

// ---- retention ----

/**
 * Up to `limit` of the tenant's conversations created before `cutoff`, after `afterId` in id
 * order (retention walks them in pages; a conversation created later has no older message).
 */
export async function conversationsCreatedBefore(
  q: Q,
  tenantId: string,
  cutoff: number,
  afterId: string,
  limit: number,
): Promise<string[]> {
  const res = await q.execute(sql`
    select id from conversations
    where tenant_id = ${tenantId} and created_at < ${cutoff} and id > ${afterId}
    order by id limit ${limit}`);
  return rowsOf<{ id: string }>(res).map((r) => r.id);
}

/** Deletes the messages of these conversations written before `cutoff`; returns how many. */
export async function deleteMessagesBefore(tx: Tx, tenantId: string, conversationIds: string[], cutoff: number): Promise<number> {
  if (conversationIds.length === 0) return 0;
  const res = await tx.execute(sql`
    delete from messages
    where conversation_id in (${list(conversationIds)}) and tenant_id = ${tenantId} and created_at < ${cutoff}
    returning id`);
  return rowsOf(res).length;
}

/**
 * Of these conversations, the ended ones with no message left whose customer is not erased yet:
 * retention erases their customer too. An open one keeps its address (the thread goes on).
 */
export async function emptiedConversations(q: Q, tenantId: string, conversationIds: string[]): Promise<string[]> {
  if (conversationIds.length === 0) return [];
  const res = await q.execute(sql`
    select c.id from conversations c
    where c.id in (${list(conversationIds)}) and c.tenant_id = ${tenantId} and not c.open
      and c.customer <> ${ERASED_JSON}::jsonb
      and not exists (select 1 from messages m where m.conversation_id = c.id)
    order by c.id`);
  return rowsOf<{ id: string }>(res).map((r) => r.id);
}

/**
 * Deletes up to `limit` of the tenant's outbox events older than `cutoff` that every durable
 * subscriber has read already (none misses one); returns how many.
 */
export async function deleteEventsBefore(tx: Tx, tenantId: string, cutoff: number, limit: number): Promise<number> {
  const res = await tx.execute(sql`
    delete from events where id in (
      select id from events
      where tenant_id = ${tenantId} and created_at < ${cutoff}
        and id <= coalesce((select min(position) from event_cursors), 0)
      order by id limit ${limit})
    returning id`);
  return rowsOf(res).length;
}

/** Inserts the job unless one of its kind and ref exists (a restart keeps the daily rhythm). */
export async function ensureJob(q: Q, j: { id: string; tenantId: string; kind: string; ref: string; dueAt: number }): Promise<void> {
  await q.execute(sql`
    insert into jobs (id, tenant_id, kind, ref, payload, due_at) values (${j.id}, ${j.tenantId}, ${j.kind}, ${j.ref}, '{}'::jsonb, ${j.dueAt})
    on conflict (kind, ref) do nothing`);
}

/** Keeps a job's progress for its next run. */
export async function setJobPayload(q: Q, id: string, payload: Record<string, unknown>): Promise<void> {
  await q.execute(sql`update jobs set payload = ${JSON.stringify(payload)}::jsonb where id = ${id}`);
}

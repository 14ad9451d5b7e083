/**
 * Row access for the Teams bot: installations (`bot_installations`), the send queue
 * (`teams_queue`), inbound dedupe (`inbound_seen`), and the task reads the relay does.
 */
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Q, Tx } from './db';
import { scheduleJob } from './jobs';
import { botInstallations, inboundSeen, tasks, teamsQueue } from './schema';

/** An agent's Teams installation: the conversation reference the bot sends to. */
export type BotInstallation = typeof botInstallations.$inferSelect;
/** One row of `teams_queue`. */
export type TeamsItem = typeof teamsQueue.$inferSelect;

/** What the relay queues for an agent's Teams chat. */
export interface NewTeamsItem {
  tenantId: string;
  userId: string;
  kind: string;
  taskId: string | null;
  payload: unknown;
  createdAt: number;
}

// ---- bot_installations ----

/** Ids of the tenant's users who have the bot installed. */
export async function installedUserIds(q: Q, tenantId: string): Promise<string[]> {
  const rows = await q.select({ userId: botInstallations.userId }).from(botInstallations).where(eq(botInstallations.tenantId, tenantId));
  return rows.map((r) => r.userId);
}

/** The agent's installation, if the bot is installed. */
export async function botInstallation(q: Q, tenantId: string, userId: string): Promise<BotInstallation | undefined> {
  const [inst] = await q
    .select()
    .from(botInstallations)
    .where(and(eq(botInstallations.tenantId, tenantId), eq(botInstallations.userId, userId)));
  return inst;
}

/** Records (or refreshes) the agent's installation with its conversation reference. */
export async function saveBotInstallation(q: Q, tenantId: string, userId: string, reference: unknown, now: number): Promise<void> {
  await q
    .insert(botInstallations)
    .values({ tenantId, userId, reference, updatedAt: now })
    .onConflictDoUpdate({ target: [botInstallations.tenantId, botInstallations.userId], set: { reference, updatedAt: now } });
}

/** Forgets the agent's installation. */
export async function removeBotInstallation(q: Q, tenantId: string, userId: string): Promise<void> {
  await q.delete(botInstallations).where(and(eq(botInstallations.tenantId, tenantId), eq(botInstallations.userId, userId)));
}

/** The session the agent's Teams chat last pointed at (their typed messages go there), if any. */
export async function botCurrentTaskId(q: Q, tenantId: string, userId: string): Promise<string | undefined> {
  const [inst] = await q
    .select({ current: botInstallations.currentTaskId })
    .from(botInstallations)
    .where(and(eq(botInstallations.tenantId, tenantId), eq(botInstallations.userId, userId)));
  return inst?.current ?? undefined;
}

/** Points the agent's Teams chat at a session. */
export async function setBotCurrentTask(q: Q, tenantId: string, userId: string, taskId: string): Promise<void> {
  await q
    .update(botInstallations)
    .set({ currentTaskId: taskId })
    .where(and(eq(botInstallations.tenantId, tenantId), eq(botInstallations.userId, userId)));
}

// ---- teams_queue ----

/** True when an offer card for this session is already queued (or sent) to the agent. */
export async function teamsOfferQueued(tx: Tx, taskId: string, userId: string): Promise<boolean> {
  return teamsItemQueued(tx, taskId, userId, 'offer');
}

/** True when an item of this kind for this session is already queued (or sent) to the agent. */
export async function teamsItemQueued(tx: Tx, taskId: string, userId: string, kind: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: teamsQueue.id })
    .from(teamsQueue)
    .where(and(eq(teamsQueue.taskId, taskId), eq(teamsQueue.userId, userId), eq(teamsQueue.kind, kind)))
    .limit(1);
  return Boolean(row);
}

/** True while the agent has items waiting to be sent to their Teams chat. */
export async function hasPendingTeamsItems(q: Q, tenantId: string, userId: string): Promise<boolean> {
  const [row] = await q
    .select({ id: teamsQueue.id })
    .from(teamsQueue)
    .where(and(eq(teamsQueue.tenantId, tenantId), eq(teamsQueue.userId, userId), isNull(teamsQueue.doneAt)))
    .limit(1);
  return Boolean(row);
}

/** The payload of the latest offer-card update queued for this session and agent, if any. */
export async function lastTeamsOfferUpdate(tx: Tx, taskId: string, userId: string): Promise<unknown> {
  const [last] = await tx
    .select({ payload: teamsQueue.payload })
    .from(teamsQueue)
    .where(and(eq(teamsQueue.taskId, taskId), eq(teamsQueue.userId, userId), eq(teamsQueue.kind, 'offerUpdate')))
    .orderBy(sql`${teamsQueue.id} desc`)
    .limit(1);
  return last?.payload;
}

/** Queues one item for an agent's Teams chat. */
export async function queueTeamsItem(tx: Q, item: NewTeamsItem): Promise<void> {
  await tx.insert(teamsQueue).values(item);
}

/**
 * Gives every agent with undone rows in `teams_queue` and no `teamsSend` job one, due at `now`; an
 * agent who already has a job keeps it. Returns how many jobs it created.
 */
export async function scheduleOrphanedTeamsSends(q: Q, now: number): Promise<number> {
  const res = await q.execute(sql`
    insert into jobs (id, tenant_id, kind, ref, payload, due_at)
    select 'job_' || replace(gen_random_uuid()::text, '-', ''), q.tenant_id, 'teamsSend', q.tenant_id || '/' || q.user_id,
           jsonb_build_object('userId', q.user_id), ${now}
    from (select distinct tenant_id, user_id from teams_queue where done_at is null) q
    on conflict (kind, ref) do nothing
    returning id`);
  return (res as unknown as { rows: unknown[] }).rows.length;
}

/** The agent's undone items, oldest first, at most `limit`. */
export async function pendingTeamsItems(q: Q, tenantId: string, userId: string, limit: number): Promise<TeamsItem[]> {
  return q
    .select()
    .from(teamsQueue)
    .where(and(eq(teamsQueue.tenantId, tenantId), eq(teamsQueue.userId, userId), isNull(teamsQueue.doneAt)))
    .orderBy(asc(teamsQueue.id))
    .limit(limit);
}

/**
 * Marks items handled (sent, folded or given up), with the error and the Teams activity id when
 * there are. An item an erasure emptied while it was being sent keeps its emptiness: the activity
 * that just went out is queued for deletion instead (with the agent's send job, due at once).
 */
export async function markTeamsItemsDone(q: Q, ids: number[], doneAt: number, error: string | null, activityId?: string): Promise<void> {
  if (ids.length === 0) return;
  await q
    .update(teamsQueue)
    .set({ doneAt, error, ...(activityId ? { activityId } : {}) })
    .where(and(sql`${teamsQueue.id} in (${idList(ids)})`, sql`${teamsQueue.payload}->>'erased' is null`));
  if (!activityId) return;
  const [erased] = await q
    .select({ tenantId: teamsQueue.tenantId, userId: teamsQueue.userId })
    .from(teamsQueue)
    .where(and(sql`${teamsQueue.id} in (${idList(ids)})`, sql`${teamsQueue.payload}->>'erased' is not null`))
    .limit(1);
  if (!erased) return;
  await queueTeamsItem(q, {
    tenantId: erased.tenantId,
    userId: erased.userId,
    kind: DELETE_ACTIVITY,
    taskId: null,
    payload: { activityId },
    createdAt: doneAt,
  });
  await scheduleTeamsSend(q, erased.tenantId, erased.userId, doneAt);
}

const idList = (ids: readonly (number | string)[]): SQL =>
  sql.join(
    ids.map((x) => sql`${x}`),
    sql`, `,
  );

/** The queued item that removes one of the bot's activities from an agent's chat (payload `{activityId}`). */
export const DELETE_ACTIVITY = 'deleteActivity';

/** The agent's `teamsSend` job, due at `dueAt` (its ref is relay-queue.ts's teamsJobRef). */
async function scheduleTeamsSend(q: Q, tenantId: string, userId: string, dueAt: number): Promise<void> {
  await scheduleJob(q, { tenantId, kind: 'teamsSend', ref: `${tenantId}/${userId}`, payload: { userId }, dueAt });
}

/** What forgetting queued items did: copies queued for deletion, unsent items cancelled, agents whose job was scheduled. */
export interface ForgottenTeamsItems {
  copies: number;
  cancelled: number;
}

/**
 * Forgets what the bot queued about these sessions (an erasure): unsent items are cancelled,
 * every item's payload is emptied, and each activity already sent (an offer card, relayed
 * messages, a notice: they carry the customer's text or name) is queued for deletion in its
 * agent's chat, once per activity, with the agent's send job. Takes the rows' locks.
 */
export async function forgetTeamsItemsOfTasks(
  tx: Tx,
  tenantId: string,
  taskIds: readonly string[],
  now: number,
): Promise<ForgottenTeamsItems> {
  if (taskIds.length === 0) return { copies: 0, cancelled: 0 };
  const where = sql`task_id in (${idList(taskIds)}) and tenant_id = ${tenantId}`;
  const sent = (await tx.execute(sql`
    select distinct user_id, activity_id from teams_queue where ${where} and activity_id is not null order by user_id, activity_id`)) as unknown as {
    rows: { user_id: string; activity_id: string }[];
  };
  const cancelled = (await tx.execute(sql`
    update teams_queue set payload = '{"erased":true}'::jsonb, done_at = ${now}, error = 'erased'
    where ${where} and done_at is null returning id`)) as unknown as { rows: unknown[] };
  await tx.execute(sql`update teams_queue set payload = '{"erased":true}'::jsonb, activity_id = null where ${where}`);
  return { copies: await queueDeletes(tx, tenantId, sent.rows, now), cancelled: cancelled.rows.length };
}

/** Queues one `deleteActivity` per (agent, activity), with each agent's send job; returns how many. */
async function queueDeletes(tx: Tx, tenantId: string, copies: { user_id: string; activity_id: string }[], now: number): Promise<number> {
  if (copies.length === 0) return 0;
  await tx.insert(teamsQueue).values(
    copies.map((c) => ({
      tenantId,
      userId: c.user_id,
      kind: DELETE_ACTIVITY,
      taskId: null,
      payload: { activityId: c.activity_id },
      createdAt: now,
    })),
  );
  for (const userId of new Set(copies.map((c) => c.user_id))) await scheduleTeamsSend(tx, tenantId, userId, now);
  return copies.length;
}

/**
 * Retention: up to `limit` of the tenant's items queued before `cutoff` (a pending deletion
 * excepted) are removed; each activity they had sent is queued for deletion from the agent's
 * chat. Returns the rows removed and the copies queued.
 */
export async function expireTeamsItems(
  tx: Tx,
  tenantId: string,
  cutoff: number,
  now: number,
  limit: number,
): Promise<{ removed: number; copies: number }> {
  const old = (await tx.execute(sql`
    select id, user_id, activity_id, kind from teams_queue
    where tenant_id = ${tenantId} and created_at < ${cutoff} and not (kind = ${DELETE_ACTIVITY} and done_at is null)
    order by id limit ${limit} for update skip locked`)) as unknown as {
    rows: { id: number | string; user_id: string; activity_id: string | null; kind: string }[];
  };
  if (old.rows.length === 0) return { removed: 0, copies: 0 };
  const seen = new Set<string>();
  const copies = old.rows.flatMap((r) => {
    if (!r.activity_id || r.kind === DELETE_ACTIVITY || seen.has(`${r.user_id}/${r.activity_id}`)) return [];
    seen.add(`${r.user_id}/${r.activity_id}`);
    return [{ user_id: r.user_id, activity_id: r.activity_id }];
  });
  await tx.execute(sql`delete from teams_queue where id in (${idList(old.rows.map((r) => Number(r.id)))})`);
  return { removed: old.rows.length, copies: await queueDeletes(tx, tenantId, copies, now) };
}

/** The Teams activity id of the offer card sent to the agent for this session, once sent. */
export async function teamsOfferActivityId(q: Q, taskId: string, userId: string): Promise<string | undefined> {
  const [offer] = await q
    .select({ activityId: teamsQueue.activityId })
    .from(teamsQueue)
    .where(and(eq(teamsQueue.taskId, taskId), eq(teamsQueue.userId, userId), eq(teamsQueue.kind, 'offer')))
    .limit(1);
  return offer?.activityId ?? undefined;
}

/** Counts a failed, retryable send of an item and keeps its error. */
export async function recordTeamsSendFailure(q: Q, id: number, attempts: number, error: string): Promise<void> {
  await q.update(teamsQueue).set({ attempts, error }).where(eq(teamsQueue.id, id));
}

// ---- tasks, as the relay reads them ----

/** A task's data (customer, service) for a relayed message's card, if the task exists. */
export async function relayTaskData(q: Q, tenantId: string, taskId: string): Promise<unknown> {
  const [t] = await q
    .select({ data: tasks.data })
    .from(tasks)
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, taskId)));
  return t?.data;
}

/** The agent's connected sessions, as the bot names them: id, customer name, when accepted (newest first). */
export async function connectedSessions(
  q: Q,
  tenantId: string,
  userId: string,
): Promise<{ id: string; customerName: string; acceptedAt: number }[]> {
  const open = await q
    .select({ id: tasks.id, data: tasks.data })
    .from(tasks)
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.userId, userId), eq(tasks.state, 'connected')));
  return open
    .map((r) => {
      const d = r.data as { customer?: { displayName?: string }; acceptedAt?: number };
      return { id: r.id, customerName: d.customer?.displayName ?? 'Customer', acceptedAt: d.acceptedAt ?? 0 };
    })
    .sort((a, b) => b.acceptedAt - a.acceptedAt || (a.id < b.id ? -1 : 1));
}

/** Ids of the agent's connected sessions. */
export async function connectedTaskIds(q: Q, tenantId: string, userId: string): Promise<string[]> {
  const open = await q
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.userId, userId), eq(tasks.state, 'connected')));
  return open.map((r) => r.id);
}

// ---- inbound_seen ----

/** Records an inbound activity key; true when it was not there yet. */
export async function markInboundSeen(q: Q, key: string, at: number): Promise<boolean> {
  const inserted = await q.insert(inboundSeen).values({ key, at }).onConflictDoNothing().returning({ key: inboundSeen.key });
  return inserted.length > 0;
}

/** Removes up to `limit` inbound keys seen before `cutoff`; returns how many. */
export async function deleteInboundSeenBefore(q: Q, cutoff: number, limit: number): Promise<number> {
  const rows = await q.execute(
    sql`delete from inbound_seen where key in (select key from inbound_seen where at < ${cutoff} limit ${limit}) returning key`,
  );
  return (rows as unknown as { rows?: unknown[] }).rows?.length ?? 0;
}

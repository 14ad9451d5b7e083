/**
 * Direct chats in the store: queueing a new one for its user, and ending one that its user does
 * not take (unreachable at the start, declined, or the wait ran out) with the customer told, the
 * task ended with its reporting outcome and the conversation closed. The rules are in
 * shared/task/direct-chat.ts; this file loads what they need and carries out their answer.
 */
import { reachability, type Eligibility } from '@stratus/shared/distribution/eligibility';
import { directChatStart, directChatWaitSec, endDirectChat, endsOnDecline, type DirectChatEnd } from '@stratus/shared/task/direct-chat';
import { enqueue } from '@stratus/shared/task/transitions';
import type { Task, TaskEvent } from '@stratus/shared/task/types';
import type { TenantConfig, UserConfig } from '@stratus/shared/tenant/model';
import { loadAgents } from '../store/agents';
import { directService } from '../distribution/distribution';
import { addMessage } from '../conversations/messages';
import type { Conversation } from '../store/repo';
import { saveTask } from '../tasks/task-store';
import type { Uow } from '../runtime/uow';
import { closeConversation } from './workflow-runner';
import { customerText, type CustomerTextKey } from '@stratus/shared/i18n/customer-texts';

/** The customer's sentence for each way a direct chat ends without its person, in their language. */
const DIRECT_END_TEXT = {
  unavailable: 'directUnavailable',
  timedOut: 'directTimedOut',
  declined: 'directDeclined',
} as const satisfies Record<DirectChatEnd, CustomerTextKey>;

/** Whether the user could be offered their direct chat now (a direct chat needs no Active flag). */
async function reachabilityNow(u: Uow, tenant: TenantConfig, user: UserConfig): Promise<Eligibility> {
  const agent = (await loadAgents(u.tx, tenant)).get(user.id);
  const service = directService(user);
  if (!agent) return { allowed: false, reason: 'offline', message: `${user.displayName} has never signed in.` };
  return reachability(user, { ...agent, activeServiceIds: [...agent.activeServiceIds, service.id] }, service, u.now);
}

/**
 * Inserts a new direct chat's task: queued for its user for the tenant's `directChatWaitSec`, or
 * ended at once when the user cannot be reached (off duty, offline). The caller holds the
 * conversation lock; `events` are the task's creation events, not yet saved.
 */
export async function startDirectChat(u: Uow, conv: Conversation, tenant: TenantConfig, task: Task, events: TaskEvent[]): Promise<Task> {
  const user = tenant.users.find((x) => x.id === task.directUserId);
  const reach: Eligibility = user
    ? await reachabilityNow(u, tenant, user)
    : { allowed: false, reason: 'notMember', message: 'No such user.' };
  if (!user || directChatStart(reach) === 'unavailable') {
    await saveTask(u, task, events, undefined, true);
    return finish(u, conv, task, 'unavailable', user);
  }
  const q = enqueue(task, { maxQueueTimeSec: directChatWaitSec(tenant) }, u.now);
  await saveTask(u, q.task, [...events, ...q.events], undefined, true);
  return q.task;
}

/** A direct chat left its queue (its wait ran out): it ends as timed out. */
export async function directChatLeftQueue(u: Uow, conv: Conversation, task: Task): Promise<Task> {
  if (task.state === 'ended' || task.state === 'connected') {
    await closeConversation(u, conv, task);
    return task;
  }
  return finish(u, conv, task, 'timedOut', u.rt.tenants.user(task.tenantId, task.directUserId ?? ''));
}

/**
 * After an offer was declined: a direct chat ends at once (its user was the only one to offer it
 * to) instead of being offered to them again. Other tasks are left to distribution. The caller
 * holds the conversation's lock (LOCK ORDER, locks.ts) and passes the row it locked.
 */
export async function endDirectChatIfDeclined(u: Uow, conv: Conversation, task: Task): Promise<Task> {
  if (!endsOnDecline(task)) return task;
  return finish(u, conv, task, 'declined', u.rt.tenants.user(task.tenantId, task.directUserId ?? ''));
}

/** Ends the task with the end's outcome, tells the customer why, and closes the conversation. */
async function finish(u: Uow, conv: Conversation, task: Task, reason: DirectChatEnd, user: UserConfig | undefined): Promise<Task> {
  const ended = endDirectChat(task, reason, u.now);
  await saveTask(u, ended.task, ended.events, undefined);
  if (conv.open)
    await addMessage(u, conv, ended.task, {
      from: 'system',
      text: customerText(conv.language, DIRECT_END_TEXT[reason], { agent: user?.displayName }),
    });
  await closeConversation(u, conv, ended.task);
  return ended.task;
}

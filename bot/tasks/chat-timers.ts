/**
 * The timers of a connected chat, per service (`im.chat.inactivity`), as durable jobs keyed by
 * the task (one of each kind per task, so a restart or another instance picks them up):
 *
 * - `chatInactivity`: started by each agent message. A customer silent `customerWarnSec` after it
 *   gets a warning; silent `customerCloseSec` more, the chat ends with the outcome `inactive`.
 *   A customer message needs no hook on the chat's hot path: the job reads the conversation's
 *   last customer and agent times when it runs, and a customer who wrote since is not silent.
 * - `agentUnanswered`: started on accept. It looks at the chat every `agentFlagSec` while nothing
 *   waits for the agent, and at the exact flag time once a customer message does; then it tells
 *   the agent's tab (a `session` event with `unanswered`). Checking every `agentFlagSec` is
 *   enough to be exact: a customer message after a check is due after the next one.
 *
 * Services without these settings schedule nothing and pay nothing.
 */
import type { AgentSession } from '@stratus/shared/contract/api';
import { spanLastSeq } from '@stratus/shared/task/span';
import type { Task } from '@stratus/shared/task/types';
import type { ChatSettings } from '@stratus/shared/tenant/model';
import type { Runtime } from '../runtime/runtime';
import type { Uow } from '../runtime/uow';
import { cancelJob, scheduleJob } from '../scheduler/jobs';
import type { Q } from '../store/db';
import { firstUnansweredCustomerMessage } from '../store/messages';

/** The service's chat settings, from the running configuration (no query). */
export function chatSettings(rt: Runtime, task: Pick<Task, 'tenantId' | 'serviceId'>): ChatSettings | undefined {
  return rt.tenants.service(task.tenantId, task.serviceId)?.im.chat;
}

/** What a `chatInactivity` job is waiting for: the warning, or (after it) the close. */
export type InactivityPayload = { taskId: string; phase: 'warn' } | { taskId: string; phase: 'close'; warnedAt: number };

/** After an agent message (the caller's transaction): the customer's silence is counted from now. */
export async function startCustomerInactivity(u: Uow, task: Task): Promise<void> {
  const warnSec = chatSettings(u.rt, task)?.inactivity?.customerWarnSec;
  if (!warnSec) return;
  const payload: InactivityPayload = { taskId: task.id, phase: 'warn' };
  await scheduleJob(u.tx, { tenantId: task.tenantId, kind: 'chatInactivity', ref: task.id, payload, dueAt: u.now + warnSec * 1000 });
}

/** On accept (the caller's transaction): the agent's unanswered watch starts. */
export async function startUnansweredWatch(u: Uow, task: Task): Promise<void> {
  const flagSec = chatSettings(u.rt, task)?.inactivity?.agentFlagSec;
  if (!flagSec) return;
  await scheduleJob(u.tx, {
    tenantId: task.tenantId,
    kind: 'agentUnanswered',
    ref: task.id,
    payload: { taskId: task.id },
    dueAt: u.now + flagSec * 1000,
  });
}

/** The task left `connected`: its chat timers stop. */
export async function stopChatTimers(u: Uow, taskId: string): Promise<void> {
  await cancelJob(u.tx, 'chatInactivity', taskId);
  await cancelJob(u.tx, 'agentUnanswered', taskId);
}

/**
 * The customer message waiting for the agent of a connected task, if any: since when (never
 * before the accept: the agent could not answer earlier) and, where the service flags it, when.
 */
export async function unansweredOf(rt: Runtime, q: Q, task: Task, lastSeq?: number): Promise<AgentSession['unanswered']> {
  if (task.state !== 'connected' || task.acceptedAt === undefined) return undefined;
  // A connected task's span is open; a closed one (endSeq) is never connected, but stay within it anyway.
  const toSeq = task.endSeq === undefined ? undefined : spanLastSeq(task, lastSeq ?? task.endSeq);
  const m = await firstUnansweredCustomerMessage(q, task.tenantId, task.conversationId, {
    fromSeq: 0,
    ...(toSeq !== undefined ? { toSeq } : {}),
  });
  if (!m) return undefined;
  const since = Math.max(m.at, task.acceptedAt);
  const flagSec = chatSettings(rt, task)?.inactivity?.agentFlagSec;
  return {
    since: new Date(since).toISOString(),
    ...(flagSec ? { flagAt: new Date(since + flagSec * 1000).toISOString() } : {}),
  };
}

/**
 * The wrap-up a task's agent gets as the task ends, where its service has one: until `endedAt`
 * plus the service's seconds. Undefined for a task nobody accepted or a service without wrap-up.
 */
export function wrapUpUntilFor(rt: Runtime, task: Task, endedAt: number): number | undefined {
  if (!task.userId || task.acceptedAt === undefined) return undefined;
  const wrapUp = chatSettings(rt, task)?.wrapUp;
  return wrapUp ? endedAt + wrapUp.seconds * 1000 : undefined;
}

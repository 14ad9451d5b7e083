/**
 * What a supervisor does to a chat of a service they supervise (tenant admins: any service):
 * take a connected chat over, give it to another eligible agent, end it; move a waiting chat to
 * another service or raise its priority. Each is one transaction under the conversation's lock
 * (LOCK ORDER in locks.ts), leaves the reporting session right, and is audited.
 *
 * A takeover or a reassignment ends the agent's task as `transferred` (their tab and Teams chat
 * say who took it) and starts the next task of the same conversation already connected to the new
 * agent: the customer is told who joined, and their next message reaches the new agent only.
 */
import { events } from '@stratus/shared/contract/events';
import type { SupervisorActionResult } from '@stratus/shared/contract/supervisor';
import { eligibility } from '@stratus/shared/distribution/eligibility';
import { customerText } from '@stratus/shared/i18n/customer-texts';
import { mayServiceUseIm } from '@stratus/shared/licensing/service';
import { closeSpan } from '@stratus/shared/task/span';
import { assignTo, endBySupervisor } from '@stratus/shared/task/supervision';
import { createTask, setPriority } from '@stratus/shared/task/transitions';
import type { Task } from '@stratus/shared/task/types';
import { serviceLevelMs, type Priority } from '@stratus/shared/tenant/model';
import { addMessage } from '../conversations/messages';
import { badRequest, conflict } from '../errors';
import type { Runtime } from '../runtime/runtime';
import { inTx, type Uow } from '../runtime/uow';
import { loadAgents, updateAgent } from '../store/agents';
import { reportingSessionOf, saveReportingSession } from '../store/reporting';
import { setCurrentTask, type Conversation, type TaskRow } from '../store/repo';
import { lockDistribution, lockTaskAndConversation } from '../store/locks';
import { appendAudit } from '../store/tenants';
import { saveTask } from '../tasks/task-store';
import { closeConversation, resumeTaskWorkflow, transferTask } from '../workflow/workflow-runner';
import { requireWatched, watchedServices, type Viewer } from './supervisor';

/** Locks a task of a watched service (404 for none, 403 for another service's). */
async function lockWatched(u: Uow, v: Viewer, taskId: string): Promise<{ row: TaskRow; conv: Conversation }> {
  watchedServices(u.rt, v);
  const locked = await lockTaskAndConversation(u.tx, v.tenantId, taskId);
  requireWatched(u.rt, v, locked?.row.task);
  return locked!;
}

function requireConnected(row: TaskRow, conv: Conversation): Task & { userId: string } {
  const t = row.task;
  if (t.state !== 'connected' || t.userId === undefined || !conv.open)
    throw conflict('not_connected', 'This chat is not connected to an agent any more (it may have just ended).');
  return t as Task & { userId: string };
}

const nameOf = (rt: Runtime, tenantId: string, userId: string) => rt.tenants.user(tenantId, userId)?.displayName ?? userId;

async function audit(u: Uow, v: Viewer, action: string, task: Task, summary: string): Promise<void> {
  await appendAudit(u.tx, {
    tenantId: v.tenantId,
    at: u.now,
    actor: v.userId,
    actorName: nameOf(u.rt, v.tenantId, v.userId),
    action: `supervisor.${action}`,
    // The task, never the customer: the audit outlives an erasure request.
    target: `task:${task.id}`,
    revision: null,
    summary,
    changes: [],
  });
}

/** Adds supervisor fields to a task's reporting session (the reducer knows nothing of supervisors). */
async function markReporting(u: Uow, task: Task, patch: { takenOverBy?: string; supervisorId?: string }): Promise<void> {
  const s = await reportingSessionOf(u.tx, task.tenantId, task.id);
  if (s) await saveReportingSession(u.tx, task, { ...s, ...patch }, s, serviceLevelMs(u.rt.tenants.service(task.tenantId, task.serviceId)));
}

/**
 * Ends the connected task for `action` and continues the chat in a new task of the same service,
 * connected to `toUserId` at once. Returns the new task's id.
 */
async function handOver(
  u: Uow,
  v: Viewer,
  conv: Conversation,
  row: TaskRow,
  action: 'takeover' | 'reassign',
  toUserId: string,
): Promise<string> {
  const from = requireConnected(row, conv);
  const ended = endBySupervisor(from, v.userId, action, u.now);
  // The previous agent reads the chat up to here: the "joined" notice belongs to the next agent.
  await saveTask(u, closeSpan(ended.task, conv.lastSeq), ended.events, row.workflow);
  await markReporting(
    u,
    ended.task,
    action === 'takeover' ? { takenOverBy: v.userId, supervisorId: v.userId } : { supervisorId: v.userId },
  );
  await updateAgent(u.tx, v.tenantId, from.userId, { lastIdleAt: u.now });

  const created = createTask(
    {
      id: u.rt.ids.next('task'),
      tenantId: from.tenantId,
      conversationId: from.conversationId,
      serviceId: from.serviceId,
      channel: from.channel,
      customer: from.customer,
      priority: from.priority,
      transferredFrom: from.id,
    },
    u.now,
  );
  await setCurrentTask(u.tx, conv.id, created.task.id);
  conv.currentTaskId = created.task.id;
  const assigned = assignTo(created.task, toUserId, u.now);
  await saveTask(u, assigned.task, [...created.events, ...assigned.events], undefined, true);
  if (action === 'reassign') await markReporting(u, assigned.task, { supervisorId: v.userId });
  const joined = nameOf(u.rt, v.tenantId, toUserId);
  await addMessage(u, conv, assigned.task, { from: 'system', text: customerText(conv.language, 'agentJoined', { agent: joined }) });

  const supervisor = nameOf(u.rt, v.tenantId, v.userId);
  const customer = from.customer.displayName;
  // The tab of the agent who lost the chat says why (its session view carries the supervisor too).
  u.emit(
    events.notice(
      v.tenantId,
      from.userId,
      'info',
      action === 'takeover'
        ? `${supervisor} (supervisor) took over the chat with ${customer}.`
        : `${supervisor} (supervisor) gave the chat with ${customer} to ${joined}.`,
      { sessionId: from.id, teams: false },
    ),
  );
  if (action === 'reassign')
    u.emit(
      events.notice(v.tenantId, toUserId, 'info', `${supervisor} (supervisor) gave you the chat with ${customer}.`, {
        sessionId: assigned.task.id,
      }),
    );
  return assigned.task.id;
}

/** The supervisor becomes the chat's agent. */
export async function takeOver(rt: Runtime, v: Viewer, taskId: string): Promise<SupervisorActionResult> {
  return inTx(rt, async (u) => {
    const { row, conv } = await lockWatched(u, v, taskId);
    const t = requireConnected(row, conv);
    if (t.userId === v.userId) throw conflict('already_yours', 'You are already the agent of this chat.');
    const newTaskId = await handOver(u, v, conv, row, 'takeover', v.userId);
    await audit(u, v, 'takeover', t, `Took over a chat of ${t.serviceId} from ${nameOf(rt, v.tenantId, t.userId)}.`);
    return { taskId, newTaskId };
  });
}

/** Gives the chat to another agent of its service who could be offered it now. */
export async function reassign(rt: Runtime, v: Viewer, taskId: string, userId: string): Promise<SupervisorActionResult> {
  const user = rt.tenants.user(v.tenantId, userId);
  if (!user) throw badRequest('unknown_user', `No user "${userId.slice(0, 64)}" in this tenant.`);
  return inTx(rt, async (u) => {
    // The agent's capacity is read under the distribution lock: no pass offers them a chat meanwhile.
    await lockDistribution(u.tx, v.tenantId);
    const { row, conv } = await lockWatched(u, v, taskId);
    const t = requireConnected(row, conv);
    if (t.userId === userId) throw conflict('same_agent', `${user.displayName} already has this chat.`);
    const service = rt.tenants.service(v.tenantId, t.serviceId);
    const tenant = rt.tenants.tenant(v.tenantId);
    const agent = tenant && (await loadAgents(u.tx, tenant)).get(userId);
    if (!service || !agent) throw conflict('not_eligible', `${user.displayName} cannot take chats now (never signed in to Stratus).`);
    const ok = eligibility(user, agent, service, u.now);
    if (!ok.allowed) throw conflict('not_eligible', ok.message);
    const newTaskId = await handOver(u, v, conv, row, 'reassign', userId);
    await audit(u, v, 'reassign', t, `Gave a chat of ${t.serviceId} from ${nameOf(rt, v.tenantId, t.userId)} to ${user.displayName}.`);
    return { taskId, newTaskId };
  });
}

/** Ends a connected chat: the customer is told, the agent's tab says who ended it. */
export async function endChat(rt: Runtime, v: Viewer, taskId: string): Promise<SupervisorActionResult> {
  return inTx(rt, async (u) => {
    const { row, conv } = await lockWatched(u, v, taskId);
    const t = requireConnected(row, conv);
    const r = endBySupervisor(t, v.userId, 'end', u.now);
    await saveTask(u, r.task, r.events, row.workflow);
    await markReporting(u, r.task, { supervisorId: v.userId });
    await updateAgent(u.tx, v.tenantId, t.userId, { lastIdleAt: u.now });
    const supervisor = nameOf(rt, v.tenantId, v.userId);
    await addMessage(u, conv, r.task, { from: 'system', text: customerText(conv.language, 'agentEnded', { agent: supervisor }) });
    if (row.workflow) await resumeTaskWorkflow(u, conv, r.task, row.workflow, { type: 'queueExit', exit: 'connectedEnded' });
    else await closeConversation(u, conv, r.task);
    u.emit(
      events.notice(v.tenantId, t.userId, 'info', `${supervisor} (supervisor) ended the chat with ${t.customer.displayName}.`, {
        sessionId: t.id,
        teams: false,
      }),
    );
    await audit(u, v, 'end', t, `Ended a chat of ${t.serviceId} handled by ${nameOf(rt, v.tenantId, t.userId)}.`);
    return { taskId };
  });
}

function requireWaiting(row: TaskRow, conv: Conversation): Task {
  if ((row.task.state !== 'queued' && row.task.state !== 'offered') || !conv.open)
    throw conflict('not_queued', 'This chat is not waiting in the queue any more (an agent may have just accepted it).');
  return row.task;
}

/** Moves a waiting chat to another service: it ends here as transferred and starts that service's workflow. */
export async function moveTask(rt: Runtime, v: Viewer, taskId: string, serviceId: string): Promise<SupervisorActionResult> {
  const target = rt.tenants.service(v.tenantId, serviceId);
  if (!target) throw badRequest('unknown_service', `No service "${serviceId}" in this tenant.`);
  const ok = mayServiceUseIm(target);
  if (!ok.allowed) throw badRequest('service_not_im', ok.reason);
  return inTx(rt, async (u) => {
    const { row, conv } = await lockWatched(u, v, taskId);
    const t = requireWaiting(row, conv);
    if (t.serviceId === serviceId) throw badRequest('same_service', 'The chat is already in this service.');
    const next = await transferTask(u, conv, t, row.workflow, target, 'supervisor');
    await markReporting(u, { ...t }, { supervisorId: v.userId });
    await audit(u, v, 'move', t, `Moved a waiting chat from ${t.serviceId} to ${serviceId}.`);
    return { taskId, newTaskId: next.id };
  });
}

/** Gives a waiting chat another priority (distribution takes it into account at once). */
export async function prioritize(rt: Runtime, v: Viewer, taskId: string, priority: Priority): Promise<SupervisorActionResult> {
  return inTx(rt, async (u) => {
    const { row, conv } = await lockWatched(u, v, taskId);
    const t = requireWaiting(row, conv);
    if (t.priority === priority) return { taskId };
    const r = setPriority(t, priority, u.now);
    await saveTask(u, r.task, r.events, row.workflow);
    await audit(u, v, 'priority', t, `Priority of a waiting chat of ${t.serviceId}: ${t.priority} → ${priority}.`);
    return { taskId };
  });
}

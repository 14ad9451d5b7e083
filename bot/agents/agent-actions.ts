/** Agent-side use cases behind the tab's API (and the Teams bot's card actions). */
import { customerText } from '@stratus/shared/i18n/customer-texts';
import type { AgentMe, AgentSession, ChatMessage, WrapUp } from '@stratus/shared/contract/api';
import type { ReportingSession } from '@stratus/shared/reporting/session';
import { mayServiceUseIm } from '@stratus/shared/licensing/service';
import { accept, decline, endTask } from '@stratus/shared/task/transitions';
import { inSpan } from '@stratus/shared/task/span';
import type { Task } from '@stratus/shared/task/types';
import type { AgentPrincipal } from './agent-auth';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import { scheduleJob } from '../scheduler/jobs';
import { activeFlags, agentRow, setActiveFlag, updateAgent } from '../store/agents';
import { addMessage } from '../conversations/messages';
import { agentTaskRows, conversationSeqs, wasOffered, getTask, type Conversation, type TaskRow } from '../store/repo';
import { lockTaskAndConversation } from '../store/locks';
import { findMessageByClientId, firstCustomerMessage, listMessages, toChatMessage } from '../store/messages';
import { endDirectChatIfDeclined } from '../workflow/direct-chat';
import type { Runtime } from '../runtime/runtime';
import { saveTask } from '../tasks/task-store';
import { presencePolledAt } from '../store/settings';
import { reportingSessionOf } from '../store/reporting';
import { startCustomerInactivity, unansweredOf } from '../tasks/chat-timers';
import { inBatch, inTx, type Uow } from '../runtime/uow';
import { toAgentSession } from '../conversations/views';
import { closeConversation, resumeTaskWorkflow, transferTask } from '../workflow/workflow-runner';
import { events } from '@stratus/shared/contract/events';

/** How long ended sessions stay in the agent's list. */
const RECENT_MS = 24 * 3600_000;

export async function getMe(rt: Runtime, p: AgentPrincipal): Promise<AgentMe> {
  const user = rt.tenants.user(p.tenantId, p.userId);
  const tenant = rt.tenants.tenant(p.tenantId);
  if (!user || !tenant) throw notFound('Unknown agent.');
  const a = await agentRow(rt.store.db, p.tenantId, p.userId);
  const flags = await activeFlags(rt.store.db, p.tenantId, p.userId);
  const polledAt = await presencePolledAt(rt.store.db, p.tenantId);
  const now = rt.clock.now();
  return {
    id: user.id,
    upn: user.upn,
    displayName: user.displayName,
    tenantId: tenant.id,
    onDuty: a?.onDuty ?? user.onDuty,
    presence: (a?.presence ?? user.presence) as AgentMe['presence'],
    ...(a?.inBlockingCall ? { inBlockingCall: true } : {}),
    ...(polledAt ? { presenceAsOf: new Date(polledAt).toISOString() } : {}),
    ...(a?.ronaUntil && a.ronaUntil > now ? { ronaUntil: new Date(a.ronaUntil).toISOString() } : {}),
    ...(a?.wrapUpUntil && a.wrapUpUntil > now ? { wrapUpUntil: new Date(a.wrapUpUntil).toISOString() } : {}),
    services: tenant.services
      .filter((s) => s.members.some((m) => m.userId === user.id))
      .map((s) => ({
        id: s.id,
        name: s.name,
        imEnabled: s.im.enabled,
        active: flags.find((f) => f.serviceId === s.id)?.active ?? false,
      })),
  };
}

/** After commit, tells the agent's tab its new state (duty, Active, RONA, presence). */
export async function emitMe(u: Uow, p: AgentPrincipal): Promise<void> {
  u.after(() => {
    void getMe(u.rt, p)
      .then((me) => inTx(u.rt, async (u2) => u2.emit(events.me(p.tenantId, p.userId, me))))
      .catch((e) => u.rt.log.warn('could not publish agent state', { error: String(e) }));
  });
}

/** On/off duty. Going off duty ends RONA, as does coming back. */
export async function setDuty(rt: Runtime, p: AgentPrincipal, onDuty: boolean): Promise<AgentMe> {
  await inTx(rt, async (u) => {
    await updateAgent(u.tx, p.tenantId, p.userId, { onDuty, ronaUntil: null });
    u.distribute(p.tenantId);
    u.after(() => u.rt.availability.forget(p.tenantId));
    await emitMe(u, p);
  });
  return getMe(rt, p);
}

/** The per-service Active flag. */
export async function setActive(rt: Runtime, p: AgentPrincipal, serviceId: string, active: boolean): Promise<AgentMe> {
  const service = rt.tenants.service(p.tenantId, serviceId);
  if (!service || !service.members.some((m) => m.userId === p.userId)) throw notFound('You are not a member of this service.');
  await inTx(rt, async (u) => {
    await setActiveFlag(u.tx, p.tenantId, p.userId, serviceId, active);
    u.distribute(p.tenantId);
    u.after(() => u.rt.availability.forget(p.tenantId));
    await emitMe(u, p);
  });
  return getMe(rt, p);
}

export async function resetRona(rt: Runtime, p: AgentPrincipal): Promise<AgentMe> {
  await inTx(rt, async (u) => {
    await updateAgent(u.tx, p.tenantId, p.userId, { ronaUntil: null });
    u.distribute(p.tenantId);
    u.after(() => u.rt.availability.forget(p.tenantId));
    await emitMe(u, p);
  });
  return getMe(rt, p);
}

/** The session as `userId` sees it, with what waits for their answer (connected) or their wrap-up (ended). */
export async function sessionOf(rt: Runtime, q: Uow['tx'] | Runtime['store']['db'], row: TaskRow, userId: string): Promise<AgentSession> {
  const { task } = row;
  const { lastSeq, customerReadSeq } = await conversationSeqs(q, task.conversationId);
  const firstMessage = await firstCustomerMessage(q, task.tenantId, task.conversationId);
  const mine = task.userId === userId;
  const unanswered = mine && task.state === 'connected' ? await unansweredOf(rt, q, task, lastSeq) : undefined;
  const report = mine && task.state === 'ended' ? await reportingSessionOf(q, task.tenantId, task.id) : undefined;
  const wrapUp = task.acceptedAt !== undefined ? toWrapUp(report) : undefined;
  return toAgentSession(rt.tenants, task, row.workflow, userId, {
    firstMessage,
    lastSeq,
    customerReadSeq,
    ...(unanswered ? { unanswered } : {}),
    ...(wrapUp ? { wrapUp } : {}),
    ...(report ? { ended: { by: report.endedBy, transferredTo: report.transferredTo } } : {}),
  });
}

/** The contract's view of a reporting session's wrap-up. */
export function toWrapUp(session: ReportingSession | undefined): WrapUp | undefined {
  const w = session?.wrapUp;
  if (!w) return undefined;
  return {
    until: new Date(w.until).toISOString(),
    ...(w.outcome !== undefined ? { outcome: w.outcome } : {}),
    ...(w.note !== undefined ? { note: w.note } : {}),
    ...(w.filedAt !== undefined ? { filedAt: new Date(w.filedAt).toISOString() } : {}),
  };
}

export async function listSessions(rt: Runtime, p: AgentPrincipal): Promise<AgentSession[]> {
  const rows = await agentTaskRows(rt.store.db, p.tenantId, p.userId, rt.clock.now() - RECENT_MS);
  return Promise.all(rows.map((r) => sessionOf(rt, rt.store.db, r, p.userId)));
}

/** True when the task was offered to, or taken by, this agent. */
async function isMine(q: Runtime['store']['db'] | Uow['tx'], p: AgentPrincipal, task: Task): Promise<boolean> {
  if (task.userId === p.userId) return true;
  if (task.offers.some((o) => o.userId === p.userId)) return true;
  return wasOffered(q, task.id, p.userId);
}

/** Locks the session's conversation and task (in that order: LOCK ORDER in locks.ts) when the task is this agent's. */
async function lockMine(u: Uow, p: AgentPrincipal, taskId: string): Promise<{ row: TaskRow; conv: Conversation }> {
  const locked = await lockTaskAndConversation(u.tx, p.tenantId, taskId);
  if (!locked) throw notFound('No such session.');
  if (!(await isMine(u.tx, p, locked.row.task))) throw forbidden('This session is not yours.', 'not_your_session');
  return locked;
}

export async function acceptSession(rt: Runtime, p: AgentPrincipal, taskId: string): Promise<AgentSession> {
  return inTx(rt, async (u) => {
    const locked = await lockTaskAndConversation(u.tx, p.tenantId, taskId);
    if (!locked) throw notFound('No such session.');
    const { row, conv } = locked;
    if (row.task.state === 'connected' && row.task.userId === p.userId) return sessionOf(rt, u.tx, row, p.userId);
    if (row.task.state !== 'offered' || !row.task.offers.some((o) => o.userId === p.userId)) {
      if (!(await isMine(u.tx, p, row.task)) && row.task.state !== 'connected' && row.task.state !== 'ended')
        throw forbidden('This session is not offered to you.', 'not_your_session');
      throw conflict(
        'offer_gone',
        row.task.state === 'connected' ? 'Someone else already accepted this chat.' : 'This offer is no longer open.',
      );
    }
    const r = accept(row.task, p.userId, u.now);
    await saveTask(u, r.task, r.events, row.workflow);
    const agent = rt.tenants.user(p.tenantId, p.userId);
    await addMessage(u, conv, r.task, { from: 'system', text: customerText(conv.language, 'agentJoined', { agent: agent?.displayName }) });
    if (row.workflow) await resumeTaskWorkflow(u, conv, r.task, row.workflow, { type: 'taskConnected' });
    return sessionOf(rt, u.tx, { task: r.task, workflow: row.workflow }, p.userId);
  });
}

export async function declineSession(rt: Runtime, p: AgentPrincipal, taskId: string): Promise<AgentSession> {
  return inTx(rt, async (u) => {
    const locked = await lockTaskAndConversation(u.tx, p.tenantId, taskId);
    if (!locked) throw notFound('No such session.');
    const { row, conv } = locked;
    // An agent who declined or missed it once may press Decline again (a second click, a stale
    // Teams card): the offer is gone, which is a conflict, not someone else's session.
    if (row.task.skippedUserIds.includes(p.userId) && !row.task.offers.some((o) => o.userId === p.userId))
      throw conflict('offer_gone', 'This offer is no longer open.');
    if (!(await isMine(u.tx, p, row.task))) throw forbidden('This session is not yours.', 'not_your_session');
    if (row.task.state !== 'offered' || !row.task.offers.some((o) => o.userId === p.userId))
      throw conflict('offer_gone', 'This offer is no longer open.');
    const r = decline(row.task, p.userId, u.now);
    await saveTask(u, r.task, r.events, row.workflow);
    await startRonaIfPersistent(u, p.tenantId, r.task, p.userId);
    const after = await endDirectChatIfDeclined(u, conv, r.task);
    return sessionOf(rt, u.tx, { task: after, workflow: row.workflow }, p.userId);
  });
}

/** Persistent RONA: a decline or a miss puts the user in RONA for the service's reset time. */
export async function startRonaIfPersistent(u: Uow, tenantId: string, task: Task, userId: string): Promise<void> {
  const service = u.rt.tenants.service(tenantId, task.serviceId);
  const rona = service?.im.distribution.persistentRona;
  if (!rona?.enabled) return;
  const until = u.now + rona.resetSec * 1000;
  await updateAgent(u.tx, tenantId, userId, { ronaUntil: until });
  await scheduleJob(u.tx, { tenantId, kind: 'ronaReset', ref: `${tenantId}/${userId}`, payload: { userId }, dueAt: until });
  await emitMe(u, { tenantId, userId, upn: '' });
}

export async function endSession(rt: Runtime, p: AgentPrincipal, taskId: string): Promise<AgentSession> {
  return inTx(rt, async (u) => {
    const { row, conv } = await lockMine(u, p, taskId);
    if (row.task.state === 'ended') return sessionOf(rt, u.tx, row, p.userId);
    if (row.task.state !== 'connected' || row.task.userId !== p.userId)
      throw conflict('not_connected', 'Only a connected session can be ended.');
    const r = endTask(row.task, 'handled', 'agent', u.now);
    await saveTask(u, r.task, r.events, row.workflow);
    await updateAgent(u.tx, p.tenantId, p.userId, { lastIdleAt: u.now });
    const agent = rt.tenants.user(p.tenantId, p.userId);
    await addMessage(u, conv, r.task, { from: 'system', text: customerText(conv.language, 'agentEnded', { agent: agent?.displayName }) });
    if (row.workflow) await resumeTaskWorkflow(u, conv, r.task, row.workflow, { type: 'queueExit', exit: 'connectedEnded' });
    else await closeConversation(u, conv, r.task);
    return sessionOf(rt, u.tx, { task: r.task, workflow: row.workflow }, p.userId);
  });
}

export async function postAgentMessage(
  rt: Runtime,
  p: AgentPrincipal,
  taskId: string,
  m: { text: string; clientMessageId?: string },
): Promise<{ message: ChatMessage; duplicate: boolean }> {
  return inBatch(rt, async (u) => {
    const { row, conv } = await lockMine(u, p, taskId);
    if (m.clientMessageId) {
      // A retry of a message already stored answers with it, whatever happened since.
      const existing = await findMessageByClientId(u.tx, conv.id, 'agent', m.clientMessageId);
      if (existing) return { message: toChatMessage(existing), duplicate: true };
    }
    if (row.task.state !== 'connected' || row.task.userId !== p.userId)
      throw conflict('not_connected', 'You can write only in a session you accepted and that is still open.');
    if (!conv.open) throw conflict('chat_ended', 'The customer has left this chat.');
    const agent = rt.tenants.user(p.tenantId, p.userId);
    const r = await addMessage(u, conv, row.task, {
      from: 'agent',
      text: m.text,
      author: agent?.displayName,
      authorUserId: p.userId,
      clientMessageId: m.clientMessageId,
    });
    // The customer's silence counts from the agent's last message (services with an inactivity rule only).
    if (!r.duplicate) await startCustomerInactivity(u, row.task);
    return r;
  });
}

/**
 * The agent is typing in a session: its customer hears it. Only the session's connected agent;
 * nothing is stored but the event. `pass` (the route's throttle) is asked only once the session is
 * known to be theirs, and says whether this one goes out.
 */
export async function agentTyping(rt: Runtime, p: AgentPrincipal, taskId: string, pass: () => boolean = () => true): Promise<void> {
  const row = await getTask(rt.store.db, p.tenantId, taskId);
  if (!row) throw notFound('No such session.');
  if (row.task.userId !== p.userId) {
    if (await isMine(rt.store.db, p, row.task)) throw conflict('not_connected', 'You can type only in a session you accepted.');
    throw forbidden('This session is not yours.', 'not_your_session');
  }
  if (row.task.state !== 'connected') throw conflict('not_connected', 'This session is not open.');
  if (!pass()) return;
  const agent = rt.tenants.user(p.tenantId, p.userId);
  await inTx(rt, async (u) => u.emit(events.agentTyping(p.tenantId, row.task.conversationId, agent?.displayName)));
}

export async function sessionMessages(rt: Runtime, p: AgentPrincipal, taskId: string, after: number): Promise<ChatMessage[]> {
  const row = await getTask(rt.store.db, p.tenantId, taskId);
  if (!row) throw notFound('No such session.');
  if (!(await isMine(rt.store.db, p, row.task))) throw forbidden('This session is not yours.', 'not_your_session');
  const rows = await listMessages(rt.store.db, p.tenantId, row.task.conversationId, after);
  // A transferred task's agents read the conversation up to the transfer, never the next task's messages.
  return rows.filter((m) => inSpan(row.task, m.seq)).map(toChatMessage);
}

export async function transferSession(rt: Runtime, p: AgentPrincipal, taskId: string, serviceId: string): Promise<AgentSession> {
  const target = rt.tenants.service(p.tenantId, serviceId);
  if (!target) throw badRequest('unknown_service', `No service "${serviceId}" in this tenant.`);
  const ok = mayServiceUseIm(target);
  if (!ok.allowed) throw badRequest('service_not_im', ok.reason);
  return inTx(rt, async (u) => {
    const { row, conv } = await lockMine(u, p, taskId);
    if (row.task.state !== 'connected' || row.task.userId !== p.userId)
      throw conflict('not_connected', 'Only a connected session can be transferred.');
    if (row.task.serviceId === serviceId) throw badRequest('same_service', 'The chat is already in this service.');
    await transferTask(u, conv, row.task, row.workflow, target);
    await updateAgent(u.tx, p.tenantId, p.userId, { lastIdleAt: u.now });
    const after = await getTask(u.tx, p.tenantId, taskId);
    return sessionOf(rt, u.tx, after ?? row, p.userId);
  });
}

/** IM-enabled services of the tenant (transfer targets). */
export function transferTargets(rt: Runtime, p: AgentPrincipal): { id: string; name: string }[] {
  const tenant = rt.tenants.tenant(p.tenantId);
  return (tenant?.services ?? []).filter((s) => mayServiceUseIm(s).allowed).map((s) => ({ id: s.id, name: s.name }));
}

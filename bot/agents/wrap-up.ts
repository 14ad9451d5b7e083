/**
 * After-chat work: the agent of an ended session files its outcome (`handled`, `notHandled` or one
 * of the service's reasons) and an optional note, kept on the reporting session. Filing ends the
 * agent's wrap-up time at once (another running wrap-up of theirs still holds), so the next offer
 * can come. A filed wrap-up may be corrected until its original time is up; one never filed may
 * be filed late (reporting still wants it), but only once.
 */
import type { AgentSession, WrapUpRequest } from '@stratus/shared/contract/api';
import { serviceLevelMs } from '@stratus/shared/tenant/model';
import type { AgentPrincipal } from './agent-auth';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import type { Runtime } from '../runtime/runtime';
import { inTx } from '../runtime/uow';
import { updateAgent } from '../store/agents';
import { otherWrapUpUntil, reportingSessionOf, saveReportingSession } from '../store/reporting';
import { getTask } from '../store/repo';
import { lockTaskAndConversation } from '../store/locks';
import { emitMe, sessionOf } from './agent-actions';

/** Outcomes every wrap-up offers, beside the service's reasons. */
export const WRAP_UP_OUTCOMES = ['handled', 'notHandled'] as const;

export async function fileWrapUp(rt: Runtime, p: AgentPrincipal, taskId: string, req: WrapUpRequest): Promise<AgentSession> {
  return inTx(rt, async (u) => {
    const locked = await lockTaskAndConversation(u.tx, p.tenantId, taskId);
    if (!locked) throw notFound('No such session.');
    const { task } = locked.row;
    // Only the agent who handled the chat wraps it up (an agent it was merely offered to does not).
    if (task.userId !== p.userId || task.acceptedAt === undefined) throw forbidden('This session is not yours.', 'not_your_session');
    if (task.state !== 'ended') throw conflict('not_ended', 'Wrap up a chat once it has ended.');
    const session = await reportingSessionOf(u.tx, p.tenantId, task.id);
    const current = session?.wrapUp;
    if (!session || !current) throw conflict('wrap_up_closed', 'This chat has no wrap-up: its service does not ask for one.');
    if (current.filedAt !== undefined && u.now >= current.until)
      throw conflict('wrap_up_closed', 'The wrap-up was filed and its time is over: it can no longer be changed.');
    const reasons = rt.tenants.service(p.tenantId, task.serviceId)?.im.chat?.wrapUp?.reasons ?? [];
    const allowed: readonly string[] = [...WRAP_UP_OUTCOMES, ...reasons];
    if (!allowed.includes(req.outcome)) throw badRequest('invalid_request', `outcome: one of ${allowed.map((x) => `"${x}"`).join(', ')}`);
    const note = req.note?.trim();
    await saveReportingSession(
      u.tx,
      task,
      {
        ...session,
        wrapUp: { until: current.until, outcome: req.outcome, ...(note ? { note } : {}), filedAt: u.now },
      },
      session,
      serviceLevelMs(rt.tenants.service(p.tenantId, task.serviceId)),
    );
    // The wrap-up time ends now, unless another chat's wrap-up of this agent is still running.
    const other = await otherWrapUpUntil(u.tx, p.tenantId, p.userId, task.id, u.now);
    await updateAgent(u.tx, p.tenantId, p.userId, { wrapUpUntil: other ?? null });
    u.distribute(p.tenantId);
    u.after(() => u.rt.availability.forget(p.tenantId));
    await emitMe(u, p);
    return sessionOf(rt, u.tx, locked.row, p.userId);
  });
}

/** What the wrap-up form of a session offers: the outcomes to choose from (its service's reasons after the two fixed ones). */
export async function wrapUpOptions(rt: Runtime, p: AgentPrincipal, taskId: string): Promise<{ outcomes: string[] }> {
  const row = await getTask(rt.store.db, p.tenantId, taskId);
  if (!row) throw notFound('No such session.');
  if (row.task.userId !== p.userId) throw forbidden('This session is not yours.', 'not_your_session');
  const reasons = rt.tenants.service(p.tenantId, row.task.serviceId)?.im.chat?.wrapUp?.reasons ?? [];
  return { outcomes: [...WRAP_UP_OUTCOMES, ...reasons] };
}

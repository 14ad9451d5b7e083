/**
 * What each scheduled job does. Each handler re-checks state under lock, so a repeat is a no-op;
 * a task's locks are taken conversation first (lockTaskAndConversation, LOCK ORDER in locks.ts).
 */
import { expireOffer, returnToWorkflow } from '@stratus/shared/task/transitions';
import type { Job, JobHandler, JobKind } from '../scheduler/jobs';
import { clearRonaIfDue } from '../store/agents';
import { startRonaIfPersistent } from '../agents/agent-actions';
import { lockTaskAndConversation } from '../store/locks';
import type { Runtime } from '../runtime/runtime';
import { saveTask } from '../tasks/task-store';
import { inTx } from '../runtime/uow';
import { resumeTaskWorkflow } from '../workflow/workflow-runner';
import { agentUnansweredJob, chatInactivityJob } from './chat-timers';

/** Handlers for the kinds this module owns; channel sends and web requests are added by their owners. */
export function coreJobHandlers(
  rt: Runtime,
): Pick<
  Record<JobKind, JobHandler>,
  'offerExpiry' | 'queueTimeout' | 'workflowTimer' | 'ronaReset' | 'chatInactivity' | 'agentUnanswered'
> {
  return {
    offerExpiry: (job) => offerExpiry(rt, job),
    queueTimeout: (job) => queueTimeout(rt, job),
    workflowTimer: (job) => workflowTimer(rt, job),
    ronaReset: (job) => ronaReset(rt, job),
    chatInactivity: (job) => chatInactivityJob(rt, job),
    agentUnanswered: (job) => agentUnansweredJob(rt, job),
  };
}

async function offerExpiry(rt: Runtime, job: Job): Promise<void> {
  const { taskId, userId } = job.payload as { taskId: string; userId: string };
  await inTx(rt, async (u) => {
    const row = (await lockTaskAndConversation(u.tx, job.tenantId, taskId))?.row;
    const offer = row?.task.offers.find((o) => o.userId === userId);
    if (!row || row.task.state !== 'offered' || !offer) return;
    if (offer.expiresAt > u.now) return;
    const r = expireOffer(row.task, userId, u.now);
    await saveTask(u, r.task, r.events, row.workflow);
    await startRonaIfPersistent(u, job.tenantId, r.task, userId);
  });
}

async function queueTimeout(rt: Runtime, job: Job): Promise<void> {
  const { taskId } = job.payload as { taskId: string };
  await inTx(rt, async (u) => {
    const locked = await lockTaskAndConversation(u.tx, job.tenantId, taskId);
    if (!locked) return;
    const { row, conv } = locked;
    if (row.task.state !== 'queued' && row.task.state !== 'offered') return;
    if (row.task.queueDeadline === undefined || row.task.queueDeadline > u.now) return;
    const r = returnToWorkflow(row.task, 'queueTimeout', u.now);
    await saveTask(u, r.task, r.events, row.workflow);
    await resumeTaskWorkflow(u, conv, r.task, row.workflow, { type: 'queueExit', exit: 'timeout' });
  });
}

async function workflowTimer(rt: Runtime, job: Job): Promise<void> {
  const { taskId, at } = job.payload as { taskId: string; at: number };
  await inTx(rt, async (u) => {
    const locked = await lockTaskAndConversation(u.tx, job.tenantId, taskId);
    if (!locked?.row.workflow) return;
    const { row, conv } = locked;
    await resumeTaskWorkflow(u, conv, row.task, row.workflow, { type: 'timer', at });
  });
}

async function ronaReset(rt: Runtime, job: Job): Promise<void> {
  const { userId } = job.payload as { userId: string };
  await inTx(rt, async (u) => {
    await clearRonaIfDue(u.tx, job.tenantId, userId, u.now);
    u.distribute(job.tenantId);
  });
}

/** The handlers of a connected chat's timers (bot/tasks/chat-timers.ts schedules them and says why). */
import { events } from '@stratus/shared/contract/events';
import { customerText } from '@stratus/shared/i18n/customer-texts';
import { endTask } from '@stratus/shared/task/transitions';
import { addMessage } from '../conversations/messages';
import { toAgentSession } from '../conversations/views';
import type { Runtime } from '../runtime/runtime';
import { inTx } from '../runtime/uow';
import { scheduleJob, type Job, type JobResult } from '../scheduler/jobs';
import { conversationSeqs, getTask } from '../store/repo';
import { lockTaskAndConversation } from '../store/locks';
import { firstCustomerMessage } from '../store/messages';
import { chatSettings, unansweredOf, type InactivityPayload } from '../tasks/chat-timers';
import { saveTask } from '../tasks/task-store';
import { closeConversation, resumeTaskWorkflow } from '../workflow/workflow-runner';

/** The `chatInactivity` job: warn a silent customer, then close the chat. */
export async function chatInactivityJob(rt: Runtime, job: Job): Promise<JobResult> {
  const p = job.payload as InactivityPayload;
  await inTx(rt, async (u) => {
    const locked = await lockTaskAndConversation(u.tx, job.tenantId, p.taskId);
    if (!locked) return;
    const { row, conv } = locked;
    const task = row.task;
    const inactivity = chatSettings(rt, task)?.inactivity;
    if (task.state !== 'connected' || !conv.open || !inactivity?.customerWarnSec || conv.lastAgentAt === undefined) return;
    const customerAt = conv.lastCustomerAt ?? 0;
    if (p.phase === 'warn') {
      // The customer wrote after the agent's last message: not silent; the agent's next message starts again.
      if (customerAt > conv.lastAgentAt) return;
      const due = conv.lastAgentAt + inactivity.customerWarnSec * 1000;
      if (due > u.now) {
        await scheduleJob(u.tx, { tenantId: job.tenantId, kind: 'chatInactivity', ref: task.id, payload: p, dueAt: due });
        return;
      }
      await addMessage(u, conv, task, { from: 'system', text: customerText(conv.language, 'inactivityWarning') });
      if (inactivity.customerCloseSec) {
        const next: InactivityPayload = { taskId: task.id, phase: 'close', warnedAt: u.now };
        await scheduleJob(u.tx, {
          tenantId: job.tenantId,
          kind: 'chatInactivity',
          ref: task.id,
          payload: next,
          dueAt: u.now + inactivity.customerCloseSec * 1000,
        });
      }
      return;
    }
    // Closing: anyone who wrote since the warning keeps the chat open.
    if (customerAt >= p.warnedAt || conv.lastAgentAt > p.warnedAt || !inactivity.customerCloseSec) return;
    const due = p.warnedAt + inactivity.customerCloseSec * 1000;
    if (due > u.now) {
      await scheduleJob(u.tx, { tenantId: job.tenantId, kind: 'chatInactivity', ref: task.id, payload: p, dueAt: due });
      return;
    }
    const r = endTask(task, 'inactive', 'system', u.now);
    await saveTask(u, r.task, r.events, row.workflow);
    await addMessage(u, conv, r.task, { from: 'system', text: customerText(conv.language, 'inactivityClosed') });
    await closeConversation(u, conv, r.task);
    if (row.workflow) await resumeTaskWorkflow(u, conv, r.task, row.workflow, { type: 'customerLeft' });
  });
}

/** The `agentUnanswered` job: flags the session in the agent's tab once a customer message waits too long. */
export async function agentUnansweredJob(rt: Runtime, job: Job): Promise<JobResult> {
  const { taskId, flaggedSince } = job.payload as { taskId: string; flaggedSince?: string };
  // Cheap look first (this runs every agentFlagSec per connected chat): most runs find nothing to say.
  const peek = await getTask(rt.store.db, job.tenantId, taskId);
  const flagSec = peek ? chatSettings(rt, peek.task)?.inactivity?.agentFlagSec : undefined;
  if (!peek || peek.task.state !== 'connected' || !flagSec) return;
  const now = rt.clock.now();
  const seen = await unansweredOf(rt, rt.store.db, peek.task);
  const seenFlagAt = seen?.flagAt ? Date.parse(seen.flagAt) : undefined;
  if (!seen || seenFlagAt === undefined) return { retryAt: now + flagSec * 1000 };
  if (seenFlagAt > now) return { retryAt: seenFlagAt };
  if (seen.since === flaggedSince) return { retryAt: now + flagSec * 1000 };
  // Tell the agent under the chat's locks, so an end committed meanwhile is never followed by a stale "connected" view.
  return inTx(rt, async (u): Promise<JobResult> => {
    const locked = await lockTaskAndConversation(u.tx, job.tenantId, taskId);
    const task = locked?.row.task;
    if (!locked || !task || task.state !== 'connected' || !task.userId || !locked.conv.open) return;
    const { lastSeq, customerReadSeq } = await conversationSeqs(u.tx, task.conversationId);
    const unanswered = await unansweredOf(rt, u.tx, task, lastSeq);
    // Answered in between: keep watching (from the newer message's flag time if one waits already).
    if (!unanswered?.flagAt) return { retryAt: u.now + flagSec * 1000 };
    if (Date.parse(unanswered.flagAt) > u.now) return { retryAt: Date.parse(unanswered.flagAt) };
    const firstMessage = await firstCustomerMessage(u.tx, task.tenantId, task.conversationId);
    u.emit(
      events.session(
        task.tenantId,
        task.userId,
        toAgentSession(rt.tenants, task, locked.row.workflow, task.userId, { firstMessage, lastSeq, customerReadSeq, unanswered }),
      ),
    );
    await scheduleJob(u.tx, {
      tenantId: job.tenantId,
      kind: 'agentUnanswered',
      ref: task.id,
      payload: { taskId, flaggedSince: unanswered.since },
      dueAt: u.now + flagSec * 1000,
    });
  });
}

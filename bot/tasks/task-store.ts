/**
 * Persisting a task transition: the row, its open offers, its reporting session, the jobs that
 * time it (offer and queue timeouts) and the events agents and the customer receive, all in the
 * caller's transaction.
 */
import { reduceSession } from '@stratus/shared/reporting/session';
import type { Task, TaskEvent } from '@stratus/shared/task/types';
import { serviceLevelMs } from '@stratus/shared/tenant/model';
import type { WrapUp } from '@stratus/shared/contract/api';
import type { ReportingSession } from '@stratus/shared/reporting/session';
import { reportingSessionOf, saveReportingSession } from '../store/reporting';
import { extendWrapUp } from '../store/agents';
import { startUnansweredWatch, stopChatTimers, wrapUpUntilFor } from './chat-timers';
import { lockWaitHistory, saveWaitHistory } from '../store/service-state';
import { cancelJob, scheduleJob } from '../scheduler/jobs';
import { conversationLastSeq, conversationOpenAndCurrent, insertTask, updateTask, type Conversation, type OfferRows } from '../store/repo';
import { firstCustomerMessage } from '../store/messages';
import type { Uow } from '../runtime/uow';
import { customerState, toAgentSession, type OfferClosed } from '../conversations/views';
import { events as serverEvents } from '@stratus/shared/contract/events';

/** The events after which a task's open offers may differ from those stored (task_offers). */
const OFFER_CHANGES: ReadonlySet<TaskEvent['type']> = new Set([
  'offered',
  'offerDeclined',
  'offerMissed',
  'offerWithdrawn',
  'accepted',
  'returnedToWorkflow',
  'ended',
]);

/** What `events` do to the task's offer rows: an offer alone adds to none (it is made only to a queued task). */
function offerRowsOf(events: TaskEvent[]): OfferRows {
  if (events.length > 0 && events.every((e) => e.type === 'offered')) return 'add';
  return events.length === 0 || events.some((e) => OFFER_CHANGES.has(e.type)) ? 'replace' : 'keep';
}

/**
 * Saves `task` (inserting it when `isNew`) and everything that follows from `events`. `conv`, when
 * the caller holds the task's conversation locked (or inserted it) and its object is current (a
 * distribution pass offering the chat, a workflow step: `insertMessage` and `closeConversation`
 * keep its sequence and state), spares reading them again; with `firstCustomerText` (null: none),
 * the offer's first message too.
 */
export async function saveTask(
  u: Uow,
  task: Task,
  events: TaskEvent[],
  workflow: unknown,
  isNew = false,
  conv?: Pick<Conversation, 'id' | 'lastSeq' | 'open' | 'currentTaskId'> & { firstCustomerText?: string | null },
): Promise<void> {
  const { tx, now } = u;
  if (isNew) await insertTask(tx, task, workflow, now);
  else await updateTask(tx, task, workflow, now, offerRowsOf(events));
  if (events.length === 0) return;

  const session = await foldReporting(u, task, events);
  let wrapUp: WrapUp | undefined;

  const touched = new Map<string, OfferClosed | undefined>();
  let customerVisible = false;
  let needsDistribution = false;
  for (const e of events) {
    switch (e.type) {
      case 'offered':
        for (const userId of e.userIds) {
          touched.set(userId, undefined);
          await scheduleJob(tx, {
            tenantId: task.tenantId,
            kind: 'offerExpiry',
            ref: `${task.id}/${userId}`,
            payload: { taskId: task.id, userId },
            dueAt: e.expiresAt,
          });
        }
        customerVisible = true;
        break;
      case 'offerDeclined':
        touched.set(e.userId, 'declined');
        needsDistribution = true;
        break;
      case 'offerMissed':
        touched.set(e.userId, 'expired');
        needsDistribution = true;
        break;
      case 'offerWithdrawn':
        touched.set(e.userId, e.reason === 'acceptedByOther' ? 'acceptedByOther' : 'cancelled');
        await cancelJob(tx, 'offerExpiry', `${task.id}/${e.userId}`);
        break;
      case 'accepted':
        await recordAccept(u, task.tenantId, task.serviceId, e.at);
        touched.set(e.userId, undefined);
        await cancelJob(tx, 'offerExpiry', `${task.id}/${e.userId}`);
        await cancelJob(tx, 'queueTimeout', task.id);
        await startUnansweredWatch(u, task);
        customerVisible = true;
        break;
      case 'queued':
        if (!e.requeue && task.queueDeadline !== undefined) {
          await scheduleJob(tx, {
            tenantId: task.tenantId,
            kind: 'queueTimeout',
            ref: task.id,
            payload: { taskId: task.id },
            dueAt: task.queueDeadline,
          });
        }
        needsDistribution = true;
        customerVisible = true;
        break;
      case 'priorityChanged':
        needsDistribution = true;
        break;
      case 'returnedToWorkflow':
        await cancelJob(tx, 'queueTimeout', task.id);
        customerVisible = true;
        if (task.userId) touched.set(task.userId, undefined);
        needsDistribution = true;
        break;
      case 'ended':
        await cancelJob(tx, 'queueTimeout', task.id);
        if (task.acceptedAt !== undefined) await stopChatTimers(u, task.id);
        // After-chat work: no next offer for the agent until it is filed or its time is up (the periodic distribution pass offers again then).
        if (task.userId && session?.wrapUp && !session.wrapUp.filedAt) {
          await extendWrapUp(tx, task.tenantId, task.userId, session.wrapUp.until);
          u.after(() => u.rt.availability.forget(task.tenantId));
          wrapUp = { until: new Date(session.wrapUp.until).toISOString() };
        }
        if (task.userId) touched.set(task.userId, undefined);
        customerVisible = true;
        needsDistribution = true;
        break;
      case 'created':
        customerVisible = true;
        break;
    }
  }
  if (needsDistribution) u.distribute(task.tenantId);

  const known = conv?.id === task.conversationId ? conv : undefined;
  if (touched.size) {
    const lastSeq = known ? known.lastSeq : await conversationLastSeq(tx, task.conversationId);
    const firstMessage =
      known?.firstCustomerText !== undefined
        ? (known.firstCustomerText ?? undefined)
        : await firstCustomerMessage(tx, task.tenantId, task.conversationId);
    for (const [userId, offerClosed] of touched) {
      const view = toAgentSession(u.rt.tenants, task, workflow, userId, {
        firstMessage,
        lastSeq,
        offerClosed,
        ...(wrapUp && userId === task.userId ? { wrapUp } : {}),
        ...(session ? { ended: { by: session.endedBy, transferredTo: session.transferredTo } } : {}),
      });
      u.emit(serverEvents.session(task.tenantId, userId, view));
    }
  }
  if (customerVisible) await emitCustomerState(u, task, known);
}

/** Accepts kept per service for the estimated wait (the last hour is what counts). */
const ACCEPT_HISTORY = 50;

async function recordAccept(u: Uow, tenantId: string, serviceId: string, at: number): Promise<void> {
  const history = [...(await lockWaitHistory(u.tx, tenantId, serviceId)), at].slice(-ACCEPT_HISTORY);
  await saveWaitHistory(u.tx, tenantId, serviceId, history);
}

/** Sends the customer the state of the conversation's current task (with queue position when queued). */
export async function emitCustomerState(u: Uow, task: Task, known?: Pick<Conversation, 'open' | 'currentTaskId'>): Promise<void> {
  const conv = known ?? (await conversationOpenAndCurrent(u.tx, task.conversationId));
  if (!conv || conv.currentTaskId !== task.id) return;
  const state = customerState(task, conv.open);
  const agent = state === 'connected' && task.userId ? u.rt.tenants.user(task.tenantId, task.userId) : undefined;
  u.emit(serverEvents.customerState(task.tenantId, task.conversationId, { state, ...(agent ? { agentName: agent.displayName } : {}) }));
}

/** Folds the events into the task's reporting session (with the wrap-up its end starts) and saves it. */
async function foldReporting(u: Uow, task: Task, events: TaskEvent[]): Promise<ReportingSession | undefined> {
  const { tx } = u;
  // A task created in these events has no session yet.
  const before = events.some((e) => e.type === 'created') ? undefined : await reportingSessionOf(tx, task.tenantId, task.id);
  let session = before;
  for (const e of events) {
    session = reduceSession(session, e, { tenantId: task.tenantId });
    if (e.type === 'ended' && session && !session.wrapUp) {
      const until = wrapUpUntilFor(u.rt, task, e.at);
      if (until !== undefined) session = { ...session, wrapUp: { until } };
    }
  }
  if (!session) return undefined;
  await saveReportingSession(tx, task, session, before, serviceLevelMs(u.rt.tenants.service(task.tenantId, task.serviceId)));
  return session;
}

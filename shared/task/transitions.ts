/**
 * The task state machine. Every transition is a pure function: the task and what happened in,
 * the next task and the events it emits out. A transition that is not allowed from the task's
 * state throws IllegalTransitionError, so a handler can never move a task sideways.
 *
 *   workflow ──enqueue──▶ queued ──offer──▶ offered ──accept──▶ connected
 *      ▲                   ▲  │               │ decline / expire (last open offer) ▲
 *      └─returnToWorkflow──┴──┴───────────────┘                 └── back to queued
 *   any state but ended ──endTask──▶ ended
 */
import type { Customer, EndedBy, Outcome, Task, TaskEvent, TaskStateKind, Transition } from './types';
import type { ChannelKind, Priority } from '../tenant/model';

export type TransitionName = 'enqueue' | 'setPriority' | 'offer' | 'accept' | 'decline' | 'expireOffer' | 'returnToWorkflow' | 'endTask';

/** Which states each transition may start from (the table the tests walk). */
export const ALLOWED_FROM: Record<TransitionName, readonly TaskStateKind[]> = {
  enqueue: ['workflow'],
  setPriority: ['workflow', 'queued', 'offered'],
  offer: ['queued'],
  accept: ['offered'],
  decline: ['offered'],
  expireOffer: ['offered'],
  returnToWorkflow: ['queued', 'offered'],
  endTask: ['workflow', 'queued', 'offered', 'connected'],
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly transition: TransitionName,
    readonly from: TaskStateKind,
    readonly taskId: string,
    detail?: string,
  ) {
    super(`task ${taskId}: cannot ${transition} from state "${from}"${detail ? ` (${detail})` : ''}`);
    this.name = 'IllegalTransitionError';
  }
}

function guard(task: Task, t: TransitionName): void {
  if (!ALLOWED_FROM[t].includes(task.state)) throw new IllegalTransitionError(t, task.state, task.id);
}

export interface NewTask {
  id: string;
  tenantId: string;
  conversationId: string;
  serviceId: string;
  channel: ChannelKind;
  customer: Customer;
  priority: Priority;
  directUserId?: string;
  /** Task id this one continues after a transfer. */
  transferredFrom?: string;
}

/** A new task starts in its service's workflow. */
export function createTask(input: NewTask, now: number): Transition {
  const task: Task = {
    id: input.id,
    tenantId: input.tenantId,
    conversationId: input.conversationId,
    serviceId: input.serviceId,
    channel: input.channel,
    customer: input.customer,
    priority: input.priority,
    state: 'workflow',
    createdAt: now,
    offers: [],
    skippedUserIds: [],
    offerCount: 0,
    ...(input.directUserId !== undefined ? { directUserId: input.directUserId } : {}),
  };
  const created: TaskEvent = {
    type: 'created',
    taskId: task.id,
    at: now,
    serviceId: task.serviceId,
    channel: task.channel,
    conversationId: task.conversationId,
    ...(input.directUserId !== undefined ? { directUserId: input.directUserId } : {}),
    ...(input.transferredFrom !== undefined ? { transferredFrom: input.transferredFrom } : {}),
  };
  return { task, events: [created] };
}

/** The workflow puts the task in the queue; the queue timeout counts from now. */
export function enqueue(task: Task, opts: { priority?: Priority; maxQueueTimeSec?: number }, now: number): Transition {
  guard(task, 'enqueue');
  const priority = opts.priority ?? task.priority;
  const next: Task = { ...task, state: 'queued', priority, queuedAt: now, offers: [] };
  if (opts.maxQueueTimeSec !== undefined) next.queueDeadline = now + opts.maxQueueTimeSec * 1000;
  else delete next.queueDeadline;
  delete next.queueTimedOut;
  return { task: next, events: [{ type: 'queued', taskId: task.id, at: now, priority, requeue: false }] };
}

/** Distribution Priority: changes the task's place without changing its time in queue. */
export function setPriority(task: Task, priority: Priority, now: number): Transition {
  guard(task, 'setPriority');
  if (priority === task.priority) return { task, events: [] };
  return { task: { ...task, priority }, events: [{ type: 'priorityChanged', taskId: task.id, at: now, priority }] };
}

/** Offers a queued task to one user (Direct, Round robin, ...) or several at once (Broadcast). */
export function offer(task: Task, userIds: readonly string[], timeoutMs: number, now: number): Transition {
  guard(task, 'offer');
  if (userIds.length === 0) throw new IllegalTransitionError('offer', task.state, task.id, 'no user to offer to');
  if (new Set(userIds).size !== userIds.length) throw new IllegalTransitionError('offer', task.state, task.id, 'a user is offered twice');
  const expiresAt = now + timeoutMs;
  return {
    task: {
      ...task,
      state: 'offered',
      offers: userIds.map((userId) => ({ userId, offeredAt: now, expiresAt })),
      offerCount: task.offerCount + userIds.length,
    },
    events: [{ type: 'offered', taskId: task.id, at: now, userIds: [...userIds], expiresAt }],
  };
}

/** The first user to accept wins; every other open offer is withdrawn. */
export function accept(task: Task, userId: string, now: number): Transition {
  guard(task, 'accept');
  if (!task.offers.some((o) => o.userId === userId)) {
    throw new IllegalTransitionError('accept', task.state, task.id, `no open offer to ${userId}`);
  }
  const withdrawn: TaskEvent[] = task.offers
    .filter((o) => o.userId !== userId)
    .map((o) => ({ type: 'offerWithdrawn', taskId: task.id, at: now, userId: o.userId, reason: 'acceptedByOther' }));
  return {
    task: { ...task, state: 'connected', offers: [], userId, acceptedAt: now },
    events: [...withdrawn, { type: 'accepted', taskId: task.id, at: now, userId }],
  };
}

function closeOffer(task: Task, userId: string, now: number, kind: 'decline' | 'expireOffer'): Transition {
  guard(task, kind);
  if (!task.offers.some((o) => o.userId === userId)) {
    throw new IllegalTransitionError(kind, task.state, task.id, `no open offer to ${userId}`);
  }
  const offers = task.offers.filter((o) => o.userId !== userId);
  const skippedUserIds = task.skippedUserIds.includes(userId) ? task.skippedUserIds : [...task.skippedUserIds, userId];
  const events: TaskEvent[] = [
    kind === 'decline'
      ? { type: 'offerDeclined', taskId: task.id, at: now, userId }
      : { type: 'offerMissed', taskId: task.id, at: now, userId },
  ];
  const declineCount = (task.declineCount ?? 0) + (kind === 'decline' ? 1 : 0);
  // The last open offer closing puts the task back in its place: queuedAt is kept.
  const state: TaskStateKind = offers.length > 0 ? 'offered' : 'queued';
  if (state === 'queued') events.push({ type: 'queued', taskId: task.id, at: now, priority: task.priority, requeue: true });
  return { task: { ...task, state, offers, skippedUserIds, declineCount }, events };
}

/** The user declined the offer: they are skipped for this task while someone else can take it. */
export function decline(task: Task, userId: string, now: number): Transition {
  return closeOffer(task, userId, now, 'decline');
}

/** The offer timed out (redirection on no answer): the user is skipped for this task. */
export function expireOffer(task: Task, userId: string, now: number): Transition {
  return closeOffer(task, userId, now, 'expireOffer');
}

export type ReturnReason = 'queueTimeout' | 'nobodyEligible' | 'cancelled' | 'conversationEnded';

/** The task leaves the queue and its workflow continues (queue timeout, nobody eligible, Cancel Task). */
export function returnToWorkflow(task: Task, reason: ReturnReason, now: number): Transition {
  guard(task, 'returnToWorkflow');
  const events: TaskEvent[] = task.offers.map((o) => ({
    type: 'offerWithdrawn',
    taskId: task.id,
    at: now,
    userId: o.userId,
    reason: 'cancelled',
  }));
  events.push({ type: 'returnedToWorkflow', taskId: task.id, at: now, reason });
  const next: Task = { ...task, state: 'workflow', offers: [] };
  delete next.queueDeadline;
  if (reason === 'queueTimeout') next.queueTimedOut = true;
  return { task: next, events };
}

/**
 * The outcome a task ends with when the caller does not name one: handled once an agent took it,
 * else timed out (left the queue through its maximum time), declined (someone declined it), or
 * missed (nobody accepted).
 */
export function derivedOutcome(task: Task): Outcome {
  if (task.acceptedAt !== undefined) return 'handled';
  if (task.queueTimedOut) return 'timedOut';
  if ((task.declineCount ?? 0) > 0) return 'declined';
  return 'missed';
}

/** Ends the task from any live state; open offers are withdrawn. */
export function endTask(task: Task, outcome: Outcome | undefined, by: EndedBy, now: number, transferredTo?: string): Transition {
  guard(task, 'endTask');
  const final = outcome ?? derivedOutcome(task);
  const events: TaskEvent[] = task.offers.map((o) => ({
    type: 'offerWithdrawn',
    taskId: task.id,
    at: now,
    userId: o.userId,
    reason: 'taskEnded',
  }));
  events.push({ type: 'ended', taskId: task.id, at: now, outcome: final, by, ...(transferredTo !== undefined ? { transferredTo } : {}) });
  return { task: { ...task, state: 'ended', offers: [], endedAt: now, outcome: final }, events };
}

/** Open offer of a user on a task, if any. */
export function offerOf(task: Task, userId: string): Task['offers'][number] | undefined {
  return task.offers.find((o) => o.userId === userId);
}

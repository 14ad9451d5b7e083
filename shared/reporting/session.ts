/**
 * The reporting session: one per task (a direct chat to a user gets one too), folded from the
 * task's events by a pure reducer, so it can be rebuilt from the event history at any time.
 */
import type { Outcome, TaskEvent } from '../task/types';
import type { ChannelKind } from '../tenant/model';

export interface ReportingSession {
  taskId: string;
  tenantId: string;
  conversationId: string;
  serviceId: string;
  channel: ChannelKind;
  /** The customer addressed one user directly (Interact user code). */
  direct: boolean;
  /** The user who accepted. */
  userId?: string;
  /** Every user the task was offered to, in order, without repeats. */
  offeredUserIds: string[];
  createdAt: number;
  /** First time the task entered the queue. */
  queuedAt?: number;
  firstOfferedAt?: number;
  acceptedAt?: number;
  endedAt?: number;
  /** Time in queue until accepted (or until it left the queue / ended). */
  queueMs?: number;
  /** Time connected to an agent. */
  handlingMs?: number;
  offers: number;
  declines: number;
  misses: number;
  outcome?: Outcome;
  endedBy?: string;
  transferredFrom?: string;
  transferredTo?: string;
  /** After-chat work of the agent who handled it (services with a wrap-up): until when, and what they filed. */
  wrapUp?: SessionWrapUp;
  /** The customer's rating of the chat (services that ask for it). */
  csat?: SessionCsat;
  /** A supervisor took the chat over from this session's agent (the user id of the supervisor). */
  takenOverBy?: string;
  /** A supervisor assigned this session's chat to its agent, or ended it (their user id). */
  supervisorId?: string;
}

/** A customer's rating: 1 (poor) to 5 (excellent), an optional comment, when given. */
export interface SessionCsat {
  rating: 1 | 2 | 3 | 4 | 5;
  comment?: string;
  at: number;
}

/** The wrap-up of a session: the time the agent had (`until`), and the outcome and note they filed. */
export interface SessionWrapUp {
  until: number;
  /** `handled`, `notHandled` or one of the service's reasons. */
  outcome?: string;
  note?: string;
  filedAt?: number;
}

export interface ReduceContext {
  tenantId: string;
}

/** Applies one task event. The first event of a session must be `created`; others before it are ignored. */
export function reduceSession(session: ReportingSession | undefined, e: TaskEvent, ctx: ReduceContext): ReportingSession | undefined {
  if (e.type === 'created') {
    return {
      taskId: e.taskId,
      tenantId: ctx.tenantId,
      conversationId: e.conversationId,
      serviceId: e.serviceId,
      channel: e.channel,
      direct: e.directUserId !== undefined,
      offeredUserIds: [],
      createdAt: e.at,
      offers: 0,
      declines: 0,
      misses: 0,
      ...(e.transferredFrom !== undefined ? { transferredFrom: e.transferredFrom } : {}),
    };
  }
  if (!session || session.taskId !== e.taskId) return session;
  const s: ReportingSession = { ...session };
  switch (e.type) {
    case 'queued':
      if (s.queuedAt === undefined) s.queuedAt = e.at;
      break;
    case 'priorityChanged':
      break;
    case 'offered':
      s.offers += e.userIds.length;
      if (s.firstOfferedAt === undefined) s.firstOfferedAt = e.at;
      s.offeredUserIds = [...s.offeredUserIds, ...e.userIds.filter((u) => !s.offeredUserIds.includes(u))];
      break;
    case 'offerDeclined':
      s.declines += 1;
      break;
    case 'offerMissed':
      s.misses += 1;
      break;
    case 'offerWithdrawn':
      break;
    case 'accepted':
      s.userId = e.userId;
      s.acceptedAt = e.at;
      if (s.queuedAt !== undefined) s.queueMs = e.at - s.queuedAt;
      break;
    case 'returnedToWorkflow':
      if (s.queuedAt !== undefined && s.queueMs === undefined) s.queueMs = e.at - s.queuedAt;
      break;
    case 'ended':
      s.endedAt = e.at;
      s.outcome = e.outcome;
      s.endedBy = e.by;
      if (e.transferredTo !== undefined) s.transferredTo = e.transferredTo;
      if (s.acceptedAt !== undefined) s.handlingMs = e.at - s.acceptedAt;
      else if (s.queuedAt !== undefined && s.queueMs === undefined) s.queueMs = e.at - s.queuedAt;
      break;
  }
  return s;
}

/** Folds a whole event history (events of other tasks are ignored). */
export function sessionFromEvents(events: readonly TaskEvent[], ctx: ReduceContext): ReportingSession | undefined {
  let s: ReportingSession | undefined;
  for (const e of events) s = reduceSession(s, e, ctx);
  return s;
}

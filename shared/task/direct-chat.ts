/**
 * Direct chats: a customer reaching one user through that user's own Interact code. There is no
 * service workflow and nobody else to offer the chat to, so the rules differ from a service's:
 * the chat waits for its user for a bounded time, a decline ends it, and a user who cannot be
 * reached at all (off duty, offline) is not waited for. Each end tells the customer why and
 * gives the reporting session an outcome.
 */
import type { Eligibility } from '../distribution/eligibility';
import { DEFAULT_DIRECT_CHAT_WAIT_SEC, type TenantConfig } from '../tenant/model';
import { endTask } from './transitions';
import type { Outcome, Task, Transition } from './types';

/** Why a direct chat ends without its user. */
export type DirectChatEnd = 'unavailable' | 'timedOut' | 'declined';

/** The reporting outcome of each end: `missed` when the user was never reachable. */
export const DIRECT_CHAT_OUTCOMES = {
  unavailable: 'missed',
  timedOut: 'timedOut',
  declined: 'declined',
} as const satisfies Record<DirectChatEnd, Outcome>;

/** Seconds a direct chat waits for its user (the tenant's `directChatWaitSec`). */
export function directChatWaitSec(tenant: Pick<TenantConfig, 'directChatWaitSec'>): number {
  return tenant.directChatWaitSec ?? DEFAULT_DIRECT_CHAT_WAIT_SEC;
}

/**
 * Whether a new direct chat may wait for its user. Off duty, offline or without the IM license
 * the user will not answer within a wait: the customer is told at once. Busy, Away, a call, RONA
 * or a full capacity pass, so the chat waits (bounded by `directChatWaitSec`).
 */
export function directChatStart(reach: Eligibility): 'wait' | 'unavailable' {
  if (reach.allowed) return 'wait';
  switch (reach.reason) {
    case 'offline':
    case 'doNotDisturb':
    case 'offDuty':
    case 'noImLicense':
    case 'notMember':
    case 'notActive':
      return 'unavailable';
    case 'busy':
    case 'away':
    case 'beRightBack':
    case 'inBlockingCall':
    case 'inRona':
    case 'inWrapUp':
    case 'atCapacity':
      return 'wait';
  }
}

/** A declined direct chat has nobody else to go to: it ends at once instead of being offered again. */
export function endsOnDecline(task: Task): boolean {
  return (
    task.directUserId !== undefined &&
    task.state === 'queued' &&
    task.skippedUserIds.includes(task.directUserId) &&
    (task.declineCount ?? 0) > 0
  );
}

/** What the customer reads when the chat ends without its user. */
export function directChatEndText(reason: DirectChatEnd, userName: string): string {
  switch (reason) {
    case 'unavailable':
      return `${userName} is not available right now. Please try again later.`;
    case 'timedOut':
      return `${userName} could not take your chat. Please try again later.`;
    case 'declined':
      return `${userName} cannot take your chat right now. Please try again later.`;
  }
}

/** Ends a direct chat that its user did not take, with the end's outcome. */
export function endDirectChat(task: Task, reason: DirectChatEnd, now: number): Transition {
  return endTask(task, DIRECT_CHAT_OUTCOMES[reason], reason === 'declined' ? 'agent' : 'system', now);
}

/**
 * The Live view's rules, kept pure: what "service level now" means on the queue board, who may
 * be handed a chat, the next priority up, and the words for agent states.
 */
import type { SupervisorAgent, SupervisorAgentState, SupervisorQueueTask } from '@stratus/shared/contract/supervisor';
import { DEFAULT_SERVICE_LEVEL_SEC, PRIORITIES, type Priority } from '@stratus/shared/tenant/model';

/** Seconds a task has waited by `now`, counting on from when the board was received. */
export const waitedSec = (t: SupervisorQueueTask, receivedAt: number, now: number) => t.waitingSec + Math.max(0, (now - receivedAt) / 1000);

/**
 * Service level now: of the chats waiting, the share that have waited less than their service's
 * threshold (`serviceLevelSec`, 20 s unless the service says otherwise). Null when nobody waits.
 */
export function serviceLevelNow(
  tasks: readonly SupervisorQueueTask[],
  thresholds: ReadonlyMap<string, number>,
  receivedAt: number,
  now: number,
): { pct: number; within: number; waiting: number } | null {
  if (tasks.length === 0) return null;
  const within = tasks.filter((t) => waitedSec(t, receivedAt, now) < (thresholds.get(t.serviceId) ?? DEFAULT_SERVICE_LEVEL_SEC)).length;
  return { pct: Math.round((within / tasks.length) * 100), within, waiting: tasks.length };
}

/** The agents a connected chat of `serviceId` can be handed to now: on duty, Active there, available, with room. */
export function eligibleAgents(agents: readonly SupervisorAgent[], serviceId: string, currentUserId?: string): SupervisorAgent[] {
  return agents.filter(
    (a) =>
      a.userId !== currentUserId &&
      a.onDuty &&
      a.services.some((s) => s.id === serviceId && s.active) &&
      (a.state === 'available' || a.state === 'busy') &&
      a.sessions < a.capacity,
  );
}

/** The next priority up, or undefined at the top. */
export function higherPriority(p: Priority): Priority | undefined {
  return PRIORITIES[PRIORITIES.indexOf(p) + 1];
}

export const PRIORITY_LABEL: Record<Priority, string> = { low: 'Low', normal: 'Normal', high: 'High', strict: 'Urgent' };

export const STATE_LABEL: Record<SupervisorAgentState, string> = {
  available: 'Available',
  busy: 'Busy',
  full: 'Full',
  rona: 'Missed an offer',
  wrapUp: 'Wrap-up',
  unavailable: 'Unavailable',
  offDuty: 'Off duty',
};

/** Badge colours by state: green takes chats, yellow is working, red needs a look, grey is away. */
export const STATE_COLOR: Record<SupervisorAgentState, 'success' | 'warning' | 'danger' | 'informative' | 'subtle'> = {
  available: 'success',
  busy: 'informative',
  full: 'warning',
  rona: 'danger',
  wrapUp: 'warning',
  unavailable: 'subtle',
  offDuty: 'subtle',
};

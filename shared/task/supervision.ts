/**
 * Supervisor transitions: a chat handed straight to a user (a supervisor taking it over, or the
 * agent a supervisor assigns it to) without queue or offer, and the end of the task it left.
 * Pure, like transitions.ts; the reporting reducer folds their events as any other.
 */
import { endTask } from './transitions';
import type { SupervisorAction, Task, Transition } from './types';

/** A task just created (state `workflow`) goes straight to `userId`: connected, accepted now, never queued. */
export function assignTo(task: Task, userId: string, now: number): Transition {
  if (task.state !== 'workflow') throw new Error(`assignTo: task ${task.id} is ${task.state}, not new`);
  return {
    task: { ...task, state: 'connected', userId, acceptedAt: now, offers: [] },
    events: [{ type: 'accepted', taskId: task.id, at: now, userId }],
  };
}

/**
 * A supervisor's action ends the connected task: `end` as handled, `takeover` and `reassign` as
 * transferred (the chat goes on in the next task). The task remembers who did it.
 */
export function endBySupervisor(task: Task, supervisorId: string, action: SupervisorAction, now: number): Transition {
  const r = endTask(task, action === 'end' ? 'handled' : 'transferred', 'supervisor', now, action === 'end' ? undefined : task.serviceId);
  return { task: { ...r.task, supervisor: { userId: supervisorId, action } }, events: r.events };
}

/**
 * A task's span of its conversation. A conversation outlives its tasks (a transfer starts a new
 * task in it); each task's agents read the conversation from its start (the history they were
 * handed) up to the point where it moved on to the next task, and nothing after.
 */
import type { Task } from './types';

/** Closes the task's span at the conversation's last seq (idempotent: the first close holds). */
export function closeSpan(task: Task, lastSeq: number): Task {
  return task.endSeq !== undefined ? task : { ...task, endSeq: lastSeq };
}

/** Whether the message with this seq is within the task's span. */
export function inSpan(task: Pick<Task, 'endSeq'>, seq: number): boolean {
  return task.endSeq === undefined || seq <= task.endSeq;
}

/** The conversation's last seq as the task's agents may see it (capped at the span's end). */
export function spanLastSeq(task: Pick<Task, 'endSeq'>, lastSeq: number): number {
  return task.endSeq === undefined ? lastSeq : Math.min(lastSeq, task.endSeq);
}

/** Queue positions of waiting tasks, and an estimated wait once enough history exists. */
import type { Task } from '../task/types';
import { compareTasks, type QueueEntry } from './order';

/** 1-based position of every queued or offered task within its service. */
export function queuePositions(tasks: readonly (QueueEntry & Pick<Task, 'serviceId' | 'state'>)[]): Map<string, number> {
  const byService = new Map<string, (QueueEntry & Pick<Task, 'serviceId' | 'state'>)[]>();
  for (const t of tasks) {
    if (t.state !== 'queued' && t.state !== 'offered') continue;
    const list = byService.get(t.serviceId);
    if (list) list.push(t);
    else byService.set(t.serviceId, [t]);
  }
  const out = new Map<string, number>();
  for (const list of byService.values()) {
    list.sort(compareTasks);
    list.forEach((t, i) => out.set(t.id, i + 1));
  }
  return out;
}

/** Fewest recent accepts before a wait is estimated. */
export const MIN_ACCEPTS_FOR_ESTIMATE = 5;

/**
 * Estimated wait in seconds for a task at `position`, from the times tasks of the service were
 * accepted in the last hour: position / accept rate. Undefined until there is enough history.
 */
export function estimateWaitSec(position: number, acceptTimes: readonly number[], now: number): number | undefined {
  const recent = acceptTimes.filter((t) => t <= now && now - t <= 3_600_000).sort((a, b) => a - b);
  if (recent.length < MIN_ACCEPTS_FOR_ESTIMATE) return undefined;
  const first = recent[0] as number;
  const spanMs = Math.max(now - first, 1);
  const perSec = recent.length / (spanMs / 1000);
  return Math.max(1, Math.round(position / perSec));
}

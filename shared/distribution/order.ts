/** Queue order: priority (Strict always first, then High, Normal, Low), then time queued. */
import type { Task } from '../task/types';
import type { Priority } from '../tenant/model';

export const PRIORITY_RANK: Record<Priority, number> = { strict: 3, high: 2, normal: 1, low: 0 };

/** Negative when `a` is served before `b`. */
export function compareTasks(a: Task, b: Task): number {
  const p = PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority];
  if (p !== 0) return p;
  const qa = a.queuedAt ?? a.createdAt;
  const qb = b.queuedAt ?? b.createdAt;
  if (qa !== qb) return qa - qb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

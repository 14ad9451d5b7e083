/** Queue order: priority (Strict always first, then High, Normal, Low), then time queued. */
import type { Task } from '../task/types';
import type { Priority } from '../tenant/model';

export const PRIORITY_RANK: Record<Priority, number> = { strict: 3, high: 2, normal: 1, low: 0 };

/** What the queue order reads of a task (a distribution pass reads no more of the chats already offered). */
export type QueueEntry = Pick<Task, 'id' | 'priority' | 'queuedAt' | 'createdAt'>;

/** Negative when `a` is served before `b`. */
export function compareTasks(a: QueueEntry, b: QueueEntry): number {
  const p = PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority];
  if (p !== 0) return p;
  const qa = a.queuedAt ?? a.createdAt;
  const qb = b.queuedAt ?? b.createdAt;
  if (qa !== qb) return qa - qb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The order in which a distribution pass serves a tenant's queues: the queue whose next task
 * would be served first (by `compareTasks`) goes first, so that an agent who belongs to several
 * services is offered the High chat of one before the Normal chats queued earlier in another.
 */
export function serviceOrder(queues: ReadonlyMap<string, readonly (QueueEntry & Pick<Task, 'state'>)[]>): string[] {
  const head = new Map<string, QueueEntry>();
  for (const [serviceId, tasks] of queues) {
    const waiting = tasks.filter((t) => t.state === 'queued');
    const first = [...(waiting.length ? waiting : tasks)].sort(compareTasks)[0];
    if (first) head.set(serviceId, first);
  }
  return [...head.keys()].sort((a, b) => compareTasks(head.get(a)!, head.get(b)!));
}

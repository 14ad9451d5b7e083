/**
 * A service's waiting tasks as a binary heap in queue order (priority, then time queued), so
 * picking the next task costs O(log n) however long the queue is.
 */
import type { Task } from '../task/types';
import { compareTasks } from './order';

export class TaskQueue {
  private readonly heap: Task[] = [];

  constructor(tasks: Iterable<Task> = []) {
    for (const t of tasks) this.heap.push(t);
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  get size(): number {
    return this.heap.length;
  }

  push(task: Task): void {
    this.heap.push(task);
    this.up(this.heap.length - 1);
  }

  peek(): Task | undefined {
    return this.heap[0];
  }

  /** Removes and returns the task served next. */
  pop(): Task | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (top !== undefined && last !== undefined && this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const h = this.heap;
    const item = h[i] as Task;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p] as Task;
      if (compareTasks(item, parent) >= 0) break;
      h[i] = parent;
      i = p;
    }
    h[i] = item;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const item = h[i] as Task;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && compareTasks(h[c + 1] as Task, h[c] as Task) < 0) c += 1;
      const child = h[c] as Task;
      if (compareTasks(child, item) >= 0) break;
      h[i] = child;
      i = c;
    }
    h[i] = item;
  }
}

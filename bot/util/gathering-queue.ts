/**
 * The queue behind the app's group commits (runtime/uow.ts, Batcher; store/append-lane.ts, AppendLane):
 * what arrives while a batch runs waits, and then runs as the next batch, up to `max` at a time, in
 * order of arrival. With `gather`, the first item that finds the queue idle waits one turn of the
 * event loop (setImmediate) before its batch starts, so the requests read in that turn join it:
 * with a database in the server's thread (PGlite, no I/O, only promises) a batch would otherwise
 * never form, because nothing arrives while a batch runs.
 *
 * The caller's `run` answers every item of its batch. Should it throw instead, the items it left
 * unanswered fail with its error, and the queue goes on with the next batch: no item waits forever.
 */
export interface Gathered<I, O> {
  readonly item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export class GatheringQueue<I, O> {
  private readonly queue: Gathered<I, O>[] = [];
  private running = false;
  private scheduled = false;

  constructor(
    private readonly run: (batch: Gathered<I, O>[]) => Promise<void>,
    private readonly opts: { max: number; gather: boolean },
  ) {}

  push(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.running || this.scheduled) return;
      if (!this.opts.gather) return void this.drain();
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.drain();
      });
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.opts.max);
        // A promise settles once: rejecting an item `run` already answered changes nothing.
        await this.run(batch).catch((e: unknown) => batch.forEach((g) => g.reject(e)));
      }
    } finally {
      this.running = false;
    }
  }
}

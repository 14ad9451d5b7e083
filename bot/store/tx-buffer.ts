/**
 * Rows a transaction queues to write together just before it commits (jobs, reporting sessions, a
 * distribution pass's offers), by key: the last row queued for a key wins, as the upsert it stands
 * for would. Only transactions that opted in (`start`) queue; the others write at once.
 */
export class TxBuffer<R> {
  private readonly byTx = new WeakMap<object, Map<string, R>>();

  /** From now on `tx` queues its rows here. */
  start(tx: object): void {
    this.byTx.set(tx, new Map());
  }

  /** The rows `tx` queued and has not written, by key; undefined when it does not queue. */
  of(tx: object): Map<string, R> | undefined {
    return this.byTx.get(tx);
  }

  /** What `tx` queued, in key order (the order their rows are locked in), leaving its queue empty. */
  take(tx: object): R[] {
    const pending = this.byTx.get(tx);
    if (!pending || pending.size === 0) return [];
    const rows = [...pending].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
    pending.clear();
    return rows;
  }
}

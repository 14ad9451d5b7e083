/**
 * A unit of work: one database transaction that collects the events it emits and what to do
 * after commit. Events are appended to the outbox just before commit, in the same transaction,
 * and nothing is acknowledged to a caller before the commit returns.
 */
import { AppError, unavailable } from '../http/errors';
import { appendEvents, type OutEvent } from '../events/outbox';
import type { Tx } from '../store/db';
import { errorMessage } from '../util/log';
import type { Runtime } from './runtime';

export interface Uow {
  tx: Tx;
  now: number;
  rt: Runtime;
  emit(e: OutEvent): void;
  /** Runs after a successful commit (distribution kicks, wake-ups). */
  after(fn: () => void): void;
  distribute(tenantId: string): void;
  wake(): void;
}

/** Runs `fn` in a transaction; maps storage failures to 503 so no unsaved work is acknowledged. */
export async function inTx<T>(rt: Runtime, fn: (u: Uow) => Promise<T>): Promise<T> {
  const events: OutEvent[] = [];
  const afters: (() => void)[] = [];
  const tenantsToDistribute = new Set<string>();
  let wake = false;
  let result: T;
  try {
    result = await rt.store.db.transaction(async (tx) => {
      events.length = 0;
      afters.length = 0;
      const u: Uow = {
        tx,
        now: rt.clock.now(),
        rt,
        emit: (e) => events.push(e),
        after: (f) => afters.push(f),
        distribute: (t) => tenantsToDistribute.add(t),
        wake: () => {
          wake = true;
        },
      };
      const r = await fn(u);
      if (rt.onEvents && events.length) await rt.onEvents(u, events);
      await appendEvents(tx, events, u.now, rt.store.kind === 'pglite');
      return r;
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (!(await rt.store.ping())) {
      rt.log.warn('storage not answering', { error: errorMessage(e) });
      throw unavailable();
    }
    throw e;
  }
  if (events.length) rt.bus.published();
  for (const t of tenantsToDistribute) rt.requestDistribution(t);
  if (wake) rt.wakeScheduler();
  for (const f of afters) {
    try {
      f();
    } catch (e) {
      rt.log.error('after-commit action failed', { error: errorMessage(e) });
    }
  }
  return result;
}

type Pending = { fn: (u: Uow) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };

/**
 * Group commit for small, frequent writes (chat messages): while one transaction runs, the
 * next writes queue up and then commit together in one transaction, with one outbox append and
 * one wake-up. Each write still answers only after its commit. A write that fails with an
 * AppError (a check that runs before it writes: chat ended, not yours) fails alone; any other
 * error rolls the batch back and every write is retried in its own transaction.
 */
class Batcher {
  private readonly queue: Pending[] = [];
  private running = false;

  constructor(private readonly rt: Runtime, private readonly max = 100) {}

  run<T>(fn: (u: Uow) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) await this.runBatch(this.queue.splice(0, this.max));
    } finally {
      this.running = false;
    }
  }

  private async runBatch(items: Pending[]): Promise<void> {
    if (items.length === 1) {
      const it = items[0]!;
      await inTx(this.rt, it.fn).then(it.resolve, it.reject);
      return;
    }
    let outcomes: ({ ok: true; v: unknown } | { ok: false; e: unknown })[] = [];
    try {
      await inTx(this.rt, async (u) => {
        outcomes = [];
        for (const it of items) {
          try {
            outcomes.push({ ok: true, v: await it.fn(u) });
          } catch (e) {
            if (!(e instanceof AppError)) throw e;
            outcomes.push({ ok: false, e });
          }
        }
      });
    } catch {
      for (const it of items) await inTx(this.rt, it.fn).then(it.resolve, it.reject);
      return;
    }
    items.forEach((it, i) => {
      const o = outcomes[i]!;
      if (o.ok) it.resolve(o.v);
      else it.reject(o.e);
    });
  }
}

const batchers = new WeakMap<Runtime, Batcher>();

/** Runs `fn` in a shared transaction with other writes queued at the same time (see Batcher). */
export function inBatch<T>(rt: Runtime, fn: (u: Uow) => Promise<T>): Promise<T> {
  let b = batchers.get(rt);
  if (!b) {
    b = new Batcher(rt);
    batchers.set(rt, b);
  }
  return b.run(fn);
}

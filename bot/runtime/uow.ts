/**
 * A unit of work: one database transaction that collects the events it emits and what to do
 * after commit. Events are appended to the outbox just before commit, in the same transaction,
 * and nothing is acknowledged to a caller before the commit returns.
 */
import { AppError, unavailable } from '../errors';
import { deferJobs, flushJobs } from '../store/jobs';
import { appendEvents } from '../store/outbox';
import { deferSessions, flushSessions } from '../store/reporting';
import type { Made, ServerEvent, Stored } from '@stratus/shared/contract/events';
import type { Tx } from '../store/db';
import { GatheringQueue, type Gathered } from '../util/gathering-queue';
import { errorMessage } from '../util/log';
import type { Runtime } from './runtime';

export interface Uow {
  tx: Tx;
  now: number;
  rt: Runtime;
  /** Adds an event (made by `events` in shared/contract/events.ts) to the outbox, in this transaction. */
  emit(e: Made): void;
  /** Runs after a successful commit (distribution kicks, wake-ups). */
  after(fn: () => void): void;
  distribute(tenantId: string): void;
  wake(): void;
}

/** SQLSTATEs after which the whole transaction may simply run again: serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(['40001', '40P01']);
/** Attempts of one transaction before a conflict is answered 503 (the caller may try again). */
const MAX_ATTEMPTS = 5;

/** True for a serialization failure or a deadlock, however the driver wrapped it. */
export function isRetryableConflict(e: unknown): boolean {
  let x: unknown = e;
  for (let i = 0; i < 5 && x && typeof x === 'object'; i++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE.has(code)) return true;
    x = (x as { cause?: unknown }).cause;
  }
  return false;
}

/** Jittered backoff before attempt `n + 1`: 5-10 ms, then 10-20, 20-40, 40-80 ms. */
function backoff(n: number): Promise<void> {
  const cap = 10 * 2 ** (n - 1);
  return new Promise((r) => setTimeout(r, cap / 2 + Math.random() * (cap / 2)));
}

/** A conflict that outlived its retries: nothing was saved, and the caller may try again. */
const busy = () => new AppError(503, 'busy', 'Too many changes to this chat at once: nothing was saved, try again.', undefined, 1);

/**
 * Runs `attempt` again after a serialization failure or a deadlock (PostgreSQL rolled it back),
 * up to MAX_ATTEMPTS times with a short jittered backoff; then answers 503, never a 500.
 */
export async function retryConflicts<T>(rt: Runtime, attempt: () => Promise<T>, attempts = MAX_ATTEMPTS): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!isRetryableConflict(e)) throw e;
      if (n >= attempts) {
        if (attempts > 1) rt.log.warn('transaction conflicted on every attempt', { attempts, error: errorMessage(e) });
        throw busy();
      }
      rt.log.debug('transaction conflicted; running it again', { attempt: n, error: errorMessage(e) });
      await backoff(n);
    }
  }
}

/**
 * Runs `fn` in a transaction; maps storage failures to 503 so no unsaved work is acknowledged.
 * A serialization failure or deadlock runs the whole transaction again (retryConflicts), so `fn`
 * must be safe to re-run: what it emits and schedules after commit is collected afresh per attempt.
 * With `attempts: 1` a conflict fails at once (503): the Batcher then runs each write alone.
 */
export async function inTx<T>(rt: Runtime, fn: (u: Uow) => Promise<T>, opts: { attempts?: number } = {}): Promise<T> {
  const events: ServerEvent[] = [];
  let stored: Stored[] = [];
  const afters: (() => void)[] = [];
  const tenantsToDistribute = new Set<string>();
  let wake = false;
  let result: T;
  try {
    result = await retryConflicts(
      rt,
      () =>
        rt.store.db.transaction(async (tx) => {
          events.length = 0;
          stored = [];
          afters.length = 0;
          tenantsToDistribute.clear();
          wake = false;
          deferJobs(tx);
          deferSessions(tx);
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
          await flushSessions(tx);
          await flushJobs(tx);
          stored = await appendEvents(tx, events, u.now, rt.store.kind === 'pglite');
          return r;
        }),
      opts.attempts ?? MAX_ATTEMPTS,
    );
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (!(await rt.store.ping())) {
      rt.log.warn('storage not answering', { error: errorMessage(e) });
      throw unavailable();
    }
    throw e;
  }
  if (stored.length) rt.bus.publishedAll(stored);
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

type Pending = { fn: (u: Uow) => Promise<unknown>; at: number };

/** The group commits of an app: chat messages, and chat starts (uow.ts, Batcher). */
export type BatchLane = 'messages' | 'starts';

/**
 * Group commit for small, frequent writes (chat messages, chat starts): while one transaction
 * runs, the next writes queue up and then commit together in one transaction, with one outbox
 * append, one write of their jobs and one wake-up. Each write still answers only after its commit.
 *
 * With `isolateAppErrors` (messages), a write that fails with an AppError (a check that runs
 * before it writes: chat ended, not yours) fails alone. Without it (starts, whose errors may come
 * after their first rows), any error rolls the batch back. Either way, after a rollback every
 * write runs again in its own transaction, so no write is lost and none commits half.
 */
export class Batcher {
  private readonly queue: GatheringQueue<Pending, unknown>;
  private readonly isolateAppErrors: boolean;
  private readonly arrivalTime: boolean;

  /**
   * `gather`: the first write waits for the event loop's turn (setImmediate) before its batch
   * starts, so requests that arrived meanwhile join it. Without it a batch only forms while a
   * transaction waits on the database, which on PGlite (no I/O, only promises) is never.
   */
  constructor(
    private readonly rt: Runtime,
    opts: { max?: number; isolateAppErrors?: boolean; gather?: boolean; arrivalTime?: boolean } = {},
  ) {
    this.isolateAppErrors = opts.isolateAppErrors ?? true;
    this.arrivalTime = opts.arrivalTime ?? false;
    this.queue = new GatheringQueue((batch) => this.runBatch(batch), { max: opts.max ?? 100, gather: opts.gather ?? false });
  }

  /**
   * The write as it runs, in its batch or alone after one. With `arrivalTime` (starts), its time is
   * when it arrived, not when its batch began, so chats started in one batch keep their order of
   * arrival in the queue (equal times would order them by their random ids). Only for writes that
   * create their rows: a message's time must not fall before one its conversation already stored.
   */
  private fnOf(it: Pending): (u: Uow) => Promise<unknown> {
    return this.arrivalTime ? (u) => it.fn({ ...u, now: Math.min(u.now, it.at) }) : it.fn;
  }

  run<T>(fn: (u: Uow) => Promise<T>): Promise<T> {
    return this.queue.push({ fn, at: this.rt.clock.now() }) as Promise<T>;
  }

  private async alone(g: Gathered<Pending, unknown>): Promise<void> {
    await inTx(this.rt, this.fnOf(g.item)).then(g.resolve, g.reject);
  }

  private async runBatch(batch: Gathered<Pending, unknown>[]): Promise<void> {
    if (batch.length === 1) return this.alone(batch[0]!);
    let outcomes: ({ ok: true; v: unknown } | { ok: false; e: unknown })[] = [];
    try {
      // One attempt: a batch locks several conversations in no set order (LOCK ORDER, locks.ts), so
      // after a deadlock each write runs alone, with its own retries, rather than the batch again.
      await inTx(
        this.rt,
        async (u) => {
          outcomes = [];
          for (const g of batch) {
            try {
              outcomes.push({ ok: true, v: await this.fnOf(g.item)(u) });
            } catch (e) {
              if (!(this.isolateAppErrors && e instanceof AppError)) throw e;
              outcomes.push({ ok: false, e });
            }
          }
        },
        { attempts: 1 },
      );
    } catch {
      for (const g of batch) await this.alone(g);
      return;
    }
    batch.forEach((g, i) => {
      const o = outcomes[i]!;
      if (o.ok) g.resolve(o.v);
      else g.reject(o.e);
    });
  }
}

/** Runs `fn` in a shared transaction with other writes of its lane queued at the same time (see Batcher; one per lane per app, on its Runtime). */
export function inBatch<T>(rt: Runtime, fn: (u: Uow) => Promise<T>, lane: BatchLane = 'messages'): Promise<T> {
  return rt.groupCommit.run(fn, lane);
}

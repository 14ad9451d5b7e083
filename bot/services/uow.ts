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
      await appendEvents(tx, events, u.now);
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

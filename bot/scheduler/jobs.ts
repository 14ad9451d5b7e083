/**
 * Scheduled work as rows with a due time. A job is claimed with FOR UPDATE SKIP LOCKED and a
 * lease (`locked_until`), so it runs on one instance at a time; it is deleted only after its
 * handler succeeds, so a crash mid-handler means the lease lapses and the job runs again.
 * Handlers are therefore idempotent (an offer timeout checks the offer is still open, ...).
 */
import type { Store } from '../store/db';
import { claimDueJobs, failJob, finishJob, retryJobAt, type Job, type JobKind } from '../store/jobs';
import type { Clock } from '@stratus/shared/util/ports';
import type { Logger } from '../util/log';
import { errorMessage } from '../util/log';

// The job rows and their queries live in store/jobs.ts; writers import scheduleJob and cancelJob from here.
export { cancelJob, scheduleJob, type Job, type JobKind } from '../store/jobs';

/** What a handler may answer: nothing (done) or a time to run again. */
export type JobResult = void | { retryAt: number };
export type JobHandler = (job: Job) => Promise<JobResult>;

/** How long a claimed job is this instance's: past it, another run may claim it again. */
export const JOB_LEASE_MS = 30_000;
const BATCH = 32;
/**
 * Kinds that wait on an endpoint a tenant's workflow chose, which may be slow. They run on their
 * own lane beside the loop (at most MAX_DETACHED at a time), so a slow endpoint never holds up
 * offer expiry or the Teams and WhatsApp sends due meanwhile.
 */
const DETACHED_KINDS: readonly JobKind[] = ['webRequest'];
const MAX_DETACHED = 16;

/** Runs due jobs: a loop on a short interval, woken early when something is scheduled soon. */
export class Scheduler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private detachedRunning = 0;
  private again = false;

  constructor(
    private readonly store: Store,
    private readonly handlers: Record<JobKind, JobHandler>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      void this.runDue().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
      });
    };
    this.timer = setTimeout(tick, this.intervalMs);
  }

  /** Stops claiming and waits for handlers in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Claims and runs every job due now; returns how many were claimed. Serialized per instance (a
   * call while a drain runs makes it drain once more after);
   * detached jobs (web requests) are started, not awaited: stop() waits for them.
   */
  runDue(): Promise<number> {
    if (this.running) {
      // Woken while draining: the job that woke it may have committed after this drain's claim.
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      do {
        this.again = false;
        total += await this.drain();
      } while (this.again && !this.stopped);
      return total;
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const now = this.clock.now();
      const room = Math.min(BATCH, MAX_DETACHED - this.detachedRunning);
      let claimed: Job[];
      let detached: Job[];
      try {
        detached = room > 0 ? await this.claim(now, true, room) : [];
        claimed = await this.claim(now, false, BATCH);
      } catch (e) {
        if (!this.stopped) this.log.warn('job claim failed; will retry', { error: errorMessage(e) });
        return total;
      }
      for (const j of detached) {
        this.detachedRunning++;
        void this.track(this.runOne(j)).finally(() => this.detachedRunning--);
      }
      total += claimed.length + detached.length;
      await Promise.all(claimed.map((j) => this.track(this.runOne(j))));
      if ((claimed.length < BATCH && detached.length < room) || this.stopped) return total;
    }
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    return p.finally(() => this.inFlight.delete(p));
  }

  /** Claims due jobs of the detached kinds, or of every other kind. */
  private claim(now: number, detached: boolean, limit: number): Promise<Job[]> {
    return claimDueJobs(this.store.db, { now, lockedUntil: now + JOB_LEASE_MS, kinds: DETACHED_KINDS, inKinds: detached, limit });
  }

  private async runOne(job: Job): Promise<void> {
    const handler = this.handlers[job.kind];
    try {
      const result = await handler(job);
      if (result && typeof result.retryAt === 'number') {
        await retryJobAt(this.store.db, job.id, Math.ceil(result.retryAt));
      } else {
        // Rescheduled while it ran (its due time moved): keep it for another run, else it is done.
        await finishJob(this.store.db, job.id, job.dueAt);
      }
    } catch (e) {
      // Unexpected failure: back off exponentially (1 s .. 5 min) and keep the job.
      const delay = Math.min(300_000, 1000 * 2 ** Math.min(job.attempts, 9));
      this.log.warn(`job ${job.kind} failed; retrying in ${delay} ms`, { ref: job.ref, attempt: job.attempts, error: errorMessage(e) });
      await failJob(this.store.db, job.id, this.clock.now() + delay, errorMessage(e).slice(0, 500)).catch(() => undefined);
    }
  }
}

/**
 * One handling per inbound activity: Teams resends an activity when the bot is slow. A row per
 * (conversation, activity) id is written once the adapter has authenticated the activity, so
 * nobody unauthenticated can write rows; the key is a SHA-256 so its size does not depend on
 * what the sender put in the ids. Rows older than a day are removed by a periodic, bounded
 * cleanup owned by this object, never inside a request.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '@stratus/shared/util/ports';
import type { Store } from '../store/db';
import { deleteInboundSeenBefore, markInboundSeen } from '../store/teams';
import { errorMessage, type Logger } from '../util/log';

const KEEP_MS = 86_400_000;
const CLEANUP_EVERY_MS = 600_000;
/** Rows removed per cleanup statement: a backlog is worked off over several rounds, never in one long lock. */
const CLEANUP_BATCH = 1000;

export class InboundDedupe {
  private timer?: NodeJS.Timeout;
  private cleaning?: Promise<void>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** True the first time this activity is seen; false for a resend. Throws when the store does not answer. */
  async firstTime(conversationId: string, activityId: string): Promise<boolean> {
    const key = createHash('sha256').update(`${conversationId}\u0000${activityId}`).digest('hex');
    return markInboundSeen(this.store.db, key, this.clock.now());
  }

  /** Removes rows older than a day, at most CLEANUP_BATCH per statement. */
  async cleanup(): Promise<number> {
    const cutoff = this.clock.now() - KEEP_MS;
    let removed = 0;
    for (let round = 0; round < 10; round++) {
      const n = await deleteInboundSeenBefore(this.store.db, cutoff, CLEANUP_BATCH);
      removed += n;
      if (n < CLEANUP_BATCH) break;
    }
    return removed;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.cleaning) return;
      this.cleaning = this.cleanup()
        .then(
          () => undefined,
          (e) => {
            // Harmless: the rows are removed on the next round.
            this.log.warn('inbound dedupe cleanup failed', { error: errorMessage(e) });
          },
        )
        .finally(() => {
          this.cleaning = undefined;
        });
    }, CLEANUP_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.cleaning;
  }
}

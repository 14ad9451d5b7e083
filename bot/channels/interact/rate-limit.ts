/**
 * Token-bucket rate limits for the public customer API. In memory per instance: with N instances
 * a client can get N times the rate, which still bounds abuse. Keys are client addresses (see
 * `http/client-address.ts`), chat ids or Interact codes, depending on the kind.
 */
import type { Clock } from '@stratus/shared/util/ports';
import { rateLimited } from '../../errors';

export type LimitKind = 'start' | 'startCode' | 'startGlobal' | 'message' | 'address' | 'read' | 'upgrade' | 'typing' | 'receipt';

export interface Limit {
  burst: number;
  perSec: number;
}

/**
 * Burst size and refill per second of each limit, chosen so that a busy real site passes:
 * - `start` (per address): 20, then one every 6 s. One person does not start more chats than that;
 *   the burst leaves room for a few people behind one carrier-grade NAT.
 * - `startCode` (per Interact code): 600, then 10/s (600 a minute): a campaign link sent to a
 *   mailing list brings hundreds of starts a minute to one code; a flood from many addresses
 *   at one code is still held to that.
 * - `startGlobal` (whole instance): 200, then 50/s: above any tenant's real peak, below what a
 *   botnet needs to fill the queues and the database.
 * - `message` (per chat): 20, then 2/s: faster than anyone types.
 * - `address` (posts per address): 120, then 20/s: an office behind one NAT with many chats.
 * - `read` (status and message reads per address): 300, then 30/s: the same office polling.
 * - `upgrade` (WebSocket upgrades per address): 200, then 5/s: every widget behind one NAT (an
 *   office, a mobile carrier's shared address) reconnecting at once after a network drop.
 * - `typing` (per chat): 1, then one every 2 s: what the agent needs to keep "typing…" up; the
 *   extras are dropped without an answer that would make a client retry.
 * - `receipt` (read reports per chat): 20, then 5/s: a page shows messages far slower; each
 *   report is one conditional update.
 */
export const DEFAULT_LIMITS: Record<LimitKind, Limit> = {
  start: { burst: 20, perSec: 10 / 60 },
  startCode: { burst: 600, perSec: 10 },
  startGlobal: { burst: 200, perSec: 50 },
  message: { burst: 20, perSec: 2 },
  address: { burst: 120, perSec: 20 },
  read: { burst: 300, perSec: 30 },
  upgrade: { burst: 200, perSec: 5 },
  typing: { burst: 1, perSec: 0.5 },
  receipt: { burst: 20, perSec: 5 },
};

/** Most buckets kept: a flood of distinct (spoofed) keys evicts the oldest instead of growing memory. */
export const MAX_BUCKETS = 100_000;

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  /** Insertion order is last-use order (a used bucket is re-inserted), so eviction takes the stalest. */
  private readonly buckets = new Map<string, Bucket>();

  private readonly limits: Record<LimitKind, Limit>;

  /**
   * `scale` multiplies every limit; 0 turns limiting off (load tests). `limits` overrides some
   * kinds (tests); `maxBuckets` bounds memory.
   */
  constructor(
    private readonly clock: Clock,
    private readonly scale = 1,
    limits: Partial<Record<LimitKind, Limit>> = {},
    private readonly maxBuckets = MAX_BUCKETS,
  ) {
    const all = { ...DEFAULT_LIMITS, ...limits };
    this.limits = Object.fromEntries(
      Object.entries(all).map(([k, v]) => [k, { burst: v.burst * scale, perSec: v.perSec * scale }]),
    ) as Record<LimitKind, Limit>;
  }

  /** Takes one token of `kind` for `key` (an address, chat id or code) or throws 429 with the seconds until one is available. */
  check(key: string, kind: LimitKind): void {
    if (this.scale === 0) return;
    const { burst, perSec } = this.limits[kind];
    const now = this.clock.now();
    const k = `${kind}:${key}`;
    const b = this.buckets.get(k) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) / 1000) * perSec);
    b.at = now;
    this.buckets.delete(k);
    this.buckets.set(k, b);
    if (this.buckets.size > this.maxBuckets) this.shrink(now);
    if (b.tokens < 1) throw rateLimited(Math.max(1, Math.ceil((1 - b.tokens) / perSec)));
    b.tokens -= 1;
  }

  /** Like `check`, but answers false instead of throwing: for what is dropped silently (typing). */
  allows(key: string, kind: LimitKind): boolean {
    try {
      this.check(key, kind);
      return true;
    } catch {
      // Over the limit (a 429 AppError, nothing else is thrown): the caller drops the request.
      return false;
    }
  }

  /** How many buckets are held (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  /**
   * Drops buckets idle for ten minutes (full again at every limit, so dropping changes nothing),
   * then, if a flood of distinct keys still holds too many, the least recently used down to 90 %.
   */
  private shrink(now: number): void {
    for (const [k, b] of this.buckets) if (now - b.at > 600_000) this.buckets.delete(k);
    const target = Math.floor(this.maxBuckets * 0.9);
    for (const k of this.buckets.keys()) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(k);
    }
  }
}

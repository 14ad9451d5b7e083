/**
 * Token-bucket rate limits for the public customer API, per address and per chat. In memory per
 * instance: with N instances a client can get N times the rate, which still bounds abuse.
 */
import type { Clock } from '@stratus/shared/util/ports';
import { rateLimited } from '../../http/errors';

export type LimitKind = 'start' | 'message' | 'address';

/** Burst size and refill per second of each limit. */
export const DEFAULT_LIMITS: Record<LimitKind, { burst: number; perSec: number }> = {
  start: { burst: 10, perSec: 10 / 60 },
  message: { burst: 20, perSec: 2 },
  address: { burst: 120, perSec: 20 },
};

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  private readonly limits: Record<LimitKind, { burst: number; perSec: number }>;

  /** `scale` multiplies every limit; 0 turns limiting off (load tests). */
  constructor(private readonly clock: Clock, private readonly scale = 1, limits: Record<LimitKind, { burst: number; perSec: number }> = DEFAULT_LIMITS) {
    this.limits = Object.fromEntries(Object.entries(limits).map(([k, v]) => [k, { burst: v.burst * scale, perSec: v.perSec * scale }])) as typeof limits;
  }

  /** Takes one token or throws 429 with the seconds until one is available. */
  check(key: string, kind: LimitKind): void {
    if (this.scale === 0) return;
    const { burst, perSec } = this.limits[kind];
    const now = this.clock.now();
    const k = `${kind}:${key}`;
    const b = this.buckets.get(k) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSec);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(k, b);
      throw rateLimited(Math.max(1, Math.ceil((1 - b.tokens) / perSec)));
    }
    b.tokens -= 1;
    this.buckets.set(k, b);
    if (this.buckets.size > 50_000) this.prune(now);
  }

  private prune(now: number): void {
    for (const [k, b] of this.buckets) if (now - b.at > 600_000) this.buckets.delete(k);
  }
}

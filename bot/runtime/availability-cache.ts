import { BoundedMap } from '../util/bounded-map';

/** Who is available per service, remembered for a moment (computed by availability/availability.ts). */
export interface Availability {
  counts: { available: number; busy: number; onDuty: number };
  available: string[];
}

/**
 * Availability is read by workflows on every new chat; with thousands of agents it is worth
 * remembering for a moment. An agent's own changes (duty, Active, RONA) clear it at once; other
 * changes (loads, another instance) show within CACHE_MS.
 */
const CACHE_MS = 1000;
/** Services remembered at most (one entry each; the oldest goes first past it). */
const CACHE_MAX = 10_000;

/** The cache behind availabilityOf, owned by the runtime (one per app, not per process). */
export class AvailabilityCache {
  private readonly byService = new BoundedMap<string, { at: number; value: Availability }>(CACHE_MAX);

  get(key: string, now: number): Availability | undefined {
    const hit = this.byService.get(key);
    return hit && now - hit.at >= 0 && now - hit.at < CACHE_MS ? hit.value : undefined;
  }

  set(key: string, now: number, value: Availability): void {
    this.byService.set(key, { at: now, value });
  }

  /** An agent's own change (duty, Active, RONA): the tenant's figures are read again at once. */
  forget(tenantId: string): void {
    for (const k of this.byService.keys()) if (k.startsWith(`${tenantId}/`)) this.byService.delete(k);
  }
}

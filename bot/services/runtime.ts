/**
 * What every use case needs: the store, tenants, clock, ids, event bus and a way to ask for a
 * distribution pass. Built once by app.ts; tests build it with an in-memory store.
 */
import type { Clock, IdGenerator } from '@stratus/shared/util/ports';
import type { Config } from '../config';
import type { EventBus } from '../events/bus';
import type { Store } from '../store/db';
import type { TenantRegistry } from '../tenants/registry';
import type { Logger } from '../util/log';
import type { AvailabilityCache } from './availability';

export interface Runtime {
  config: Config;
  store: Store;
  tenants: TenantRegistry;
  clock: Clock;
  ids: IdGenerator;
  bus: EventBus;
  log: Logger;
  /** Who is available per service, remembered for a second. */
  availability: AvailabilityCache;
  /** Ask for a distribution pass of the tenant soon (coalesced). */
  requestDistribution(tenantId: string): void;
  /** Wake the scheduler (a job became due now). */
  wakeScheduler(): void;
}

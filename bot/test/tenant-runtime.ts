/**
 * A runtime around a bare store for tests of the tenant import and revisions: the real store,
 * registry and secret box, and an event publisher that only counts (no bus is running).
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config';
import type { Runtime } from '../runtime/runtime';
import { AvailabilityCache } from '../runtime/availability-cache';
import type { Store } from '../store/db';
import { TenantRegistry } from '../tenants/registry';
import { SecretBox } from '../tenants/secrets';
import { randomIds } from '../util/ids';
import { createLogger } from '../util/log';

export function tenantRuntime(store: Store, opts: { now?: () => number; devMode?: boolean } = {}): Runtime & { distributed: string[] } {
  const distributed: string[] = [];
  const key = randomBytes(32);
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: 'memory://',
    ...(opts.devMode === false ? { STRATUS_DEV_MODE: 'false', STRATUS_SECRET_KEY: key.toString('base64') } : {}),
  });
  const rt: Runtime & { distributed: string[] } = {
    config,
    store,
    tenants: new TenantRegistry([]),
    secrets: new SecretBox(key),
    clock: { now: opts.now ?? (() => Date.now()) },
    ids: randomIds,
    bus: {
      published: () => undefined,
      publishedAll: () => undefined,
      position: 0,
      userEventsAfter: async () => [],
      conversationEventsAfter: async () => [],
    },
    log: createLogger('error'),
    groupCommit: { run: () => Promise.reject(new Error('not in this runtime')) },
    appends: { append: () => Promise.reject(new Error('not in this runtime')) },
    availability: new AvailabilityCache(),
    requestDistribution: (t) => void distributed.push(t),
    wakeScheduler: () => undefined,
    distributed,
  };
  return rt;
}

/**
 * Teams presence for routing, read from Microsoft Graph by polling
 * (`POST /communications/getPresencesByUserId`, 650 users a request) rather than change
 * notifications: a subscription needs a public HTTPS endpoint, a validation handshake and renewal
 * within the hour per batch of users, and still needs a poll to recover after a missed
 * notification; a poll of 1,000 agents is two requests. One instance polls at a time (a lease in
 * `settings`), every agent of every tenant with an Entra tenant id, and applies what changed.
 * When Graph fails or throttles (429, Retry-After honoured), the last known presence stays, and
 * its age shows in the agent's tab: never "nobody available" for everyone.
 */
import { randomUUID } from 'node:crypto';
import { presenceFromGraph } from '@stratus/shared/distribution/presence';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import type { Runtime } from '../runtime/runtime';
import { presenceRows } from '../store/agents';
import { setPresencePolledAt, takeLease } from '../store/settings';
import { BoundedMap } from '../util/bounded-map';
import { errorMessage } from '../util/log';
import { Periodic } from '../util/periodic';
import { applyPresence } from './presence';

/** Where presences come from (GraphApi; a stand-in in tests). */
export interface PresenceSource {
  getPresences(entraTenantId: string, objectIds: readonly string[]): Promise<{ id: string; availability: string; activity: string }[]>;
}

export interface PresenceSyncOptions {
  /** Between polls (default 5 s: a change reaches distribution within seconds). */
  periodMs?: number;
}

const LEASE_KEY = 'presence_sync_lease';
/** How long the remembered presences serve before they are read from the store again. */
const RELOAD_MS = 60_000;

export class PresenceSync {
  private readonly periodic: Periodic;
  private readonly holder = randomUUID();
  private readonly periodMs: number;
  /** Graph asked us to wait (429): no poll of that tenant before this time. */
  private readonly pausedUntil = new Map<string, number>();
  /** What the store holds, per tenant (see `known`). */
  private readonly cache = new BoundedMap<string, { at: number; rows: Map<string, { presence: string; inBlockingCall: boolean }> }>(10_000);
  /** The last failure per tenant, for the logs and tests. */
  readonly lastError = new Map<string, string>();

  constructor(
    private readonly rt: Runtime,
    private readonly source: PresenceSource,
    opts: PresenceSyncOptions = {},
  ) {
    this.periodMs = opts.periodMs ?? 5000;
    this.periodic = new Periodic('presence sync', rt.log, this.periodMs, () => this.tick());
  }

  /** One poll of every tenant, if this instance holds the lease. */
  async tick(): Promise<void> {
    const now = this.rt.clock.now();
    if (!(await takeLease(this.rt.store.db, LEASE_KEY, this.holder, now, this.periodMs * 3))) return;
    for (const tenant of this.rt.tenants.tenants) {
      if (!tenant.entraTenantId || (this.pausedUntil.get(tenant.id) ?? 0) > now) continue;
      await this.pollTenant(tenant, tenant.entraTenantId);
    }
  }

  private async pollTenant(tenant: TenantConfig, entraTenantId: string): Promise<void> {
    const users = tenant.users.filter((u) => u.entraObjectId && u.licenses.includes('im'));
    if (users.length === 0) return;
    let answers;
    try {
      answers = await this.source.getPresences(
        entraTenantId,
        users.map((u) => u.entraObjectId as string),
      );
      this.lastError.delete(tenant.id);
    } catch (e) {
      const retry = (e as { retryAfterSec?: number }).retryAfterSec;
      if (retry) this.pausedUntil.set(tenant.id, this.rt.clock.now() + retry * 1000);
      this.lastError.set(tenant.id, errorMessage(e));
      this.rt.log.warn('Teams presence could not be read; the last known presence stays', { tenant: tenant.id, error: errorMessage(e) });
      return;
    }
    const byId = new Map(answers.map((a) => [a.id.toLowerCase(), a]));
    const current = await this.known(tenant.id);
    for (const user of users) {
      const answer = byId.get((user.entraObjectId as string).toLowerCase());
      const row = current.get(user.id);
      if (!answer || !row) continue;
      const next = presenceFromGraph(answer.availability, answer.activity);
      if (row.presence === next.presence && row.inBlockingCall === next.inBlockingCall) continue;
      await applyPresence(this.rt, tenant.id, user.id, next);
      current.set(user.id, next);
    }
    // One row per tenant says how fresh everyone's presence is (not a write per agent per poll).
    await setPresencePolledAt(this.rt.store.db, tenant.id, this.rt.clock.now());
  }

  /**
   * The presence each agent has in the store, remembered between polls and read again every
   * minute (the dev route and a configuration change may set it too): a poll that changes
   * nothing reads and writes no agent row.
   */
  private async known(tenantId: string): Promise<Map<string, { presence: string; inBlockingCall: boolean }>> {
    const now = this.rt.clock.now();
    const hit = this.cache.get(tenantId);
    if (hit && now - hit.at < RELOAD_MS) return hit.rows;
    const rows = await presenceRows(this.rt.store.db, tenantId);
    this.cache.set(tenantId, { at: now, rows });
    return rows;
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }
}

/**
 * Which tenants this instance runs, and keeping them current: at start every stored tenant whose
 * live revision opens and validates (one that does not is reported and the others run); after
 * that, a `config` event (PostgreSQL NOTIFY wakes the bus) loads the new revision, and a periodic
 * check of the revision numbers catches anything an event missed.
 */
import type { ConfigProblem } from '@stratus/shared/contract/admin';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { parseTenant } from '@stratus/shared/tenant/validate';
import { liveSubscriber } from '../events/subscribers';
import type { Runtime } from '../runtime/runtime';
import { storedTenant, storedTenants, storedRevisions, type StoredTenant } from '../store/tenants';
import { errorMessage } from '../util/log';
import { Periodic } from '../util/periodic';
import { knownSecretProblemsOf } from '../tenants/known-secrets';
import { claimConflicts } from '../tenants/registry';
import { applyRevision } from './revisions';
import { openTenant, SecretKeyError } from '../tenants/secrets';

/** How often the revision numbers are compared, behind the events. */
const SYNC_MS = 10_000;

/** A stored tenant as this instance would run it, or why it cannot. */
export function runnable(rt: Runtime, row: StoredTenant): { ok: true; tenant: TenantConfig } | { ok: false; problems: ConfigProblem[] } {
  let opened: TenantConfig;
  try {
    opened = openTenant(rt.secrets, row.config);
  } catch (e) {
    if (e instanceof SecretKeyError) return { ok: false, problems: [{ path: 'twilio.authToken', message: e.message }] };
    throw e;
  }
  // Validated again: a newer server may be stricter than the one that stored it.
  const parsed = parseTenant(opened);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  const problems = rt.config.devMode ? [] : knownSecretProblemsOf(parsed.tenant);
  return problems.length ? { ok: false, problems } : { ok: true, tenant: parsed.tenant };
}

/** Keeps this instance's registry on the tenants' live revisions. */
export class TenantSync {
  private readonly periodic: Periodic;
  /** Tenants that could not run, with why (reported once per revision). */
  readonly refused = new Map<string, { revision: number; problems: ConfigProblem[] }>();

  constructor(
    private readonly rt: Runtime,
    periodMs = SYNC_MS,
  ) {
    this.periodic = new Periodic('tenant revision check', rt.log, periodMs, () => this.check());
  }

  /** The `config` event's subscriber: loads a revision newer than the one running here. */
  readonly subscriber = liveSubscriber('tenant-config', {
    config: (e) => {
      if (e.payload.revision > this.rt.tenants.revision(e.tenantId)) void this.reload(e.tenantId);
    },
  });

  /** Runs every stored tenant that can run; reports the others. */
  async loadAll(): Promise<void> {
    const rows = await storedTenants(this.rt.store.db);
    const good: TenantConfig[] = [];
    const revisions = new Map<string, number>();
    for (const row of rows) {
      const r = runnable(this.rt, row);
      // Stored revisions never collide (writes check); a tenant that would is refused, not the others.
      const clash = r.ok ? claimConflicts(r.tenant, good) : [];
      if (r.ok && clash.length === 0) {
        good.push(r.tenant);
        revisions.set(row.id, row.revision);
        this.refused.delete(row.id);
      } else this.refuse(row, r.ok ? clash : r.problems);
    }
    this.rt.tenants.replaceAll(good, revisions);
  }

  /** Loads one tenant's live revision if it is newer than the running one. */
  async reload(tenantId: string): Promise<void> {
    try {
      const row = await storedTenant(this.rt.store.db, tenantId);
      if (!row || row.revision <= this.rt.tenants.revision(tenantId)) return;
      const r = runnable(this.rt, row);
      if (!r.ok) return this.refuse(row, r.problems);
      try {
        applyRevision(this.rt, r.tenant, row.revision);
      } catch (e) {
        this.refuse(row, [{ path: '', message: errorMessage(e) }]);
      }
    } catch (e) {
      this.rt.log.warn('could not load a tenant configuration; the periodic check tries again', {
        tenant: tenantId,
        error: errorMessage(e),
      });
    }
  }

  /** Compares the stored revision numbers with the running ones (one small query). */
  async check(): Promise<void> {
    const stored = await storedRevisions(this.rt.store.db);
    for (const { id, revision } of stored) {
      if (revision > this.rt.tenants.revision(id) && this.refused.get(id)?.revision !== revision) await this.reload(id);
    }
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  private refuse(row: StoredTenant, problems: ConfigProblem[]): void {
    if (this.refused.get(row.id)?.revision === row.revision) return;
    this.refused.set(row.id, { revision: row.revision, problems });
    this.rt.log.error(`tenant "${row.id}" revision ${row.revision} cannot run; the other tenants run`, {
      problems: problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)),
    });
  }
}

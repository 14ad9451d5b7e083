/**
 * The tenants this server runs, in memory for fast lookups (codes, senders, Entra ids), loaded
 * from the store's live revisions and swapped when a revision lands (tenants/live.ts).
 * Each code, sender, Entra id and UPN belongs to one tenant: a colliding list is refused whole.
 */
import type { ConfigProblem } from '@stratus/shared/contract/admin';
import type { ServiceConfig, TenantConfig, UserConfig } from '@stratus/shared/tenant/model';
import type { WorkflowDefinition } from '@stratus/shared/workflow/definition';
import { BoundedMap } from '../util/bounded-map';

export type InteractTarget =
  { kind: 'service'; tenant: TenantConfig; service: ServiceConfig } | { kind: 'user'; tenant: TenantConfig; user: UserConfig };

/** The lookup maps of one set of tenants, built whole and never changed. */
class Snapshot {
  readonly byId = new Map<string, TenantConfig>();
  readonly revisions = new Map<string, number>();
  readonly byCode = new Map<string, InteractTarget>();
  readonly bySender = new Map<string, { tenant: TenantConfig; service: ServiceConfig }>();
  readonly byEntra = new Map<string, { tenant: TenantConfig; user: UserConfig }>();
  readonly byEntraTenant = new Map<string, TenantConfig>();
  readonly byUpn = new Map<string, { tenant: TenantConfig; user: UserConfig }>();

  constructor(tenants: readonly TenantConfig[], revisions: ReadonlyMap<string, number>) {
    const collisions = tenantCollisions(tenants);
    if (collisions.length) throw new Error(`tenants collide:\n  - ${collisions.join('\n  - ')}`);
    for (const t of tenants) {
      this.byId.set(t.id, t);
      this.revisions.set(t.id, revisions.get(t.id) ?? 0);
      if (t.entraTenantId) this.byEntraTenant.set(t.entraTenantId.toLowerCase(), t);
      for (const s of t.services) {
        if (s.im.interact) this.byCode.set(s.im.interact.code.toLowerCase(), { kind: 'service', tenant: t, service: s });
        if (s.im.whatsapp) this.bySender.set(normalizeAddress(s.im.whatsapp.sender), { tenant: t, service: s });
      }
      for (const u of t.users) {
        if (u.interact) this.byCode.set(u.interact.code.toLowerCase(), { kind: 'user', tenant: t, user: u });
        if (u.entraObjectId && t.entraTenantId)
          this.byEntra.set(`${t.entraTenantId.toLowerCase()}/${u.entraObjectId.toLowerCase()}`, { tenant: t, user: u });
        this.byUpn.set(u.upn.toLowerCase(), { tenant: t, user: u });
      }
    }
  }
}

/**
 * Lookups over the running tenants. A configuration change swaps in a new snapshot whole (one
 * assignment), so a lookup never sees half of a change, and readers keep the object they hold.
 */
export class TenantRegistry {
  private snap: Snapshot;
  /** Workflow definitions of earlier revisions that running tasks still follow, by `tenant/revision/workflow`. */
  readonly pastDefinitions = new BoundedMap<string, WorkflowDefinition>(1000);

  /** Throws when two tenants claim the same code, sender, Entra id or UPN (see `tenantCollisions`). */
  constructor(tenants: readonly TenantConfig[], revisions: ReadonlyMap<string, number> = new Map()) {
    this.snap = new Snapshot(tenants, revisions);
  }

  /** Runs these tenants from now on (throws, changing nothing, when they collide). */
  replaceAll(tenants: readonly TenantConfig[], revisions: ReadonlyMap<string, number>): void {
    this.snap = new Snapshot(tenants, revisions);
  }

  /** Runs this revision of one tenant from now on (an older revision than the running one is ignored). */
  put(tenant: TenantConfig, revision: number): boolean {
    if ((this.snap.revisions.get(tenant.id) ?? -1) >= revision) return false;
    const list = [...this.snap.byId.values()].filter((t) => t.id !== tenant.id);
    const revisions = new Map(this.snap.revisions);
    revisions.set(tenant.id, revision);
    this.snap = new Snapshot([...list, tenant], revisions);
    return true;
  }

  get tenants(): TenantConfig[] {
    return [...this.snap.byId.values()];
  }

  tenant(id: string): TenantConfig | undefined {
    return this.snap.byId.get(id);
  }

  /** The running revision of a tenant (0: not from the store, or unknown). */
  revision(id: string): number {
    return this.snap.revisions.get(id) ?? 0;
  }

  service(tenantId: string, serviceId: string): ServiceConfig | undefined {
    return this.snap.byId.get(tenantId)?.services.find((s) => s.id === serviceId);
  }

  user(tenantId: string, userId: string): UserConfig | undefined {
    return this.snap.byId.get(tenantId)?.users.find((u) => u.id === userId);
  }

  interact(code: string): InteractTarget | undefined {
    return this.snap.byCode.get(code.toLowerCase());
  }

  /** The service a WhatsApp/SMS `To` address belongs to (`whatsapp:+1555...` or `+1555...`). */
  sender(to: string): { tenant: TenantConfig; service: ServiceConfig } | undefined {
    return this.snap.bySender.get(normalizeAddress(to));
  }

  entraUser(entraTenantId: string, objectId: string): { tenant: TenantConfig; user: UserConfig } | undefined {
    return this.snap.byEntra.get(`${entraTenantId.toLowerCase()}/${objectId.toLowerCase()}`);
  }

  entraTenant(entraTenantId: string): TenantConfig | undefined {
    return this.snap.byEntraTenant.get(entraTenantId.toLowerCase());
  }

  upn(upn: string): { tenant: TenantConfig; user: UserConfig } | undefined {
    return this.snap.byUpn.get(upn.toLowerCase());
  }
}

/** `whatsapp:+1 555-0100` and `+15550100` both become `+15550100`. */
export function normalizeAddress(a: string): string {
  return a.replace(/^whatsapp:/i, '').replace(/[^\d+]/g, '');
}

interface Claim {
  kind: 'Entra tenant id' | 'Interact code' | 'WhatsApp/SMS sender' | 'Entra object id' | 'UPN';
  value: string;
  key: string;
  path: string;
}

/** What a tenant claims for itself: the keys this registry routes by, normalised as it looks them up. */
function claims(t: TenantConfig): Claim[] {
  const out: Claim[] = [];
  if (t.entraTenantId)
    out.push({ kind: 'Entra tenant id', value: t.entraTenantId, key: t.entraTenantId.toLowerCase(), path: 'entraTenantId' });
  t.services.forEach((s, i) => {
    // Interact codes share one namespace between services and users.
    if (s.im.interact)
      out.push({
        kind: 'Interact code',
        value: s.im.interact.code,
        key: s.im.interact.code.toLowerCase(),
        path: `services[${i}].im.interact.code`,
      });
    // WhatsApp and SMS share the number: `whatsapp:+1555…` and `+1555…` are one sender.
    if (s.im.whatsapp)
      out.push({
        kind: 'WhatsApp/SMS sender',
        value: s.im.whatsapp.sender,
        key: normalizeAddress(s.im.whatsapp.sender),
        path: `services[${i}].im.whatsapp.sender`,
      });
  });
  t.users.forEach((u, i) => {
    if (u.interact)
      out.push({ kind: 'Interact code', value: u.interact.code, key: u.interact.code.toLowerCase(), path: `users[${i}].interact.code` });
    if (u.entraObjectId)
      out.push({ kind: 'Entra object id', value: u.entraObjectId, key: u.entraObjectId.toLowerCase(), path: `users[${i}].entraObjectId` });
    out.push({ kind: 'UPN', value: u.upn, key: u.upn.toLowerCase(), path: `users[${i}].upn` });
  });
  return out;
}

/**
 * What `tenant` claims that one of `others` already routes by, as problems on the tenant's own
 * paths: the check a revision passes before it is written.
 */
export function claimConflicts(tenant: TenantConfig, others: readonly TenantConfig[]): ConfigProblem[] {
  const taken = new Set<string>();
  for (const o of others) for (const c of claims(o)) taken.add(`${c.kind}\u0000${c.key}`);
  const out: ConfigProblem[] = [];
  for (const c of claims(tenant)) {
    // Not naming the other tenant: an admin of one tenant learns nothing of another.
    if (taken.has(`${c.kind}\u0000${c.key}`))
      out.push({ path: c.path, message: `${c.kind} "${c.value}" is already used by another tenant` });
  }
  return out;
}

/**
 * Cross-tenant uniqueness: an Interact code, a WhatsApp/SMS sender, an Entra tenant id, an Entra
 * object id or a UPN routes to exactly one tenant. Two tenants claiming the same one would let the
 * later silently take the other's customers or agents, so every claim a tenant shares with an
 * earlier tenant is a problem naming both tenants and paths. Duplicates inside one tenant are
 * the validator's (shared/tenant/validate). `positions` maps list indices to the file's.
 */
export function tenantCollisions(list: readonly TenantConfig[], positions?: readonly number[]): string[] {
  const at = (i: number) => positions?.[i] ?? i;
  const problems: string[] = [];
  const owner = new Map<string, { tenant: number; path: string }>();
  list.forEach((t, ti) => {
    for (const c of claims(t)) {
      const k = `${c.kind}\u0000${c.key}`;
      const first = owner.get(k);
      if (!first) owner.set(k, { tenant: ti, path: c.path });
      else if (first.tenant !== ti) {
        problems.push(
          `tenants[${at(ti)}].${c.path}: ${c.kind} "${c.value}" of tenant "${t.id}" is already used by tenant "${list[first.tenant]?.id}" (tenants[${at(first.tenant)}].${first.path}); tenant "${t.id}" is refused`,
        );
      }
    }
  });
  return problems;
}

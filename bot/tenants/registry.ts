/**
 * The tenants this server runs, in memory for fast lookups (codes, senders, Entra ids), loaded
 * from the configuration file (or the demo tenant) and imported into the store idempotently.
 * Each code, sender, Entra id and UPN belongs to one tenant: a colliding list is refused whole.
 */
import type { ServiceConfig, TenantConfig, UserConfig } from '@stratus/shared/tenant/model';

export type InteractTarget =
  { kind: 'service'; tenant: TenantConfig; service: ServiceConfig } | { kind: 'user'; tenant: TenantConfig; user: UserConfig };

/** Lookups over the loaded tenants. Rebuilt whole when the configuration changes. */
export class TenantRegistry {
  private readonly byId = new Map<string, TenantConfig>();
  private readonly byCode = new Map<string, InteractTarget>();
  private readonly bySender = new Map<string, { tenant: TenantConfig; service: ServiceConfig }>();
  private readonly byEntra = new Map<string, { tenant: TenantConfig; user: UserConfig }>();
  private readonly byEntraTenant = new Map<string, TenantConfig>();
  private readonly byUpn = new Map<string, { tenant: TenantConfig; user: UserConfig }>();

  /** Throws when two tenants claim the same code, sender, Entra id or UPN (see `tenantCollisions`). */
  constructor(tenants: TenantConfig[]) {
    const collisions = tenantCollisions(tenants);
    if (collisions.length) throw new Error(`tenants collide:\n  - ${collisions.join('\n  - ')}`);
    for (const t of tenants) {
      this.byId.set(t.id, t);
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

  get tenants(): TenantConfig[] {
    return [...this.byId.values()];
  }

  tenant(id: string): TenantConfig | undefined {
    return this.byId.get(id);
  }

  service(tenantId: string, serviceId: string): ServiceConfig | undefined {
    return this.byId.get(tenantId)?.services.find((s) => s.id === serviceId);
  }

  user(tenantId: string, userId: string): UserConfig | undefined {
    return this.byId.get(tenantId)?.users.find((u) => u.id === userId);
  }

  interact(code: string): InteractTarget | undefined {
    return this.byCode.get(code.toLowerCase());
  }

  /** The service a WhatsApp/SMS `To` address belongs to (`whatsapp:+1555...` or `+1555...`). */
  sender(to: string): { tenant: TenantConfig; service: ServiceConfig } | undefined {
    return this.bySender.get(normalizeAddress(to));
  }

  entraUser(entraTenantId: string, objectId: string): { tenant: TenantConfig; user: UserConfig } | undefined {
    return this.byEntra.get(`${entraTenantId.toLowerCase()}/${objectId.toLowerCase()}`);
  }

  entraTenant(entraTenantId: string): TenantConfig | undefined {
    return this.byEntraTenant.get(entraTenantId.toLowerCase());
  }

  upn(upn: string): { tenant: TenantConfig; user: UserConfig } | undefined {
    return this.byUpn.get(upn.toLowerCase());
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

/**
 * The tenants this server runs, in memory for fast lookups (codes, senders, Entra ids), loaded
 * from the configuration file (or the demo tenant) and imported into the store idempotently.
 */
import type { ServiceConfig, TenantConfig, UserConfig } from '@stratus/shared/tenant/model';

export type InteractTarget =
  | { kind: 'service'; tenant: TenantConfig; service: ServiceConfig }
  | { kind: 'user'; tenant: TenantConfig; user: UserConfig };

/** Lookups over the loaded tenants. Rebuilt whole when the configuration changes. */
export class TenantRegistry {
  private readonly byId = new Map<string, TenantConfig>();
  private readonly byCode = new Map<string, InteractTarget>();
  private readonly bySender = new Map<string, { tenant: TenantConfig; service: ServiceConfig }>();
  private readonly byEntra = new Map<string, { tenant: TenantConfig; user: UserConfig }>();
  private readonly byEntraTenant = new Map<string, TenantConfig>();
  private readonly byUpn = new Map<string, { tenant: TenantConfig; user: UserConfig }>();

  constructor(tenants: TenantConfig[]) {
    for (const t of tenants) {
      this.byId.set(t.id, t);
      if (t.entraTenantId) this.byEntraTenant.set(t.entraTenantId.toLowerCase(), t);
      for (const s of t.services) {
        if (s.im.interact) this.byCode.set(s.im.interact.code.toLowerCase(), { kind: 'service', tenant: t, service: s });
        if (s.im.whatsapp) this.bySender.set(normalizeAddress(s.im.whatsapp.sender), { tenant: t, service: s });
      }
      for (const u of t.users) {
        if (u.interact) this.byCode.set(u.interact.code.toLowerCase(), { kind: 'user', tenant: t, user: u });
        if (u.entraObjectId && t.entraTenantId) this.byEntra.set(`${t.entraTenantId.toLowerCase()}/${u.entraObjectId.toLowerCase()}`, { tenant: t, user: u });
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

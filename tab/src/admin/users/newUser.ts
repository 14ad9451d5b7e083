/** A tenant user from a directory hit or a typed UPN: a fresh id from the UPN, the IM license, on duty. */
import type { TenantConfig, UserConfig } from '@stratus/shared/tenant/model';
import { idFrom } from '../services/newService';

export function newUser(tenant: TenantConfig, upn: string, displayName: string, entraObjectId?: string): UserConfig {
  const taken = tenant.users.map((u) => u.id);
  return {
    id: idFrom(upn.split('@')[0] ?? upn, taken),
    upn: upn.trim().toLowerCase(),
    displayName: displayName.trim() || upn.trim(),
    ...(entraObjectId ? { entraObjectId: entraObjectId.toLowerCase() } : {}),
    licenses: ['im'],
    presence: 'online',
    onDuty: true,
  };
}

/** Whether the tenant already has this person (same UPN or Entra object id). */
export function hasUser(tenant: TenantConfig, upn: string, entraObjectId?: string): boolean {
  const u = upn.trim().toLowerCase();
  return tenant.users.some((x) => x.upn === u || (!!entraObjectId && x.entraObjectId === entraObjectId.toLowerCase()));
}

/** The tenant without the user, and without every reference to them (members, owners, supervisors, admins). */
export function removeUser(tenant: TenantConfig, id: string): TenantConfig {
  const without = (ids: string[] | undefined) => ids?.filter((x) => x !== id);
  return {
    ...tenant,
    users: tenant.users.filter((u) => u.id !== id),
    admins: without(tenant.admins) ?? [],
    services: tenant.services.map((s) => ({
      ...s,
      members: s.members.filter((m) => m.userId !== id),
      ...(s.owners ? { owners: without(s.owners) } : {}),
      ...(s.supervisors ? { supervisors: without(s.supervisors) } : {}),
    })),
  };
}

/** Where the user is referenced, for the confirmation before removing them. */
export function referencesOf(tenant: TenantConfig, id: string): string[] {
  return tenant.services
    .filter((s) => s.members.some((m) => m.userId === id) || s.owners?.includes(id) || s.supervisors?.includes(id))
    .map((s) => s.name);
}

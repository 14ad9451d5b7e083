/**
 * Who may change what: a tenant admin changes everything in the tenant; a service's owners change
 * that service's members, opening hours, Interact settings, distribution and service-level threshold, and nothing else.
 */
import { sameJson } from '@stratus/shared/tenant/diff';
import type { ServiceConfig, TenantConfig } from '@stratus/shared/tenant/model';
import { forbidden } from '../errors';

export const isAdmin = (t: TenantConfig | undefined, userId: string): boolean => !!t?.admins?.includes(userId);

export const ownedServices = (t: TenantConfig | undefined, userId: string): string[] =>
  (t?.services ?? []).filter((s) => s.owners?.includes(userId)).map((s) => s.id);

export const supervisedServices = (t: TenantConfig | undefined, userId: string): string[] =>
  (t?.services ?? []).filter((s) => s.supervisors?.includes(userId) || s.owners?.includes(userId)).map((s) => s.id);

/** Throws 403 unless the user is a tenant admin. */
export function requireAdmin(t: TenantConfig | undefined, userId: string): void {
  if (!isAdmin(t, userId)) throw forbidden('Only a tenant admin may do this: ask one of your tenant admins.');
}

/** Throws 403 unless the user is a tenant admin or an owner of the service. */
export function requireAdminOrOwner(t: TenantConfig | undefined, userId: string, serviceId: string): void {
  if (isAdmin(t, userId)) return;
  if (!t?.services.find((s) => s.id === serviceId)?.owners?.includes(userId))
    throw forbidden('Only a tenant admin or an owner of this service may do this.');
}

/** The parts of a service an owner may change. */
const OWNER_FIELDS = ['members', 'openingHours'] as const;
// The service-level threshold too: owners answer for how fast their service answers.
const OWNER_IM_FIELDS = ['interact', 'distribution', 'serviceLevelSec'] as const;

/** The first field outside an owner's reach that differs between two versions of a service, as a path. */
export function ownerForbiddenChange(before: ServiceConfig, after: ServiceConfig): string | undefined {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) {
    if ((OWNER_FIELDS as readonly string[]).includes(k)) continue;
    if (k === 'im') {
      const imKeys = new Set([...Object.keys(before.im), ...Object.keys(after.im)]);
      for (const ik of imKeys) {
        if ((OWNER_IM_FIELDS as readonly string[]).includes(ik)) continue;
        if (!sameJson((before.im as unknown as Record<string, unknown>)[ik], (after.im as unknown as Record<string, unknown>)[ik]))
          return `im.${ik}`;
      }
      continue;
    }
    if (!sameJson((before as unknown as Record<string, unknown>)[k], (after as unknown as Record<string, unknown>)[k])) return k;
  }
  return undefined;
}

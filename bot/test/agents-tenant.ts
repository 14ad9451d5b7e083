/** Test tenants: the demo tenant with agents of its own in every service, as load and concurrency tests need them. */
import { DEFAULT_DISTRIBUTION, type TenantConfig } from '@stratus/shared/tenant/model';
import { demoTenant } from '@stratus/shared/tenant/demo';

/**
 * The demo tenant plus agents `ids` (signed in as `<id>@contoso.com`), online, on duty and Active
 * in every service, which offers directly with room for `maxConcurrentIm` chats each and has no
 * supervisors; `objectIdPrefix` keeps two suites' Entra object ids apart.
 */
export function tenantWithAgents(
  ids: readonly string[],
  o: { maxConcurrentIm: number; offerTimeoutSec: number; objectIdPrefix: string },
): TenantConfig {
  const t = demoTenant();
  const users = ids.map((id, i) => ({
    id,
    upn: `${id}@contoso.com`,
    entraObjectId: `00000000-0000-0000-0000-00000000${o.objectIdPrefix}${String(i).padStart(4 - o.objectIdPrefix.length, '0')}`,
    displayName: `Agent ${id}`,
    licenses: ['im' as const],
    presence: 'online' as const,
    onDuty: true,
    inBlockingCall: false,
  }));
  const distribution = {
    ...DEFAULT_DISTRIBUTION,
    type: 'direct' as const,
    maxConcurrentIm: o.maxConcurrentIm,
    offerTimeoutSec: o.offerTimeoutSec,
    persistentRona: { ...DEFAULT_DISTRIBUTION.persistentRona },
  };
  const members = ids.map((userId) => ({ userId, active: true }));
  return {
    ...t,
    users: [...t.users, ...users],
    services: t.services.map((s) => ({ ...s, members, supervisors: [], im: { ...s.im, distribution } })),
  };
}

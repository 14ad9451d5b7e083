/**
 * The benches' tenant: the demo tenant's identity with `agents` users, all members of one
 * `support` service on the Interact code `support`, with the IM settings (and workflows) a bench needs.
 */
import { demoTenant } from '@stratus/shared/tenant/demo';

/** The bench agent's Entra object id (a GUID from its number). */
export const benchObjectId = (i: number): string => `0000bec4-0000-4000-8000-${String(i).padStart(12, '0')}`;

export function benchTenant(
  agents: number,
  im: Record<string, unknown>,
  workflows?: unknown[],
): { users: { upn: string }[] } & Record<string, unknown> {
  const t = demoTenant();
  const users = Array.from({ length: agents }, (_, i) => ({
    id: `a${i}`,
    upn: `a${i}@contoso.com`,
    displayName: `Agent ${i}`,
    licenses: ['im'],
    // An Entra object id each, so the Teams presence poll (PRESENCE=1) has someone to ask about.
    entraObjectId: benchObjectId(i),
  }));
  return {
    id: t.id,
    name: t.name,
    entraTenantId: t.entraTenantId,
    twilio: t.twilio,
    users,
    services: [
      {
        id: 'support',
        name: 'Support',
        licenses: t.services[0]!.licenses,
        members: users.map((u) => u.id),
        im: { enabled: true, interact: { code: 'support', allowedOrigins: [] }, ...im },
      },
    ],
    ...(workflows ? { workflows } : {}),
  };
}

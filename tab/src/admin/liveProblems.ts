/**
 * Live validation while editing, with the same rules as the server (shared/tenant/validate):
 * the whole tenant for an admin; for an owner, the one service in a stand-in tenant, keeping only
 * the problems of the service's own fields.
 */
import type { ConfigProblem } from '@stratus/shared/contract/admin';
import type { ServiceConfig, TenantConfig } from '@stratus/shared/tenant/model';
import { parseTenant } from '@stratus/shared/tenant/validate';

/** `twilioStored`: the server keeps a token the document leaves out, so a missing one is no problem. */
export function tenantProblems(t: TenantConfig, twilioStored: boolean): ConfigProblem[] {
  const doc = twilioStored && t.twilio && !t.twilio.authToken ? { ...t, twilio: { ...t.twilio, authToken: 'stored' } } : t;
  const r = parseTenant(doc);
  return r.ok ? [] : r.problems;
}

/** An owner's service alone: users, workflows and the connector it refers to are the server's to check. */
export function serviceProblems(s: ServiceConfig): ConfigProblem[] {
  const ids = [...new Set([...s.members.map((m) => m.userId), ...(s.owners ?? []), ...(s.supervisors ?? [])])];
  const r = parseTenant({
    id: 'tenant',
    name: 'Tenant',
    users: ids.map((id, i) => ({ id, upn: `user${i}@stratus.invalid`, displayName: id, licenses: ['im'] })),
    services: [s],
    workflows: [],
    twilio: { accountSid: `AC${'0'.repeat(32)}`, authToken: 'stand-in', region: 'us1' },
  });
  if (r.ok) return [];
  return r.problems.filter(
    (p) => p.path.startsWith('services[0].') && !p.path.startsWith('services[0].im.workflowId') && !/^unknown user/.test(p.message),
  );
}

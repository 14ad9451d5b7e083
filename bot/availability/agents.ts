/** Agent run-time state from the store, as the domain's AgentRuntime. */
import { and, eq } from 'drizzle-orm';
import type { AgentRuntime } from '@stratus/shared/distribution/agent';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import type { Q } from '../store/db';
import { agents, agentServices } from '../store/schema';
import { imLoads } from '../store/repo';

/** All agents of a tenant with their Active services and open IM load. */
export async function loadAgents(q: Q, tenant: TenantConfig): Promise<Map<string, AgentRuntime>> {
  const rows = await q.select().from(agents).where(eq(agents.tenantId, tenant.id));
  const actives = await q
    .select()
    .from(agentServices)
    .where(and(eq(agentServices.tenantId, tenant.id), eq(agentServices.active, true)));
  const loads = await imLoads(q, tenant.id);
  const out = new Map<string, AgentRuntime>();
  for (const r of rows) {
    out.set(r.userId, {
      userId: r.userId,
      presence: r.presence as AgentRuntime['presence'],
      inBlockingCall: r.inBlockingCall,
      onDuty: r.onDuty,
      ...(r.ronaUntil != null ? { ronaUntil: r.ronaUntil } : {}),
      activeServiceIds: actives.filter((a) => a.userId === r.userId).map((a) => a.serviceId),
      imLoad: loads.get(r.userId) ?? 0,
      lastIdleAt: r.lastIdleAt,
      ...(r.lastOfferedAt != null ? { lastOfferedAt: r.lastOfferedAt } : {}),
    });
  }
  return out;
}

/** Availability figures for workflow checks and queue positions for customers. */
import { eligibility } from '@stratus/shared/distribution/eligibility';
import { queuePositions } from '@stratus/shared/distribution/queue-position';
import type { Task } from '@stratus/shared/task/types';
import type { ServiceConfig, TenantConfig } from '@stratus/shared/tenant/model';
import type { Q } from '../store/db';
import { waitingTasks } from '../store/repo';
import { loadAgents } from '../store/agents';
import type { Runtime } from '../runtime/runtime';

import type { Availability } from '../runtime/availability-cache';

export type { Availability };

/** Members who could take an IM task now, who are on duty but at capacity or busy, and who are on duty at all. */
export async function availabilityOf(q: Q, rt: Runtime, tenant: TenantConfig, service: ServiceConfig, now: number): Promise<Availability> {
  const key = `${tenant.id}/${service.id}`;
  const hit = rt.availability.get(key, now);
  if (hit) return hit;
  const value = await computeAvailability(q, rt, tenant, service, now);
  rt.availability.set(key, now, value);
  return value;
}

async function computeAvailability(q: Q, _rt: Runtime, tenant: TenantConfig, service: ServiceConfig, now: number): Promise<Availability> {
  const agentsById = await loadAgents(q, tenant);
  const available: string[] = [];
  let busy = 0;
  let onDuty = 0;
  for (const m of service.members) {
    const user = tenant.users.find((x) => x.id === m.userId);
    const agent = agentsById.get(m.userId);
    if (!user || !agent) continue;
    const ok = eligibility(user, agent, service, now);
    const reachable =
      agent.onDuty && agent.presence !== 'offline' && agent.activeServiceIds.includes(service.id) && user.licenses.includes('im');
    if (reachable) onDuty += 1;
    if (ok.allowed) available.push(user.id);
    else if (reachable) busy += 1;
  }
  return { counts: { available: available.length, busy, onDuty }, available };
}

/** 1-based position of a task among its service's waiting tasks. */
export async function queuePositionOf(q: Q, task: Task): Promise<number | undefined> {
  return queuePositions(await waitingTasks(q, task.tenantId, task.serviceId)).get(task.id);
}

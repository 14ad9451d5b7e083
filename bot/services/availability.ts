/** Availability figures for workflow checks and queue positions for customers. */
import { and, eq, inArray } from 'drizzle-orm';
import { eligibility } from '@stratus/shared/distribution/eligibility';
import { queuePositions } from '@stratus/shared/distribution/queue-position';
import type { Task } from '@stratus/shared/task/types';
import type { ServiceConfig, TenantConfig } from '@stratus/shared/tenant/model';
import type { Q } from '../store/db';
import { tasks } from '../store/schema';
import { loadAgents } from './agents';
import type { Runtime } from './runtime';

export interface Availability {
  counts: { available: number; busy: number; onDuty: number };
  available: string[];
}

/**
 * Availability is read by workflows on every new chat; with thousands of agents it is worth
 * remembering for a moment. An agent's own changes (duty, Active, RONA) clear it at once; other
 * changes (loads, another instance) show within CACHE_MS.
 */
const CACHE_MS = 1000;
/** Services remembered at most (one entry each; the oldest goes first past it). */
const CACHE_MAX = 10_000;

/** The cache behind availabilityOf, owned by the runtime (one per app, not per process). */
export class AvailabilityCache {
  private readonly byService = new Map<string, { at: number; value: Availability }>();

  get(key: string, now: number): Availability | undefined {
    const hit = this.byService.get(key);
    return hit && now - hit.at >= 0 && now - hit.at < CACHE_MS ? hit.value : undefined;
  }

  set(key: string, now: number, value: Availability): void {
    this.byService.delete(key);
    this.byService.set(key, { at: now, value });
    if (this.byService.size > CACHE_MAX) this.byService.delete(this.byService.keys().next().value as string);
  }

  /** An agent's own change (duty, Active, RONA): the tenant's figures are read again at once. */
  forget(tenantId: string): void {
    for (const k of this.byService.keys()) if (k.startsWith(`${tenantId}/`)) this.byService.delete(k);
  }
}

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
  const rows = await q
    .select({ data: tasks.data })
    .from(tasks)
    .where(and(eq(tasks.tenantId, task.tenantId), eq(tasks.serviceId, task.serviceId), inArray(tasks.state, ['queued', 'offered'])));
  return queuePositions(rows.map((r) => r.data as Task)).get(task.id);
}

/** Builders for tests and benchmarks: a service with N equal agents, tasks in a queue. */
import type { AgentRuntime } from '../distribution/agent';
import { createTask, enqueue } from '../task/transitions';
import type { Task } from '../task/types';
import { DEFAULT_DISTRIBUTION, type DistributionSettings, type Priority, type ServiceConfig, type UserConfig } from '../tenant/model';

export function user(id: string, over: Partial<UserConfig> = {}): UserConfig {
  return { id, upn: `${id}@contoso.com`, displayName: id.toUpperCase(), licenses: ['im'], presence: 'online', onDuty: true, ...over };
}

export function agent(userId: string, serviceIds: string[], over: Partial<AgentRuntime> = {}): AgentRuntime {
  return {
    userId,
    presence: 'online',
    inBlockingCall: false,
    onDuty: true,
    activeServiceIds: serviceIds,
    imLoad: 0,
    lastIdleAt: 0,
    ...over,
  };
}

export function service(id: string, memberIds: string[], dist: Partial<DistributionSettings> = {}): ServiceConfig {
  return {
    id,
    name: id.toUpperCase(),
    licenses: ['contactCenter', 'interact'],
    members: memberIds.map((userId) => ({ userId, active: true })),
    im: { enabled: true, workflowId: 'default-im', distribution: { ...DEFAULT_DISTRIBUTION, ...dist } },
    openingHours: { timeZone: 'UTC', weekly: [], exceptions: [] },
  };
}

/** A task already in the queue of `serviceId`, queued at `at`. */
export function queuedTask(id: string, serviceId: string, at: number, priority: Priority = 'normal'): Task {
  const t = createTask(
    { id, tenantId: 't1', conversationId: `c-${id}`, serviceId, channel: 'interact', customer: { displayName: 'C' }, priority },
    at,
  ).task;
  return enqueue(t, { maxQueueTimeSec: 3600 }, at).task;
}

/** Small deterministic PRNG (mulberry32) for simulations. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Live operations for supervisors (issue 15, first part: what is read). A tenant admin sees every
 * service of the tenant; a service's supervisors and owners see that service. Asking about a
 * service one does not supervise is 403, as is asking anything while supervising nothing.
 */
import type { ChatMessage } from '@stratus/shared/contract/api';
import { queuePositions } from '@stratus/shared/distribution/queue-position';
import type { SupervisedSession, SupervisorQueueTask } from '@stratus/shared/contract/supervisor';
import type { Task } from '@stratus/shared/task/types';
import { isAdmin, supervisedServices } from '../admin/roles';
import { forbidden, notFound } from '../errors';
import type { Runtime } from '../runtime/runtime';
import { getTask, tasksInStates } from '../store/repo';
import { firstCustomerMessages, listMessages, toChatMessage } from '../store/messages';
import { conversationLastSeqs } from '../store/supervisor';

export interface Viewer {
  tenantId: string;
  userId: string;
}

/** The services the viewer may watch, narrowed to `service` when one is asked for (403 otherwise). */
export function watchedServices(rt: Runtime, v: Viewer, service?: string): string[] {
  const tenant = rt.tenants.tenant(v.tenantId);
  const all = isAdmin(tenant, v.userId) ? (tenant?.services ?? []).map((s) => s.id) : supervisedServices(tenant, v.userId);
  if (all.length === 0) throw forbidden('Live operations are for service supervisors, owners and tenant admins.');
  if (service === undefined || service === '') return all;
  if (!all.includes(service)) throw forbidden('You do not supervise this service.');
  return [service];
}

/** The waiting tasks of the watched services, longest wait first within each service's order. */
export async function supervisorQueue(rt: Runtime, v: Viewer, service?: string): Promise<{ tasks: SupervisorQueueTask[] }> {
  const services = new Set(watchedServices(rt, v, service));
  const now = rt.clock.now();
  const rows = (await tasksInStates(rt.store.db, v.tenantId, ['workflow', 'queued', 'offered'])).map((r) => r.task);
  const mine = rows.filter((t) => services.has(t.serviceId));
  const positions = queuePositions(mine);
  const first = await firstCustomerMessages(
    rt.store.db,
    v.tenantId,
    mine.map((t) => t.conversationId),
  );
  const tasks: SupervisorQueueTask[] = mine.map((t) => {
    const firstMessage = first.get(t.conversationId);
    return {
      id: t.id,
      state: t.state as SupervisorQueueTask['state'],
      serviceId: t.serviceId,
      channel: t.channel,
      waitingSec: Math.max(0, Math.round((now - (t.queuedAt ?? t.createdAt)) / 1000)),
      ...(positions.has(t.id) ? { position: positions.get(t.id) } : {}),
      customer: { displayName: t.customer.displayName },
      ...(firstMessage !== undefined ? { firstMessage: firstMessage.slice(0, 500) } : {}),
      priority: t.priority,
      ...(t.state === 'offered' ? { offeredTo: t.offers.map((o) => o.userId) } : {}),
    };
  });
  tasks.sort((a, b) => a.serviceId.localeCompare(b.serviceId) || (a.position ?? 1e9) - (b.position ?? 1e9) || b.waitingSec - a.waitingSec);
  return { tasks };
}

/** The connected sessions of the watched services. */
export async function supervisorSessions(rt: Runtime, v: Viewer, service?: string): Promise<{ sessions: SupervisedSession[] }> {
  const services = new Set(watchedServices(rt, v, service));
  const rows = (await tasksInStates(rt.store.db, v.tenantId, ['connected'])).map((r) => r.task);
  const open = rows.filter((t): t is Task & { userId: string } => services.has(t.serviceId) && t.userId !== undefined);
  const seqs = await conversationLastSeqs(
    rt.store.db,
    open.map((t) => t.conversationId),
  );
  const sessions = open
    .filter((t): t is Task & { userId: string } => services.has(t.serviceId) && t.userId !== undefined)
    .map((t) => ({
      id: t.id,
      state: 'connected' as const,
      serviceId: t.serviceId,
      channel: t.channel,
      userId: t.userId,
      agentName: rt.tenants.user(t.tenantId, t.userId)?.displayName ?? t.userId,
      customer: { displayName: t.customer.displayName },
      startedAt: new Date(t.createdAt).toISOString(),
      ...(t.acceptedAt !== undefined ? { acceptedAt: new Date(t.acceptedAt).toISOString() } : {}),
      lastSeq: seqs.get(t.conversationId) ?? 0,
    }))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return { sessions };
}

/**
 * 404 for a task that does not exist, 403 for one of a service the viewer does not supervise (the
 * contract: 403 for anyone who supervises none of the services asked about; task ids are random,
 * so the difference tells nothing worth guessing for).
 */
export function requireWatched<T extends { serviceId: string }>(rt: Runtime, v: Viewer, task: T | undefined): asserts task is T {
  const services = watchedServices(rt, v);
  if (!task) throw notFound('No such chat.');
  if (!services.includes(task.serviceId)) throw forbidden('You do not supervise the service of this chat.');
}

/** The whole conversation of a session of a watched service (both sides), after `after`. */
export async function supervisorMessages(rt: Runtime, v: Viewer, taskId: string, after = 0): Promise<{ messages: ChatMessage[] }> {
  const row = await getTask(rt.store.db, v.tenantId, taskId);
  requireWatched(rt, v, row?.task);
  const rows = await listMessages(rt.store.db, v.tenantId, row.task.conversationId, after);
  return { messages: rows.map(toChatMessage) };
}

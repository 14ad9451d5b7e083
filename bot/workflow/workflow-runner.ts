/**
 * Drives a task's IM workflow: builds the engine's context from the store, calls the pure engine,
 * and carries out the effects it returns (messages, queueing, priority, transfer, timers, web
 * requests, ending) in the caller's transaction. The snapshot is stored on the task row, so a
 * restart resumes exactly where the workflow waited.
 */
import {
  resumeWorkflow,
  startWorkflow,
  wantsEvent,
  type EngineContext,
  type WorkflowEffect,
  type WorkflowEvent,
  type WorkflowSnapshot,
} from '@stratus/shared/workflow/engine';
import { createTask, endTask, enqueue, returnToWorkflow, setPriority } from '@stratus/shared/task/transitions';
import { closeSpan } from '@stratus/shared/task/span';
import type { EndedBy, Task, TaskEvent } from '@stratus/shared/task/types';
import type { ServiceConfig, TenantConfig } from '@stratus/shared/tenant/model';
import { BUILTIN_WORKFLOWS } from '@stratus/shared/tenant/validate';
import type { WorkflowDefinition } from '@stratus/shared/workflow/definition';
import { revisionConfig } from '../store/tenants';
import { cancelJob, scheduleJob } from '../scheduler/jobs';
import { availabilityOf, queuePositionOf } from '../availability/availability';
import { directChatLeftQueue, startDirectChat } from './direct-chat';
import { addMessage } from '../conversations/messages';
import { markConversationEnded, setCurrentTask, type Conversation } from '../store/repo';
import { saveTask, emitCustomerState } from '../tasks/task-store';
import type { Uow } from '../runtime/uow';
import { events } from '@stratus/shared/contract/events';
import { customerText } from '@stratus/shared/i18n/customer-texts';

/** The engine's system parameters for a task. */
export function systemParams(conv: Conversation, service: ServiceConfig | undefined): Record<string, string> {
  return {
    'Customer.DisplayName': conv.customer.displayName,
    'Customer.Email': conv.customer.email ?? '',
    'Customer.Phone': conv.customer.phone ?? '',
    Channel: conv.channel,
    'Service.Name': service?.name ?? '',
    'Service.Id': service?.id ?? '',
  };
}

function workflowOf(tenant: TenantConfig, service: ServiceConfig) {
  return tenant.workflows.find((w) => w.id === service.im.workflowId);
}

/**
 * The definition a running task follows: the one of the revision it started under. The live
 * revision's definition serves while it is the same; an edited one is read from that revision
 * (remembered), so a task never continues on nodes it did not start with.
 */
async function definitionOf(u: Uow, tenant: TenantConfig, snap: WorkflowSnapshot): Promise<WorkflowDefinition | undefined> {
  const live = tenant.workflows.find((w) => w.id === snap.workflowId);
  const liveRevision = u.rt.tenants.revision(tenant.id);
  if (snap.revision === undefined || snap.revision === liveRevision) return live;
  const key = `${tenant.id}/${snap.revision}/${snap.workflowId}`;
  const cached = u.rt.tenants.pastDefinitions.get(key);
  if (cached) return cached;
  const stored = await revisionConfig(u.tx, tenant.id, snap.revision);
  const def = stored?.workflows.find((w) => w.id === snap.workflowId) ?? BUILTIN_WORKFLOWS.find((w) => w.id === snap.workflowId) ?? live;
  if (def) u.rt.tenants.pastDefinitions.set(key, def);
  return def;
}

async function contextFor(u: Uow, tenant: TenantConfig, service: ServiceConfig, task: Task, conv: Conversation): Promise<EngineContext> {
  const availability = await availabilityOf(u.tx, u.rt, tenant, service, u.now);
  const position = task.state === 'queued' || task.state === 'offered' ? await queuePositionOf(u.tx, task) : undefined;
  return {
    now: u.now,
    service,
    tenant,
    availability: availability.counts,
    availableUsers: availability.available,
    queuePosition: position,
    taskState: task.state,
    ...(conv.language ? { language: conv.language } : {}),
  };
}

/**
 * Starts the service workflow for a new task (or, for a direct chat, queues it to the user)
 * and persists the task. The caller holds the conversation lock.
 */
export async function startTaskWorkflow(
  u: Uow,
  conv: Conversation,
  tenant: TenantConfig,
  service: ServiceConfig | undefined,
  taskInput: Parameters<typeof createTask>[0],
): Promise<Task> {
  const created = createTask(taskInput, u.now);
  const task = created.task;
  const events: TaskEvent[] = [...created.events];
  if (conv.currentTaskId !== task.id) {
    await setCurrentTask(u.tx, conv.id, task.id);
    conv.currentTaskId = task.id;
  }
  // Direct chat: no service workflow; the task waits for that one user (IM is non-blocking).
  if (!service) return startDirectChat(u, conv, tenant, task, events);
  const def = workflowOf(tenant, service);
  if (!def) {
    const ended = endTask(task, 'failed', 'system', u.now);
    await saveTask(u, ended.task, [...events, ...ended.events], undefined, true);
    await addMessage(u, conv, ended.task, { from: 'system', text: customerText(conv.language, 'serviceUnavailable') });
    await closeConversation(u, conv, ended.task);
    return ended.task;
  }
  // Stored with the first step's save, which every step makes: one insert with its state then,
  // one reporting write and one customer state (the context reads no task row).
  const ctx = await contextFor(u, tenant, service, task, conv);
  const step = startWorkflow(def, { params: systemParams(conv, service) }, ctx);
  step.snapshot.revision = u.rt.tenants.revision(tenant.id);
  return applyStep(u, conv, tenant, service, task, step.snapshot, step.effects, events);
}

/** Feeds an event to the task's workflow and carries out what it answers. */
export async function resumeTaskWorkflow(u: Uow, conv: Conversation, task: Task, snapshot: unknown, event: WorkflowEvent): Promise<Task> {
  const tenant = u.rt.tenants.tenant(task.tenantId);
  const service = tenant?.services.find((s) => s.id === task.serviceId);
  if (!tenant || !service || !snapshot) {
    // Direct chats have no workflow: leaving the queue ends the chat, the end of the connection the conversation.
    if (event.type === 'queueExit' && task.directUserId) return directChatLeftQueue(u, conv, task);
    if (event.type === 'queueExit') return task;
    if (event.type === 'customerLeft') await closeConversation(u, conv, task);
    return task;
  }
  const snap = snapshot as WorkflowSnapshot;
  const def = await definitionOf(u, tenant, snap);
  // Most events (a customer writing to an agent, a timer no longer awaited) change nothing: skip the context.
  if (def && def.id === snap.workflowId && !wantsEvent(snap, event)) return task;
  if (!def || def.id !== snap.workflowId) {
    const ended = task.state === 'ended' ? { task, events: [] } : endTask(task, 'failed', 'system', u.now);
    await saveTask(u, ended.task, ended.events, snapshot);
    await closeConversation(u, conv, ended.task);
    return ended.task;
  }
  const ctx = await contextFor(u, tenant, service, task, conv);
  const step = resumeWorkflow(def, snap, event, ctx);
  return applyStep(u, conv, tenant, service, task, step.snapshot, step.effects);
}

/** Guards against a workflow bouncing between queue exits forever within one call. */
const MAX_REENTRIES = 20;

async function applyStep(
  u: Uow,
  conv: Conversation,
  tenant: TenantConfig,
  service: ServiceConfig,
  task0: Task,
  snapshot0: WorkflowSnapshot,
  effects0: WorkflowEffect[],
  /** A new task, not stored yet: its creation's events, saved (and the row inserted) with the first step's. */
  created?: TaskEvent[],
): Promise<Task> {
  let task = task0;
  let snapshot = snapshot0;
  let effects = effects0;
  let unsaved = created !== undefined;
  // `conv` is locked (or inserted) by the caller and kept current here: its state is not read again.
  const save = async (t: Task, events: TaskEvent[]) => {
    const isNew = unsaved;
    unsaved = false;
    await saveTask(u, t, events, snapshot, isNew, conv);
  };
  for (let round = 0; round < MAX_REENTRIES; round++) {
    const events: TaskEvent[] = round === 0 ? [...(created ?? [])] : [];
    let followUp: WorkflowEvent | undefined;
    let closeAfter = false;
    for (const fx of effects) {
      switch (fx.type) {
        case 'sendMessage':
          if (conv.open) await addMessage(u, conv, task, { from: 'system', text: fx.text, author: service.name });
          break;
        case 'accept':
          break;
        case 'enterQueue': {
          if (task.state !== 'workflow') break;
          const dist = service.im.distribution;
          const r = enqueue(task, { priority: fx.priority, maxQueueTimeSec: fx.maxQueueTimeSec ?? dist.maxQueueTimeSec }, u.now);
          task = {
            ...r.task,
            distribution: { type: fx.distributionType ?? dist.type, offerTimeoutSec: fx.offerTimeoutSec ?? dist.offerTimeoutSec },
          };
          events.push(...r.events);
          const availability = await availabilityOf(u.tx, u.rt, tenant, service, u.now);
          if (availability.counts.onDuty === 0) {
            const back = returnToWorkflow(task, 'nobodyEligible', u.now);
            task = back.task;
            events.push(...back.events);
            followUp = { type: 'queueExit', exit: 'nobodyEligible' };
          }
          break;
        }
        case 'setPriority':
          if (task.state === 'queued' || task.state === 'offered' || task.state === 'workflow') {
            const r = setPriority(task, fx.priority, u.now);
            task = r.task;
            events.push(...r.events);
          }
          break;
        case 'cancelQueue':
          if (task.state === 'queued' || task.state === 'offered') {
            const r = returnToWorkflow(task, 'cancelled', u.now);
            task = r.task;
            events.push(...r.events);
          }
          break;
        case 'transfer': {
          const target = tenant.services.find((s) => s.id === fx.serviceId);
          if (task.state !== 'ended') {
            const r = endTask(task, 'transferred', 'workflow', u.now, fx.serviceId);
            task = r.task;
            events.push(...r.events);
          }
          await save(task, events);
          events.length = 0;
          if (target) {
            await addMessage(u, conv, task, { from: 'system', text: customerText(conv.language, 'transferred', { service: target.name }) });
            task = await closeTaskSpan(u, conv, task, snapshot);
            await startTaskWorkflow(u, conv, tenant, target, transferInput(u, task, target.id));
            return task;
          }
          closeAfter = true;
          break;
        }
        case 'schedule':
          await scheduleJob(u.tx, {
            tenantId: task.tenantId,
            kind: 'workflowTimer',
            ref: task.id,
            payload: { taskId: task.id, at: fx.at },
            dueAt: fx.at,
          });
          // A timer due later is claimed by the scheduler's own tick; only one due now needs a wake.
          if (fx.at <= u.now) u.wake();
          break;
        case 'webRequest':
          await scheduleJob(u.tx, {
            tenantId: task.tenantId,
            kind: 'webRequest',
            ref: `${task.id}/${fx.requestId}`,
            payload: { taskId: task.id, request: fx },
            dueAt: u.now,
          });
          u.wake();
          break;
        case 'setParameter':
          break;
        case 'end': {
          if (task.state !== 'ended') {
            const r = endTask(task, fx.outcome, 'workflow', u.now);
            task = r.task;
            events.push(...r.events);
          }
          if (fx.disconnect) closeAfter = true;
          break;
        }
      }
    }
    await save(task, events);
    // A connected or finished workflow awaits no timer: drop the pending one instead of waking for nothing.
    if (snapshot.status === 'ended' || snapshot.wait?.kind === 'connected') await cancelJob(u.tx, 'workflowTimer', task.id);
    if (closeAfter || (snapshot.status === 'ended' && conv.currentTaskId === task.id)) {
      if (task.state !== 'ended') {
        const r = endTask(task, snapshot.unserved ?? 'handled', 'workflow', u.now);
        task = r.task;
        await save(task, r.events);
      }
      await closeConversation(u, conv, task);
      return task;
    }
    if (!followUp) return task;
    const ctx = await contextFor(u, tenant, service, task, conv);
    const step = resumeWorkflow(workflowOf(tenant, service)!, snapshot, followUp, ctx);
    snapshot = step.snapshot;
    effects = step.effects;
  }
  u.rt.log.error('workflow re-entered too often; failing the task', { taskId: task.id });
  const r = endTask(task, 'failed', 'system', u.now);
  await save(r.task, r.events);
  await closeConversation(u, conv, r.task);
  return r.task;
}

function transferInput(u: Uow, from: Task, serviceId: string): Parameters<typeof createTask>[0] {
  return {
    id: u.rt.ids.next('task'),
    tenantId: from.tenantId,
    conversationId: from.conversationId,
    serviceId,
    channel: from.channel,
    customer: from.customer,
    priority: from.priority,
    transferredFrom: from.id,
  };
}

/** Transfers a task to another service (agent action or workflow): the session ends as transferred. */
export async function transferTask(
  u: Uow,
  conv: Conversation,
  task: Task,
  snapshot: unknown,
  target: ServiceConfig,
  by: EndedBy = task.state === 'connected' ? 'agent' : 'workflow',
): Promise<Task> {
  const tenant = u.rt.tenants.tenant(task.tenantId);
  if (!tenant) return task;
  const r = endTask(task, 'transferred', by, u.now, target.id);
  await saveTask(u, r.task, r.events, snapshot);
  await addMessage(u, conv, r.task, { from: 'system', text: customerText(conv.language, 'transferred', { service: target.name }) });
  await closeTaskSpan(u, conv, r.task, snapshot);
  return startTaskWorkflow(u, conv, tenant, target, transferInput(u, r.task, target.id));
}

/**
 * The conversation moves on to another task (after the transfer notice): the task's agents read
 * no further, so its span ends at the conversation's last seq.
 */
async function closeTaskSpan(u: Uow, conv: Conversation, task: Task, snapshot: unknown): Promise<Task> {
  const closed = closeSpan(task, conv.lastSeq);
  await saveTask(u, closed, [], snapshot);
  return closed;
}

/** Ends the conversation: the customer sees `ended` and can write no more. */
export async function closeConversation(u: Uow, conv: Conversation, task: Task | undefined): Promise<void> {
  if (!conv.open) return;
  conv.open = false;
  await markConversationEnded(u.tx, conv.tenantId, conv.id, u.now);
  u.emit(events.customerState(conv.tenantId, conv.id, { state: 'ended' }));
  if (task) await emitCustomerState(u, task, conv);
}

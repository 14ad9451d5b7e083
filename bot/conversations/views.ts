/** Presenting domain state to the tab and the customer (contract types of shared/contract/api.ts). */
import type { AgentSession, CustomerChatState, OfferClosed, WrapUp } from '@stratus/shared/contract/api';
import { spanLastSeq } from '@stratus/shared/task/span';
import type { EndedBy, Task } from '@stratus/shared/task/types';
import type { TenantRegistry } from '../tenants/registry';

/** Parameters the workflow collected, without the system ones (Customer.*, Service.*, ...). */
export function collectedParameters(workflow: unknown): Record<string, string> {
  const params = (workflow as { params?: Record<string, unknown> } | undefined)?.params ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (/^(Customer|Service|Queue|Channel|Time|Task|System)\b/.test(k)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

export type { OfferClosed };

/** The session as one agent sees it. */
export function toAgentSession(
  tenants: TenantRegistry,
  task: Task,
  workflow: unknown,
  forUserId: string,
  extra: {
    firstMessage?: string;
    lastSeq: number;
    offerClosed?: OfferClosed;
    customerReadSeq?: number;
    /** A customer message waiting for this agent's answer (connected sessions). */
    unanswered?: AgentSession['unanswered'];
    /** The after-chat work of an ended session this agent handled. */
    wrapUp?: WrapUp;
    /** How the task ended (its `ended` event or reporting session): who ended it, and the service a transfer went to. */
    ended?: { by?: EndedBy | string; transferredTo?: string };
  },
): AgentSession {
  const offer = task.offers.find((o) => o.userId === forUserId);
  const mine = task.userId === forUserId;
  const state: AgentSession['state'] =
    offer && task.state === 'offered' ? 'offered' : mine && task.state === 'connected' ? 'connected' : 'ended';
  const service = tenants.service(task.tenantId, task.serviceId);
  const direct = Boolean(task.directUserId);
  return {
    id: task.id,
    state,
    serviceId: task.serviceId,
    serviceName: direct ? 'Direct chat' : (service?.name ?? task.serviceId),
    channel: task.channel,
    direct,
    customer: { ...task.customer },
    parameters: collectedParameters(workflow),
    ...(extra.firstMessage !== undefined ? { firstMessage: extra.firstMessage } : {}),
    createdAt: new Date(task.createdAt).toISOString(),
    ...(offer ? { offerExpiresAt: new Date(offer.expiresAt).toISOString() } : {}),
    ...(task.acceptedAt && mine ? { acceptedAt: new Date(task.acceptedAt).toISOString() } : {}),
    ...(task.endedAt && mine ? { endedAt: new Date(task.endedAt).toISOString() } : {}),
    ...(task.outcome && mine ? { outcome: task.outcome } : {}),
    ...(extra.offerClosed && !mine ? { offerClosed: extra.offerClosed } : {}),
    ...(state === 'ended' && !mine && !extra.offerClosed ? { offerClosed: 'cancelled' as const } : {}),
    // A transferred task's agents read no further than its span: no unread count from later messages.
    lastSeq: spanLastSeq(task, extra.lastSeq),
    // Read marks past a transferred task's span belong to the next agent's messages.
    ...(extra.customerReadSeq ? { customerReadSeq: Math.min(extra.customerReadSeq, spanLastSeq(task, extra.lastSeq)) } : {}),
    ...(extra.unanswered && mine && state === 'connected' ? { unanswered: extra.unanswered } : {}),
    ...(extra.wrapUp && mine && state === 'ended' ? { wrapUp: extra.wrapUp } : {}),
    ...(mine && state === 'ended' ? endedFields(tenants, task, extra.ended) : {}),
  };
}

const ENDED_BY: readonly EndedBy[] = ['customer', 'agent', 'workflow', 'system', 'supervisor'];

/** `endedBy` and `transferredTo` of an ended session (the reporting session keeps `by` as a plain string). */
function endedFields(
  tenants: TenantRegistry,
  task: Task,
  ended: { by?: EndedBy | string; transferredTo?: string } | undefined,
): Pick<AgentSession, 'endedBy' | 'transferredTo' | 'supervisor'> {
  const by = ENDED_BY.find((b) => b === ended?.by);
  if (task.supervisor) {
    const name = tenants.user(task.tenantId, task.supervisor.userId)?.displayName ?? 'a supervisor';
    return { endedBy: 'supervisor', supervisor: { userId: task.supervisor.userId, displayName: name, action: task.supervisor.action } };
  }
  const to = task.outcome === 'transferred' ? ended?.transferredTo : undefined;
  return {
    ...(by ? { endedBy: by } : {}),
    ...(to ? { transferredTo: { serviceId: to, serviceName: tenants.service(task.tenantId, to)?.name ?? to } } : {}),
  };
}

/** The state the customer sees for the conversation's current task. */
export function customerState(task: Task | undefined, conversationOpen: boolean): CustomerChatState {
  if (!conversationOpen) return 'ended';
  switch (task?.state) {
    case undefined:
    case 'workflow':
      return 'workflow';
    case 'queued':
    case 'offered':
      return 'queued';
    case 'connected':
      return 'connected';
    case 'ended':
      return 'workflow';
  }
}

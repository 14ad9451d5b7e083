/**
 * Customer-side use cases, shared by every channel: start a conversation, post a message, end it.
 * Channel adapters (Interact, WhatsApp) authenticate and parse; these decide and store.
 */
import { estimateWaitSec } from '@stratus/shared/distribution/queue-position';
import type { ChatMessage, CustomerStatus } from '@stratus/shared/contract/api';
import { endTask } from '@stratus/shared/task/transitions';
import type { Customer, Task } from '@stratus/shared/task/types';
import type { ChannelKind, InteractLanguage, ServiceConfig, TenantConfig, UserConfig } from '@stratus/shared/tenant/model';
import { customerText } from '@stratus/shared/i18n/customer-texts';
import { AppError, conflict, notFound, unavailable } from '../errors';
import { waitHistory } from '../store/service-state';
import { addMessage } from '../conversations/messages';
import { advanceCustomerReadSeq, conversationSeqs, getConversation, getTask, insertConversation, type Conversation } from '../store/repo';
import { lockConversation, lockConversationAndCurrentTask, lockTask } from '../store/locks';
import { listMessages, type MessageRow, toChatMessage } from '../store/messages';
import type { Runtime } from '../runtime/runtime';
import type { AppendRow } from '../store/append-lane';
import { saveTask } from '../tasks/task-store';
import { customerState } from '../conversations/views';
import { queuePositionOf } from '../availability/availability';
import { events } from '@stratus/shared/contract/events';
import { inBatch, inTx, type Uow } from '../runtime/uow';
import { customerRating } from './csat';
import { closeConversation, resumeTaskWorkflow, startTaskWorkflow } from '../workflow/workflow-runner';

export interface StartInput {
  tenant: TenantConfig;
  /** The service reached, or the user reached directly. */
  target: { kind: 'service'; service: ServiceConfig } | { kind: 'user'; user: UserConfig };
  channel: ChannelKind;
  entry: string;
  address?: string;
  customer: Customer;
  tokenHash?: string;
  firstMessage?: { text: string; clientMessageId?: string; externalId?: string };
  /** The customer's language when their client said it (validated: en, de, fr). */
  language?: InteractLanguage;
}

/** Creates the conversation and its first task, and starts the service workflow. */
export async function startConversation(
  rt: Runtime,
  input: StartInput,
): Promise<{ conversation: Conversation; task: Task; firstMessage?: ChatMessage }> {
  // In a group commit with other starts (a burst of customers); alone when nothing else is starting.
  return inBatch(
    rt,
    async (u) => {
      const id = rt.ids.next('chat');
      // The task's id is drawn first so the conversation is inserted already pointing at it.
      const taskId = rt.ids.next('task');
      const first = input.firstMessage;
      const inserted = await insertConversation(
        u.tx,
        {
          id,
          currentTaskId: taskId,
          tenantId: input.tenant.id,
          channel: input.channel,
          entry: input.entry,
          address: input.address,
          customer: input.customer,
          tokenHash: input.tokenHash,
          directUserId: input.target.kind === 'user' ? input.target.user.id : undefined,
          language: input.language,
          now: u.now,
        },
        first && {
          id: rt.ids.next('msg'),
          text: first.text,
          author: input.customer.displayName,
          clientMessageId: first.clientMessageId,
          externalId: first.externalId,
        },
      );
      const conv = inserted.conv;
      // The first message is stored with the conversation; it goes out like any other (addMessage).
      const firstMessage = inserted.first && toChatMessage(inserted.first);
      if (firstMessage) u.emit(events.message(conv.tenantId, conv.id, firstMessage, undefined));
      const service = input.target.kind === 'service' ? input.target.service : undefined;
      const task = await startTaskWorkflow(u, conv, input.tenant, service, {
        id: taskId,
        tenantId: input.tenant.id,
        conversationId: conv.id,
        serviceId: service ? service.id : `direct:${(input.target as { user: UserConfig }).user.id}`,
        channel: input.channel,
        customer: input.customer,
        priority: service?.im.distribution.defaultPriority ?? 'normal',
        ...(input.target.kind === 'user' ? { directUserId: input.target.user.id } : {}),
      });
      return { conversation: conv, task, firstMessage };
    },
    'starts',
  );
}

/** The customer writes: stored once per client message id, relayed, and fed to a waiting workflow. */
export async function postCustomerMessage(
  rt: Runtime,
  tenantId: string,
  conversationId: string,
  m: { text: string; clientMessageId?: string; externalId?: string },
): Promise<{ message: ChatMessage; duplicate: boolean }> {
  if (m.externalId === undefined) {
    const fast = await appendCustomerMessage(rt, tenantId, conversationId, m.text, m.clientMessageId);
    if (fast) return fast;
  }
  return storeCustomerMessage(rt, tenantId, conversationId, m);
}

/**
 * The general path of a customer message (a duplicate, an ended chat, a workflow waiting for the
 * answer, a WhatsApp or SMS message with its provider id): the same rows and events as the hot
 * path's one call (the parity test holds them to it), in a group commit with other writes.
 */
export async function storeCustomerMessage(
  rt: Runtime,
  tenantId: string,
  conversationId: string,
  m: { text: string; clientMessageId?: string; externalId?: string },
): Promise<{ message: ChatMessage; duplicate: boolean }> {
  return inBatch(rt, async (u) => {
    const locked = await lockConversationAndCurrentTask(u.tx, tenantId, conversationId);
    if (!locked) throw notFound('No such chat.');
    const { conv, row } = locked;
    if (!conv.open) throw conflict('chat_ended', 'This chat has ended; start a new one to write again.');
    const r = await addMessage(u, conv, row?.task, {
      from: 'customer',
      text: m.text,
      author: conv.customer.displayName,
      clientMessageId: m.clientMessageId,
      externalId: m.externalId,
    });
    if (!r.duplicate && row && row.task.state !== 'connected' && row.task.state !== 'ended' && row.workflow) {
      await resumeTaskWorkflow(u, conv, row.task, row.workflow, { type: 'customerMessage', text: m.text });
    }
    return r;
  });
}

/**
 * The hot path of a chat: a customer message to a connected agent (or to a task whose workflow
 * does not wait for it) as one call of `stratus_append_customer_message` (migration 0002): lock
 * the conversation, draw the next sequence number, store the message once per client message id,
 * and write its `message` event (the same one `events.message` makes) under the outbox lock,
 * atomically, in one trip on either store (Store.call). Messages that arrive together go in one
 * call and one commit (rt.appends, store/append-lane.ts). The Teams relay takes its copy from the
 * outbox like every other subscriber. Anything else (a duplicate, an ended chat, a workflow waiting
 * for an answer) writes nothing and answers undefined; the general path handles it.
 */
async function appendCustomerMessage(
  rt: Runtime,
  tenantId: string,
  conversationId: string,
  text: string,
  clientMessageId: string | undefined,
): Promise<{ message: ChatMessage; duplicate: boolean } | undefined> {
  const id = rt.ids.next('msg');
  const now = rt.clock.now();
  const at = new Date(now).toISOString();
  const base = JSON.stringify({ id, from: 'customer', text, at, ...(clientMessageId ? { clientMessageId } : {}) });
  const params = [tenantId, conversationId, id, text, clientMessageId ?? null, String(now), base] as const;
  let row: AppendRow | undefined;
  try {
    row = await rt.appends.append(params);
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (!(await rt.store.ping())) throw unavailable();
    throw e;
  }
  if (!row) return undefined;
  const [seq, author, taskId, taskState, userId, eventId] = row;
  const message: ChatMessage = {
    id,
    seq: Number(seq),
    from: 'customer',
    text,
    at,
    ...(author ? { author } : {}),
    ...(clientMessageId ? { clientMessageId } : {}),
  };
  const agentId = taskState === 'connected' || taskState === 'ended' ? (userId ?? undefined) : undefined;
  const event = events.message(tenantId, conversationId, message, taskId ? { id: taskId, agentId } : undefined);
  rt.bus.publishedAll([{ ...event, id: Number(eventId), createdAt: now }]);
  return { message, duplicate: false };
}

/** The customer leaves: a waiting task is abandoned (no further offers), a connected one handled. */
export async function endByCustomer(rt: Runtime, tenantId: string, conversationId: string): Promise<void> {
  await inTx(rt, async (u) => {
    const conv = await lockConversation(u.tx, tenantId, conversationId);
    if (!conv) throw notFound('No such chat.');
    if (!conv.open) return;
    await customerLeft(u, conv);
  });
}

/**
 * A WhatsApp or SMS customer sent one of the service's end keywords: the keyword is kept as their
 * message (the agent sees why the chat ended), they get a short confirmation in place of the
 * "left the chat" line, and the chat ends as the widget's End ends it. Never fed to a workflow.
 */
export async function endByKeyword(
  rt: Runtime,
  tenantId: string,
  conversationId: string,
  m: { text: string; externalId?: string },
): Promise<void> {
  await inTx(rt, async (u) => {
    const locked = await lockConversationAndCurrentTask(u.tx, tenantId, conversationId);
    if (!locked) throw notFound('No such chat.');
    const { conv, row } = locked;
    if (!conv.open) throw conflict('chat_ended', 'This chat has ended; start a new one to write again.');
    await addMessage(u, conv, row?.task, { from: 'customer', text: m.text, author: conv.customer.displayName, externalId: m.externalId });
    await customerLeft(u, conv, customerText(conv.language, 'endedByKeyword'));
  });
}

/**
 * The customer leaves (the widget's End, a WhatsApp or SMS end keyword): the task ends as theirs,
 * the conversation closes. `notice` replaces the "left the chat" line (the keyword's confirmation).
 */
export async function customerLeft(u: Uow, conv: Conversation, notice?: string): Promise<void> {
  const row = conv.currentTaskId ? await lockTask(u.tx, conv.tenantId, conv.currentTaskId) : undefined;
  await addMessage(u, conv, row?.task, {
    from: 'system',
    text: notice ?? customerText(conv.language, 'customerLeft', { customer: conv.customer.displayName }),
  });
  if (row && row.task.state !== 'ended') {
    const outcome = row.task.state === 'connected' ? 'handled' : 'abandoned';
    const r = endTask(row.task, outcome, 'customer', u.now);
    await saveTask(u, r.task, r.events, row.workflow);
    row.task = r.task;
  }
  await closeConversation(u, conv, row?.task);
  if (row?.workflow) await resumeTaskWorkflow(u, { ...conv, open: false }, row.task, row.workflow, { type: 'customerLeft' });
}

/** What the customer's page shows on load (and after a reconnect). */
export async function chatStatus(rt: Runtime, conv: Conversation): Promise<CustomerStatus & { chatId: string }> {
  const row = conv.currentTaskId ? await getTask(rt.store.db, conv.tenantId, conv.currentTaskId) : undefined;
  const state = customerState(row?.task, conv.open);
  const out: CustomerStatus & { chatId: string } = { chatId: conv.id, state };
  if (state === 'queued' && row) {
    const position = await queuePositionOf(rt.store.db, row.task);
    if (position !== undefined) {
      out.position = position;
      const history = await waitHistory(rt.store.db, conv.tenantId, row.task.serviceId);
      const estimate = estimateWaitSec(position, history, rt.clock.now());
      if (estimate !== undefined) out.estimatedWaitSec = estimate;
    }
  }
  if (state === 'connected' && row?.task.userId) {
    const agent = rt.tenants.user(conv.tenantId, row.task.userId);
    if (agent) out.agentName = agent.displayName;
  }
  if (state === 'ended') {
    const rating = await customerRating(rt, conv);
    if (rating) out.rating = rating;
  }
  return out;
}

/**
 * The customer is typing: the connected agent of the conversation hears it (tab stream, Teams).
 * Nothing is stored but the event (it crosses instances through the outbox like any other); the
 * caller rate-limits it. True when an agent was told.
 */
export async function customerTyping(rt: Runtime, tenantId: string, conversationId: string): Promise<boolean> {
  const conv = await getConversation(rt.store.db, tenantId, conversationId);
  if (!conv?.open || !conv.currentTaskId) return false;
  const row = await getTask(rt.store.db, tenantId, conv.currentTaskId);
  const userId = row?.task.state === 'connected' ? row.task.userId : undefined;
  if (!userId) return false;
  await inTx(rt, async (u) => u.emit(events.customerTyping(tenantId, userId, row!.task.id)));
  return true;
}

/**
 * The customer has seen the conversation up to `seq`: the read mark only rises and never passes
 * the last message (a larger seq is clamped to it). The session's agent is told only when the
 * mark moved, so repeated reports cost one conditional update and no event. Answers the mark.
 */
export async function customerRead(rt: Runtime, tenantId: string, conversationId: string, seq: number): Promise<number> {
  return inTx(rt, async (u) => {
    const moved = await advanceCustomerReadSeq(u.tx, tenantId, conversationId, seq);
    if (!moved) return (await conversationSeqs(u.tx, conversationId)).customerReadSeq;
    const row = moved.currentTaskId ? await getTask(u.tx, tenantId, moved.currentTaskId) : undefined;
    const task = row?.task;
    if (task?.userId && (task.state === 'connected' || task.state === 'ended'))
      u.emit(events.customerRead(tenantId, task.userId, task.id, moved.readSeq));
    return moved.readSeq;
  });
}

/** Most messages a transcript holds (a chat longer than that is cut, and says so). */
export const MAX_TRANSCRIPT_MESSAGES = 5000;

/**
 * The conversation as plain text for the customer to keep: one line per message, `[time] Name:
 * text`, system messages included, times in UTC. Continuation lines of a multi-line message are
 * indented, so no message can forge a line that looks like another speaker's.
 */
export async function customerTranscript(rt: Runtime, conv: Conversation): Promise<{ filename: string; text: string }> {
  const rows: MessageRow[] = [];
  for (let after = 0; rows.length < MAX_TRANSCRIPT_MESSAGES;) {
    const page = await listMessages(rt.store.db, conv.tenantId, conv.id, after, 500);
    rows.push(...page);
    if (page.length < 500) break;
    after = page[page.length - 1]!.seq;
  }
  const lines = rows.slice(0, MAX_TRANSCRIPT_MESSAGES).map((r) => transcriptLine(conv, r));
  if (rows.length >= MAX_TRANSCRIPT_MESSAGES) lines.push(`… (${MAX_TRANSCRIPT_MESSAGES} messages shown)`);
  const day = new Date(conv.createdAt).toISOString().slice(0, 10);
  return { filename: `chat-${day}.txt`, text: `${lines.join('\r\n')}\r\n` };
}

const SPEAKER_FALLBACK: Record<InteractLanguage, { customer: string; agent: string; system: string }> = {
  en: { customer: 'You', agent: 'Agent', system: 'System' },
  de: { customer: 'Sie', agent: 'Mitarbeiter', system: 'System' },
  fr: { customer: 'Vous', agent: 'Conseiller', system: 'Système' },
};

function transcriptLine(conv: Conversation, r: MessageRow): string {
  const m = toChatMessage(r);
  const fallback = SPEAKER_FALLBACK[conv.language ?? 'en'];
  const name = m.from === 'customer' ? (m.author ?? conv.customer.displayName) : (m.author ?? fallback[m.from]);
  const time = m.at.slice(0, 16).replace('T', ' ');
  return `[${time} UTC] ${oneLine(name)}: ${m.text.replace(/\r\n?|\n/g, '\r\n    ')}`;
}

/** A name stays on its line. */
function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

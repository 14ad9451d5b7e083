/**
 * Adding a message to a conversation: stored with the next sequence number and fanned out to the
 * customer and to the connected agent (the Teams relay takes its copy from the events), with
 * delivery jobs for channels that push (WhatsApp, SMS). Idempotent by client message id.
 */
import type { ChatMessage } from '@stratus/shared/contract/api';
import type { Task } from '@stratus/shared/task/types';
import { scheduleJob } from '../scheduler/jobs';
import { type Conversation } from '../store/repo';
import { findMessageByClientId, insertMessage, toChatMessage, type NewMessage } from '../store/messages';
import type { Uow } from '../runtime/uow';
import { events } from '@stratus/shared/contract/events';

/** Channels whose customer messages are pushed by a job (Interact customers read the socket). */
const pushChannels = new Set(['whatsapp', 'sms']);

/**
 * Appends a message; the caller holds the conversation lock. Returns the stored message and
 * whether it already existed (a retried post with the same client message id).
 */
export async function addMessage(
  u: Uow,
  conv: Conversation,
  task: Task | undefined,
  m: NewMessage,
): Promise<{ message: ChatMessage; duplicate: boolean }> {
  const toCustomerChannel = m.from !== 'customer' && pushChannels.has(conv.channel);
  const row = await insertMessage(u.tx, conv, {
    id: u.rt.ids.next('msg'),
    from: m.from,
    text: m.text,
    author: m.author,
    authorUserId: m.authorUserId,
    clientMessageId: m.clientMessageId,
    externalId: m.externalId,
    deliveryState: toCustomerChannel ? 'queued' : undefined,
    now: u.now,
  });
  if (!row) {
    const existing = await findMessageByClientId(u.tx, conv.id, m.from, m.clientMessageId ?? '');
    if (!existing) throw new Error(`message ${m.clientMessageId} conflicted but cannot be found`);
    return { message: toChatMessage(existing), duplicate: true };
  }
  const message = toChatMessage(row);
  const agentId = task && (task.state === 'connected' || task.state === 'ended') ? task.userId : undefined;
  u.emit(events.message(conv.tenantId, conv.id, message, task ? { id: task.id, agentId } : undefined));
  if (toCustomerChannel) {
    await scheduleJob(u.tx, {
      tenantId: conv.tenantId,
      kind: 'channelSend',
      ref: row.id,
      payload: { conversationId: conv.id, messageId: row.id },
      dueAt: u.now,
    });
    u.wake();
  }
  return { message, duplicate: false };
}

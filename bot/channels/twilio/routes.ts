/**
 * Twilio webhooks for WhatsApp and SMS. The controller verifies and acknowledges; the chat use
 * cases store. A message is acknowledged (200) only after it is committed, so Twilio retries
 * anything we did not save; a retried MessageSid is stored once (unique in the database).
 */
import twilio from 'twilio';
import { mayServiceUseChannel } from '@stratus/shared/licensing/service';
import type { ChannelKind, TenantConfig } from '@stratus/shared/tenant/model';
import type { DeliveryState } from '@stratus/shared/contract/api';
import { forbidden, notFound } from '../../errors';
import { handle, type Request, type Server } from '../../http/server';
import { stripControlChars } from '../../http/text';
import { endByKeyword, postCustomerMessage, startConversation } from '../../customers/customer-actions';
import { answerRatingQuestion } from '../../customers/csat';
import { addMessage } from '../../conversations/messages';
import { getConversationById, openConversationAt } from '../../store/repo';
import { lockConversation, lockTask } from '../../store/locks';
import { lockMessageBySid, setDelivery, toChatMessage } from '../../store/messages';
import type { Runtime } from '../../runtime/runtime';
import { inTx } from '../../runtime/uow';
import { normalizeAddress } from '../../tenants/registry';
import { events } from '@stratus/shared/contract/events';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
export const ATTACHMENT_REPLY = 'Sorry, attachments are not supported yet. Please describe it in a text message.';

/** Rank of delivery states: an update only moves forward (a late `sent` never overwrites `read`). */
const RANK: Record<DeliveryState, number> = { queued: 0, sent: 1, delivered: 2, undelivered: 3, failed: 3, read: 4 };
const TWILIO_STATES: Record<string, DeliveryState | undefined> = {
  accepted: 'queued',
  queued: 'queued',
  sending: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  undelivered: 'undelivered',
};

function form(req: Request): Record<string, string> {
  const b = req.body as unknown;
  if (!b || typeof b !== 'object' || Buffer.isBuffer(b)) return {};
  return Object.fromEntries(Object.entries(b as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v)]));
}

/**
 * The form with control characters removed from every field, after the signature was checked
 * over what Twilio sent: a NUL cannot be stored (PostgreSQL) and Twilio would retry the same
 * message for ever if we refused it, so the customer's text is kept without it.
 */
function clean(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, stripControlChars(v)]));
}

/** Verifies X-Twilio-Signature over PUBLIC_BASE_URL + path and every field Twilio sent. */
function verify(rt: Runtime, req: Request, tenant: TenantConfig, params: Record<string, string>): void {
  const sig = req.header('x-twilio-signature');
  const token = tenant.twilio?.authToken;
  const url = rt.config.publicBaseUrl + (req.url ?? req.path());
  if (!sig || !token || !twilio.validateRequest(token, sig, url, params))
    throw forbidden('The Twilio signature is missing or wrong.', 'bad_signature');
  if (params.AccountSid && params.AccountSid !== tenant.twilio?.accountSid)
    throw forbidden('This Twilio account is not configured.', 'bad_signature');
}

function isUniqueViolation(e: unknown): boolean {
  const x = e as { code?: string; cause?: { code?: string } };
  return x?.code === '23505' || x?.cause?.code === '23505';
}

export function registerWhatsAppRoutes(server: Server, rt: Runtime, isUp: () => Promise<boolean>): void {
  const h = (fn: Parameters<typeof handle>[2]) => handle(rt.log, isUp, fn);
  const twiml = { headers: { 'Content-Type': 'text/xml' }, body: EMPTY_TWIML };

  server.post(
    '/api/whatsapp/inbound',
    h(async (req) => {
      const signed = form(req);
      const found = rt.tenants.sender(signed.To ?? '');
      if (!found) throw notFound('No service answers at this number.');
      const { tenant, service } = found;
      verify(rt, req, tenant, signed);
      const p = clean(signed);
      const channel: ChannelKind = /^whatsapp:/i.test(p.To ?? '') ? 'whatsapp' : 'sms';
      if (channel === 'sms' && !service.im.whatsapp?.sms) throw notFound('This service does not take SMS.');
      if (!service.im.enabled || !mayServiceUseChannel(service, channel).allowed) throw notFound('No service answers at this number.');
      const from = p.From ?? '';
      const sid = p.MessageSid ?? p.SmsMessageSid ?? '';
      if (!from || !sid) throw forbidden('From and MessageSid are required.', 'invalid_request');
      const numMedia = Number(p.NumMedia ?? '0') || 0;
      const mediaTypes = Array.from({ length: Math.min(numMedia, 10) }, (_, i) => p[`MediaContentType${i}`] ?? 'file');
      const body = (p.Body ?? '').trim();
      const text = body || (numMedia > 0 ? `[${mediaTypes.join(', ')}]` : '');
      if (!text) return twiml;
      const address = `${channel === 'whatsapp' ? 'whatsapp:' : ''}${normalizeAddress(from)}`;
      try {
        const open = await openConversationAt(rt.store.db, tenant.id, channel, address);
        let conversationId: string;
        if (open && isEndKeyword(body, service.im.chat?.endKeywords)) {
          conversationId = open.id;
          await endByKeyword(rt, tenant.id, open.id, { text, externalId: sid });
        } else if (open) {
          conversationId = open.id;
          await postCustomerMessage(rt, tenant.id, open.id, { text, externalId: sid });
        } else if (numMedia === 0 && (await answerRatingQuestion(rt, tenant.id, channel, address, { text, externalId: sid }))) {
          return twiml; // "4 great help" after the rating question: recorded and thanked, no new chat.
        } else {
          const phone = normalizeAddress(from);
          const r = await startConversation(rt, {
            tenant,
            target: { kind: 'service', service },
            channel,
            entry: service.im.whatsapp?.sender ?? p.To ?? '',
            address,
            customer: { displayName: (p.ProfileName ?? '').trim().slice(0, 80) || phone, phone },
            firstMessage: { text, externalId: sid },
          });
          conversationId = r.conversation.id;
        }
        if (numMedia > 0) await attachmentNotice(rt, tenant.id, conversationId, mediaTypes);
      } catch (e) {
        if (isUniqueViolation(e)) return twiml; // Twilio retried a MessageSid we already stored.
        throw e;
      }
      return twiml;
    }),
  );

  server.post(
    '/api/whatsapp/status',
    h(async (req) => {
      const signed = form(req);
      const tenant = rt.tenants.tenants.find((t) => t.twilio?.accountSid === signed.AccountSid);
      if (!tenant) throw forbidden('This Twilio account is not configured.', 'bad_signature');
      verify(rt, req, tenant, signed);
      const p = clean(signed);
      const state = TWILIO_STATES[(p.MessageStatus ?? p.SmsStatus ?? '').toLowerCase()];
      const sid = p.MessageSid ?? p.SmsSid ?? '';
      if (!state || !sid) return twiml;
      await inTx(rt, async (u) => {
        const m = await lockMessageBySid(u.tx, tenant.id, sid);
        if (!m) return;
        const current = (m.deliveryState ?? 'queued') as DeliveryState;
        if (RANK[state] <= RANK[current]) return;
        const error = state === 'failed' || state === 'undelivered' ? describeTwilioError(p.ErrorCode, p.ErrorMessage) : null;
        const row = await setDelivery(u.tx, tenant.id, m.id, state, error);
        const conv = await getConversationById(u.tx, m.conversationId);
        const taskRow = conv?.currentTaskId ? await lockTask(u.tx, tenant.id, conv.currentTaskId) : undefined;
        if (taskRow?.task.userId) u.emit(events.messageToAgent(tenant.id, taskRow.task.userId, taskRow.task.id, toChatMessage(row!)));
      });
      return twiml;
    }),
  );
}

/**
 * Whether a message is one of the service's end keywords: the whole message, trimmed, in any case
 * ("STOP" ends the chat, "stop please" is a message). Only an open chat ends; with none open the
 * message starts one as any other would.
 */
export function isEndKeyword(body: string, keywords: readonly string[] | undefined): boolean {
  if (!keywords?.length) return false;
  const word = body.trim().toLowerCase();
  return word.length > 0 && keywords.some((k) => k.trim().toLowerCase() === word);
}

/** Tells the customer attachments are not supported, and the agent what was sent. */
async function attachmentNotice(rt: Runtime, tenantId: string, conversationId: string, types: string[]): Promise<void> {
  await inTx(rt, async (u) => {
    const conv = await lockConversation(u.tx, tenantId, conversationId);
    if (!conv) return;
    const row = conv.currentTaskId ? await lockTask(u.tx, tenantId, conv.currentTaskId) : undefined;
    await addMessage(u, conv, row?.task, { from: 'system', text: ATTACHMENT_REPLY });
    if (row?.task.userId) {
      u.emit(
        events.notice(
          tenantId,
          row.task.userId,
          'warning',
          `The customer sent an attachment (${types.join(', ')}) that Stratus cannot show yet; they were asked to describe it in text.`,
          { sessionId: row.task.id },
        ),
      );
    }
  });
}

/** A sentence an agent understands for Twilio's common error codes. */
export function describeTwilioError(code: string | undefined, message: string | undefined): string {
  switch (code) {
    case '63016':
      return "Not delivered: WhatsApp only allows free-form replies within 24 hours of the customer's last message.";
    case '63003':
    case '21211':
      return "Not delivered: the customer's number cannot receive messages.";
    case '63024':
      return 'Not delivered: the recipient is not a valid WhatsApp user.';
    case '30003':
      return "Not delivered: the customer's phone is unreachable.";
    case '30007':
      return 'Not delivered: the carrier filtered the message.';
    default:
      return `Not delivered${code ? ` (Twilio error ${code})` : ''}${message ? `: ${message}` : '.'}`;
  }
}

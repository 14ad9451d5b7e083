/**
 * Sends agent and workflow messages to WhatsApp/SMS customers (the channelSend job). Retries
 * rate limits and server errors with backoff, then marks the message failed with a reason the
 * agent sees; outside WhatsApp's 24-hour window it fails at once with that reason.
 */
import type { Job, JobResult } from '../../scheduler/jobs';
import type { Runtime } from '../../runtime/runtime';
import { inTx } from '../../runtime/uow';
import { getConversationById } from '../../store/repo';
import { lockTask } from '../../store/locks';
import { getMessage, setDelivery, setExternalId, toChatMessage } from '../../store/messages';
import { errorMessage } from '../../util/log';
import { toPlainText } from './plain-text';
import { describeTwilioError } from './routes';
import { twilioClient } from './twilio-client';
import { events } from '@stratus/shared/contract/events';

export const WINDOW_MS = 24 * 3600_000;
const MAX_ATTEMPTS = 5;

export function channelSendHandler(rt: Runtime, retryBaseMs = 1000): (job: Job) => Promise<JobResult> {
  return async (job) => {
    const { messageId } = job.payload as { messageId: string };
    const m = await getMessage(rt.store.db, job.tenantId, messageId);
    if (!m || m.externalId) return; // gone, or already sent (a repeat after a crash)
    const conv = await getConversationById(rt.store.db, m.conversationId);
    const tenant = rt.tenants.tenant(job.tenantId);
    if (!conv || !tenant) return;
    const service = tenant.services.find((s) => normalize(s.im.whatsapp?.sender) === normalize(conv.entry));
    if (!tenant.twilio || !service?.im.whatsapp || !conv.address)
      return fail(rt, job.tenantId, messageId, 'Not sent: this service has no Twilio connector configured.');
    if (conv.channel === 'whatsapp' && (conv.lastCustomerAt ?? 0) < rt.clock.now() - WINDOW_MS) {
      return fail(
        rt,
        job.tenantId,
        messageId,
        "Not sent: WhatsApp only allows replies within 24 hours of the customer's last message. The customer has to write first.",
      );
    }
    const sender = service.im.whatsapp.sender;
    const from =
      conv.channel === 'whatsapp' ? (sender.startsWith('whatsapp:') ? sender : `whatsapp:${sender}`) : sender.replace(/^whatsapp:/, '');
    try {
      const sent = await twilioClient(tenant.twilio, rt.config.twilioApiBaseUrl).messages.create({
        from,
        to: conv.address,
        body: toPlainText(m.text),
        statusCallback: `${rt.config.publicBaseUrl}/api/whatsapp/status`,
      });
      await inTx(rt, async (u) => {
        await setExternalId(u.tx, messageId, sent.sid);
      });
      return;
    } catch (e) {
      const status = (e as { status?: number }).status ?? 0;
      const retryable = status === 429 || status >= 500 || status === 0;
      if (retryable && job.attempts < MAX_ATTEMPTS) {
        const delay = Math.min(60_000, retryBaseMs * 2 ** job.attempts) * (0.75 + Math.random() * 0.5);
        rt.log.warn('Twilio send failed; retrying', { status, attempt: job.attempts, error: errorMessage(e) });
        return { retryAt: rt.clock.now() + Math.round(delay) };
      }
      const code = (e as { code?: number }).code;
      return fail(rt, job.tenantId, messageId, describeTwilioError(code ? String(code) : undefined, errorMessage(e)));
    }
  };
}

const normalize = (s: string | undefined) => (s ?? '').replace(/^whatsapp:/i, '').replace(/[^\d+]/g, '');

async function fail(rt: Runtime, tenantId: string, messageId: string, reason: string): Promise<void> {
  await inTx(rt, async (u) => {
    const row = await setDelivery(u.tx, tenantId, messageId, 'failed', reason);
    if (!row) return;
    const conv = await getConversationById(u.tx, row.conversationId);
    const t = conv?.currentTaskId ? await lockTask(u.tx, tenantId, conv.currentTaskId) : undefined;
    if (t?.task.userId) {
      u.emit(events.messageToAgent(tenantId, t.task.userId, t.task.id, toChatMessage(row)));
      u.emit(events.notice(tenantId, t.task.userId, 'error', reason, { sessionId: t.task.id }));
    }
  });
}

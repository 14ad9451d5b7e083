/**
 * Customer satisfaction: when a chat an agent accepted ends in a service that asks
 * (`im.chat.satisfaction.enabled`), the customer may rate it once, 1 (poor) to 5 (excellent), with
 * an optional comment. The rating is kept on the reporting session of the conversation's last task
 * an agent accepted. Nothing new is stored to say "asked": the widget's chat is asked while it is
 * ended, that task exists and its service asks; a WhatsApp or SMS chat is asked by a system message
 * (CSAT_QUESTION_ID) that the customer's next message may answer within CSAT_REPLY_WINDOW_MS.
 */
import type { CsatRating, CustomerRating } from '@stratus/shared/contract/api';
import type { ReportingSession } from '@stratus/shared/reporting/session';
import type { Task } from '@stratus/shared/task/types';
import { serviceLevelMs, type ChannelKind } from '@stratus/shared/tenant/model';
import { customerText } from '@stratus/shared/i18n/customer-texts';
import { conflict, notFound } from '../errors';
import type { Q } from '../store/db';
import { lastAcceptedTask, latestConversationAt } from '../store/csat';
import { reportingSessionOf, saveReportingSession } from '../store/reporting';
import { getConversation, type Conversation } from '../store/repo';
import { lockConversation, lockTask } from '../store/locks';
import { findMessageByClientId } from '../store/messages';
import type { Runtime } from '../runtime/runtime';
import { inTx, type Uow } from '../runtime/uow';
import { addMessage } from '../conversations/messages';

/** Longest comment a rating may carry (characters); a longer one by message is cut, by the API refused. */
export const MAX_CSAT_COMMENT = 1000;
/** The client message id of the rating question (a system message): once per conversation, and how a reply finds it. */
export const CSAT_QUESTION_ID = 'csat:question';
/** The client message id of the thank-you after a rating by message. */
export const CSAT_THANKS_ID = 'csat:thanks';
/** How long after the question a reply by message still counts as the rating. */
export const CSAT_REPLY_WINDOW_MS = 3600_000;

/**
 * The task a rating of this conversation lands on: its last task an agent accepted, when that
 * task's service asks for ratings. Undefined for a chat nobody accepted, a direct chat, a service
 * that does not ask.
 */
export async function ratedTask(rt: Runtime, q: Q, conv: Conversation): Promise<Task | undefined> {
  const task = await lastAcceptedTask(q, conv.tenantId, conv.id);
  if (!task || task.state !== 'ended') return undefined;
  const service = rt.tenants.service(conv.tenantId, task.serviceId);
  return service?.im.chat?.satisfaction?.enabled ? task : undefined;
}

/** What the customer's page shows of the rating: may rate, or rated; undefined while open or when not asked. */
export async function customerRating(rt: Runtime, conv: Conversation): Promise<CustomerRating | undefined> {
  if (conv.open) return undefined;
  const task = await ratedTask(rt, rt.store.db, conv);
  if (!task) return undefined;
  const csat = (await reportingSessionOf(rt.store.db, conv.tenantId, task.id))?.csat;
  return csat ? { given: csat.rating } : { asked: true };
}

/**
 * The widget's rating: only after the chat ended, only when asked, once (409 otherwise). Under the
 * conversation's and the task's locks (LOCK ORDER), as the agent's wrap-up writes the same session.
 */
export async function rateChat(
  rt: Runtime,
  tenantId: string,
  conversationId: string,
  input: { rating: CsatRating; comment?: string },
): Promise<{ given: CsatRating }> {
  return inTx(rt, async (u) => {
    const conv = await lockConversation(u.tx, tenantId, conversationId);
    if (!conv) throw notFound('No such chat.');
    if (conv.open) throw conflict('not_ended', 'A chat can be rated once it has ended.');
    const locked = await lockedSession(u, conv);
    if (!locked) throw conflict('not_asked', 'This chat does not ask for a rating.');
    if (locked.session.csat) throw conflict('already_rated', 'This chat has already been rated.');
    await saveRating(u, locked.task, locked.session, input.rating, input.comment);
    return { given: input.rating };
  });
}

/** The rated task, locked after its conversation (the caller holds that lock), with its reporting session. */
async function lockedSession(u: Uow, conv: Conversation): Promise<{ task: Task; session: ReportingSession } | undefined> {
  const found = await ratedTask(u.rt, u.tx, conv);
  if (!found) return undefined;
  const row = await lockTask(u.tx, conv.tenantId, found.id);
  const session = row && (await reportingSessionOf(u.tx, conv.tenantId, found.id));
  return row && session ? { task: row.task, session } : undefined;
}

async function saveRating(u: Uow, task: Task, session: ReportingSession, rating: CsatRating, comment: string | undefined): Promise<void> {
  const text = comment?.trim();
  const rated: ReportingSession = { ...session, csat: { rating, ...(text ? { comment: text } : {}), at: u.now } };
  await saveReportingSession(u.tx, task, rated, session, serviceLevelMs(u.rt.tenants.service(task.tenantId, task.serviceId)));
}

/**
 * A reply by message read as a rating: a digit from 1 to 5 on its own or followed by a comment
 * ("4", "4 great help", "5/5 thanks", "3: slow"). Anything else ("45", "3.5", "4stars", "hello")
 * is not, and goes where any message goes.
 */
export function parseRatingReply(text: string): { rating: CsatRating; comment?: string } | undefined {
  const m = /^([1-5])(?:\s*\/\s*5)?(?:[.,:;!)–-]*)(?:$|\s+([\s\S]*)$)/.exec(text.trim());
  if (!m) return undefined;
  const comment = (m[2] ?? '')
    .replace(/^[\s.,:;!)–-]+/, '')
    .slice(0, MAX_CSAT_COMMENT)
    .trim();
  return { rating: Number(m[1]) as CsatRating, ...(comment ? { comment } : {}) };
}

/**
 * The rating question of this closed WhatsApp or SMS chat still stands for a reply: sent less than
 * CSAT_REPLY_WINDOW_MS ago, and not failed (a customer who never saw it is not answering it).
 */
async function questionOpen(q: Q, conv: Conversation, now: number): Promise<boolean> {
  if (conv.open) return false;
  const question = await findMessageByClientId(q, conv.id, 'system', CSAT_QUESTION_ID);
  if (!question || now - question.createdAt > CSAT_REPLY_WINDOW_MS) return false;
  return question.deliveryState !== 'failed' && question.deliveryState !== 'undelivered';
}

/**
 * A WhatsApp or SMS message while no chat is open: when it reads as a rating and the address's
 * latest chat stands asked, it is recorded as the rating (true); otherwise nothing is written and
 * the message starts a new chat as any other would (false).
 */
export async function answerRatingQuestion(
  rt: Runtime,
  tenantId: string,
  channel: ChannelKind,
  address: string,
  m: { text: string; externalId: string },
): Promise<boolean> {
  const parsed = parseRatingReply(m.text);
  if (!parsed) return false;
  const last = await latestConversationAt(rt.store.db, tenantId, channel, address);
  if (!last || last.open) return false;
  return rateByReply(rt, tenantId, last.id, { ...m, ...parsed });
}

/**
 * Records a rating by message on the closed conversation: the customer's reply is kept in it (the
 * transcript shows what they wrote; its provider id makes a webhook retry harmless), the rating goes
 * on the session, and a thank-you is sent through the channel's durable send. False (nothing
 * written) when, under the locks, the question no longer stands: the reply then starts a new chat.
 */
async function rateByReply(
  rt: Runtime,
  tenantId: string,
  conversationId: string,
  reply: { text: string; externalId: string; rating: CsatRating; comment?: string },
): Promise<boolean> {
  return inTx(rt, async (u) => {
    const conv = await lockConversation(u.tx, tenantId, conversationId);
    if (!conv || !(await questionOpen(u.tx, conv, u.now))) return false;
    const locked = await lockedSession(u, conv);
    if (!locked || locked.session.csat) return false;
    // No task on these messages: the agent's session ended, and a rating is not theirs to read in Teams.
    await addMessage(u, conv, undefined, {
      from: 'customer',
      text: reply.text,
      author: conv.customer.displayName,
      externalId: reply.externalId,
    });
    await saveRating(u, locked.task, locked.session, reply.rating, reply.comment);
    await addMessage(u, conv, undefined, {
      from: 'system',
      text: customerText(conv.language, 'csatThanks'),
      clientMessageId: CSAT_THANKS_ID,
    });
    return true;
  });
}

/**
 * Asks a WhatsApp or SMS customer for a rating after their chat ended, once (the question's client
 * message id is unique in the conversation), through the channel's durable send. Only while the
 * customer wrote within WhatsApp's 24-hour window (`windowMs`; SMS keeps the same rule, so nobody
 * is asked about a day-old chat) and the end is recent enough for a reply to count.
 */
export async function askByMessage(u: Uow, tenantId: string, conversationId: string, windowMs: number): Promise<boolean> {
  // Read first without a lock (a closed conversation never opens again): most ended chats are not asked.
  const seen = await getConversation(u.tx, tenantId, conversationId);
  if (!seen || !mayAskByMessage(seen, u.now, windowMs)) return false;
  const conv = await lockConversation(u.tx, tenantId, conversationId);
  if (!conv || !mayAskByMessage(conv, u.now, windowMs)) return false;
  const task = await ratedTask(u.rt, u.tx, conv);
  if (!task || (await reportingSessionOf(u.tx, tenantId, task.id))?.csat) return false;
  const r = await addMessage(u, conv, undefined, {
    from: 'system',
    text: customerText(conv.language, 'csatQuestion'),
    clientMessageId: CSAT_QUESTION_ID,
  });
  return !r.duplicate;
}

function mayAskByMessage(conv: Conversation, now: number, windowMs: number): boolean {
  if (conv.open || (conv.channel !== 'whatsapp' && conv.channel !== 'sms')) return false;
  if (conv.endedAt === undefined || now - conv.endedAt > CSAT_REPLY_WINDOW_MS) return false;
  return conv.lastCustomerAt !== undefined && now - conv.lastCustomerAt <= windowMs;
}

/**
 * The Interact customer API (website widget and SDK): start a chat, post and list messages, read
 * the state, end. Customer tokens are bound to one chat; allowed origins are enforced per code.
 */
import { z } from 'zod';
import { clientAddress } from '../client-address';
import { badRequest, forbidden } from '../../errors';
import { checkTextLength, handle, param, parseBody, query, type Request, type Server } from '../server';
import {
  chatStatus,
  customerRead,
  customerTranscript,
  customerTyping,
  endByCustomer,
  postCustomerMessage,
  startConversation,
} from '../../customers/customer-actions';
import { customerLanguage } from '@stratus/shared/i18n/customer-texts';
import type { CsatRating, RateChatResponse } from '@stratus/shared/contract/api';
import { MAX_CSAT_COMMENT, rateChat } from '../../customers/csat';
import { listMessages, toChatMessage } from '../../store/messages';
import type { Runtime } from '../../runtime/runtime';
import type { InteractTarget } from '../../tenants/registry';
import { newSecret, sha256 } from '../../util/ids';
import type { RateLimiter } from '../../channels/interact/rate-limit';
import {
  authorizeChat,
  authorizeChatIdentity,
  authorizeTranscript,
  type ChatIdentities,
  checkOrigin,
  preflightAllowed,
  resolveCode,
  targetOfConversation,
} from '../../channels/interact/interact';

/** Longest message a customer may send (characters). */
export const MAX_MESSAGE_CHARS = 4000;
const email = z
  .string()
  .trim()
  .max(254)
  .regex(/^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z]{2,}$/, 'a valid email address is required');
const startSchema = z.object({
  displayName: z.string().trim().min(1, 'a display name is required').max(80, 'at most 80 characters'),
  email,
  privacyAccepted: z.literal(true, { error: 'the privacy policy must be accepted' }),
  message: z
    .string()
    .trim()
    .max(MAX_MESSAGE_CHARS * 2)
    .optional(),
  clientMessageId: z.string().min(1).max(100).optional(),
  /** Validated by customerLanguage: anything but en, de or fr is ignored, never stored. */
  language: z.unknown().optional(),
});
/** The highest sequence number a read report may name (the column is a 32-bit integer). */
export const MAX_SEQ = 2_147_483_647;
/** `POST .../read`: the customer has seen the chat up to `seq` (above the last message: clamped to it). */
export const readSchema = z.object({ seq: z.number().int('seq: a whole number').min(0).max(MAX_SEQ) });
/** A chat message's body, the same for the customer and the agent. */
export const messageSchema = z.object({
  text: z
    .string()
    .trim()
    .min(1, 'a message cannot be empty')
    .max(MAX_MESSAGE_CHARS * 2),
  clientMessageId: z.string().min(1).max(100).optional(),
});

/** `POST .../rating`: 1 (poor) to 5 (excellent), an optional comment. */
export const ratingSchema = z.object({
  rating: z.number().int('rating: a whole number from 1 to 5').min(1, 'rating: 1 to 5').max(5, 'rating: 1 to 5'),
  comment: z.string().max(MAX_CSAT_COMMENT, `comment: at most ${MAX_CSAT_COMMENT} characters`).optional(),
});

function bearer(req: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
}

export function registerInteractRoutes(
  server: Server,
  rt: Runtime,
  limiter: RateLimiter,
  identities: ChatIdentities,
  isUp: () => Promise<boolean>,
): void {
  const h = (fn: Parameters<typeof handle>[2]) => handle(rt.log, isUp, fn);
  const cors = (req: Request, target: InteractTarget | undefined): Record<string, string> => {
    const origin = req.header('origin');
    if (!origin || !target) return {};
    checkOrigin(rt, target, origin);
    return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
  };

  const addr = (req: Request) => clientAddress(req, rt.config.trustProxy);

  // The preflight echoes an origin only when the request it announces could pass checkOrigin.
  server.opts(
    '/api/interact/*',
    h(async (req) => {
      const origin = req.header('origin');
      if (origin && !preflightAllowed(rt, req.path(), origin))
        throw forbidden('This website is not allowed to call this chat API.', 'origin_not_allowed');
      return {
        status: 204,
        headers: {
          ...(origin ? { 'Access-Control-Allow-Origin': origin } : {}),
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': 'authorization, content-type',
          'Access-Control-Max-Age': '600',
          Vary: 'Origin',
        },
      };
    }),
  );

  server.get(
    '/api/interact/:code',
    h(async (req) => {
      limiter.check(addr(req), 'read');
      const target = resolveCode(rt, param(req, 'code'));
      const headers = cors(req, target);
      const name = target.kind === 'service' ? target.service.name : target.user.displayName;
      const settings = target.kind === 'service' ? target.service.im.interact : target.user.interact;
      // The widget's appearance as the admin set it (validated: a title, a #rrggbb colour, a greeting, a language).
      const { privacyPolicyUrl, title, color, greeting, language } = settings ?? {};
      return {
        headers,
        body: {
          code: param(req, 'code'),
          kind: target.kind,
          name,
          ...(privacyPolicyUrl ? { privacyPolicyUrl } : {}),
          ...(title ? { title } : {}),
          ...(color ? { color } : {}),
          ...(greeting ? { greeting } : {}),
          ...(language ? { language } : {}),
        },
      };
    }),
  );

  server.post(
    '/api/interact/:code/chats',
    h(async (req) => {
      const code = param(req, 'code');
      const target = resolveCode(rt, code);
      const headers = cors(req, target);
      // Per address first, so one client's flood does not use up the code's or the instance's budget.
      limiter.check(addr(req), 'start');
      limiter.check(code.toLowerCase(), 'startCode');
      limiter.check('all', 'startGlobal');
      const body = parseBody(req, startSchema);
      if (body.message) checkTextLength(body.message, MAX_MESSAGE_CHARS);
      const language = customerLanguage(body.language);
      const token = newSecret();
      const { conversation } = await startConversation(rt, {
        tenant: target.tenant,
        target: target.kind === 'service' ? { kind: 'service', service: target.service } : { kind: 'user', user: target.user },
        channel: 'interact',
        entry: code.toLowerCase(),
        customer: { displayName: body.displayName, email: body.email },
        tokenHash: sha256(token),
        ...(language ? { language } : {}),
        ...(body.message ? { firstMessage: { text: body.message, clientMessageId: body.clientMessageId } } : {}),
      });
      return { status: 201, headers, body: { chatId: conversation.id, token } };
    }),
  );

  server.get(
    '/api/interact/chats/:chatId',
    h(async (req) => {
      limiter.check(addr(req), 'read');
      const conv = await authorizeChat(rt, param(req, 'chatId'), bearer(req));
      return { headers: cors(req, targetOfConversation(rt, conv)), body: await chatStatus(rt, conv) };
    }),
  );

  server.post(
    '/api/interact/chats/:chatId/messages',
    h(async (req) => {
      const conv = await authorizeChatIdentity(rt, identities, param(req, 'chatId'), bearer(req));
      const headers = cors(req, rt.tenants.interact(conv.entry));
      limiter.check(`chat:${conv.id}`, 'message');
      limiter.check(addr(req), 'address');
      const body = parseBody(req, messageSchema);
      checkTextLength(body.text, MAX_MESSAGE_CHARS);
      const r = await postCustomerMessage(rt, conv.tenantId, conv.id, { text: body.text, clientMessageId: body.clientMessageId });
      return { status: r.duplicate ? 200 : 201, headers, body: { id: r.message.id, seq: r.message.seq } };
    }),
  );

  server.get(
    '/api/interact/chats/:chatId/messages',
    h(async (req) => {
      limiter.check(addr(req), 'read');
      const conv = await authorizeChat(rt, param(req, 'chatId'), bearer(req));
      const afterText = query(req, 'after') ?? '0';
      const after = Number(afterText);
      if (!Number.isInteger(after) || after < 0) throw badRequest('invalid_request', 'after: a sequence number (0 or more) is required');
      const rows = await listMessages(rt.store.db, conv.tenantId, conv.id, after);
      return { headers: cors(req, targetOfConversation(rt, conv)), body: { messages: rows.map(toChatMessage) } };
    }),
  );

  server.post(
    '/api/interact/chats/:chatId/end',
    h(async (req) => {
      const conv = await authorizeChat(rt, param(req, 'chatId'), bearer(req));
      const headers = cors(req, targetOfConversation(rt, conv));
      await endByCustomer(rt, conv.tenantId, conv.id);
      return { headers, body: { chatId: conv.id, state: 'ended' } };
    }),
  );

  // The customer rates the ended chat, once (only a chat an agent accepted, in a service that asks).
  server.post(
    '/api/interact/chats/:chatId/rating',
    h(async (req) => {
      const conv = await authorizeChat(rt, param(req, 'chatId'), bearer(req));
      const headers = cors(req, targetOfConversation(rt, conv));
      limiter.check(addr(req), 'address');
      const body = parseBody(req, ratingSchema);
      const rating = await rateChat(rt, conv.tenantId, conv.id, { rating: body.rating as CsatRating, comment: body.comment });
      return { headers, body: { chatId: conv.id, rating } satisfies RateChatResponse };
    }),
  );

  // The customer is typing (clients without the socket; the widget sends {type:"typing"} on it).
  // At most one event per chat every 2 s; extras are answered 202 too and dropped: nothing to retry.
  server.post(
    '/api/interact/chats/:chatId/typing',
    h(async (req) => {
      const conv = await authorizeChatIdentity(rt, identities, param(req, 'chatId'), bearer(req));
      const headers = cors(req, rt.tenants.interact(conv.entry));
      limiter.check(addr(req), 'address');
      if (limiter.allows(`chat:${conv.id}`, 'typing')) await customerTyping(rt, conv.tenantId, conv.id);
      return { status: 202, headers, body: { ok: true } };
    }),
  );

  // The customer has seen the chat up to seq (the widget sends {type:"read", seq} on its socket).
  server.post(
    '/api/interact/chats/:chatId/read',
    h(async (req) => {
      const conv = await authorizeChatIdentity(rt, identities, param(req, 'chatId'), bearer(req));
      const headers = cors(req, rt.tenants.interact(conv.entry));
      limiter.check(addr(req), 'address');
      limiter.check(`chat:${conv.id}`, 'receipt');
      const body = parseBody(req, readSchema);
      const seq = await customerRead(rt, conv.tenantId, conv.id, body.seq);
      return { headers, body: { seq } };
    }),
  );

  // The transcript as a text file, while the chat runs and for a while after it ended (then 410).
  server.get(
    '/api/interact/chats/:chatId/transcript',
    h(async (req) => {
      limiter.check(addr(req), 'read');
      const conv = await authorizeTranscript(rt, param(req, 'chatId'), bearer(req));
      const headers = cors(req, targetOfConversation(rt, conv));
      const t = await customerTranscript(rt, conv);
      return {
        headers: {
          ...headers,
          'Content-Type': 'text/plain; charset=utf-8',
          'Content-Disposition': `attachment; filename="${t.filename}"`,
          // The SDK on a customer's own site reads the file name across origins.
          ...(headers['Access-Control-Allow-Origin'] ? { 'Access-Control-Expose-Headers': 'Content-Disposition' } : {}),
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
        },
        body: t.text,
      };
    }),
  );
}

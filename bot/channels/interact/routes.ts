/**
 * The Interact customer API (website widget and SDK): start a chat, post and list messages, read
 * the state, end. Customer tokens are bound to one chat; allowed origins are enforced per code.
 */
import { z } from 'zod';
import { mayContactUserDirectly } from '@stratus/shared/licensing/user';
import { mayServiceUseChannel } from '@stratus/shared/licensing/service';
import { clientAddress } from '../../http/client-address';
import { AppError, badRequest, forbidden, notFound, unauthorized } from '../../http/errors';
import { checkTextLength, handle, param, parseBody, query, type Request, type Server } from '../../http/server';
import { chatStatus, endByCustomer, postCustomerMessage, startConversation } from '../../services/chats';
import { getConversationById, listMessages, toChatMessage, type Conversation } from '../../services/repo';
import type { Runtime } from '../../services/runtime';
import type { InteractTarget } from '../../tenants/registry';
import { newSecret, safeEqual, sha256 } from '../../util/ids';
import type { RateLimiter } from './rate-limit';

/** Longest message a customer may send (characters). */
export const MAX_MESSAGE_CHARS = 4000;
/** How long a chat token keeps working after its chat ended (reading the transcript, a late reload). */
export const CHAT_TOKEN_TTL_AFTER_END_MS = 6 * 3600_000;
/** How long a cached chat identity is trusted before the chat is read again (its end, its expiry). */
const IDENTITY_RECHECK_MS = 60_000;

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
});
/** A chat message's body, the same for the customer and the agent. */
export const messageSchema = z.object({
  text: z
    .string()
    .trim()
    .min(1, 'a message cannot be empty')
    .max(MAX_MESSAGE_CHARS * 2),
  clientMessageId: z.string().min(1).max(100).optional(),
});

/** Resolves a code to a target the customer may reach; 404 reveals nothing about why. */
export function resolveCode(rt: Runtime, code: string): InteractTarget {
  const target = rt.tenants.interact(code);
  if (!target) throw notFound('No chat is available here.');
  if (target.kind === 'service') {
    const ok = target.service.im.enabled && mayServiceUseChannel(target.service, 'interact').allowed;
    if (!ok) throw notFound('No chat is available here.');
  } else if (!mayContactUserDirectly(target.user).allowed) {
    throw notFound('No chat is available here.');
  }
  return target;
}

export function allowedOrigins(target: InteractTarget): string[] {
  return (target.kind === 'service' ? target.service.im.interact?.allowedOrigins : target.user.interact?.allowedOrigins) ?? [];
}

/**
 * An Origin header (sent by browsers on cross-site requests and WebSockets) must be allowed: the
 * server's own origin (PUBLIC_BASE_URL) always, the code's allowed origins, and, only in dev
 * mode, any origin when the code lists none. Outside dev mode an empty list means "own origin
 * only", so a forgotten setting does not open the customer API to every website.
 */
export function checkOrigin(rt: Runtime, target: InteractTarget, origin: string | undefined): void {
  if (!origin) return;
  const list = allowedOrigins(target);
  if (origin === ownOrigin(rt) || list.includes(origin) || (list.length === 0 && rt.config.devMode)) return;
  throw forbidden('This website is not allowed to open this chat.', 'origin_not_allowed');
}

function ownOrigin(rt: Runtime): string {
  return new URL(rt.config.publicBaseUrl).origin;
}

/**
 * Whether a CORS preflight from `origin` may be answered for `path`. The preflight carries no
 * token, so for chat routes any origin allowed by some code passes; the request itself is then
 * checked against its own chat's code.
 */
function preflightAllowed(rt: Runtime, path: string, origin: string): boolean {
  if (rt.config.devMode || origin === ownOrigin(rt)) return true;
  const code = /^\/api\/interact\/([^/]+)/.exec(path)?.[1];
  const target = code && code !== 'chats' ? rt.tenants.interact(code) : undefined;
  if (target) return allowedOrigins(target).includes(origin);
  return rt.tenants.tenants.some(
    (t) =>
      t.services.some((s) => s.im.interact?.allowedOrigins.includes(origin)) ||
      t.users.some((u) => u.interact?.allowedOrigins.includes(origin)),
  );
}

/** 401 `chat_expired` once the chat ended more than CHAT_TOKEN_TTL_AFTER_END_MS ago. */
function checkNotExpired(rt: Runtime, endedAt: number | undefined): void {
  if (endedAt !== undefined && rt.clock.now() - endedAt > CHAT_TOKEN_TTL_AFTER_END_MS) {
    throw new AppError(
      401,
      'chat_expired',
      `This chat ended more than ${CHAT_TOKEN_TTL_AFTER_END_MS / 3600_000} hours ago and its token no longer works: start a new chat.`,
    );
  }
}

function targetOfConversation(rt: Runtime, conv: Conversation): InteractTarget | undefined {
  return rt.tenants.interact(conv.entry);
}

/**
 * What hardly changes about a chat: enough to check its token and origin without a query per
 * message. `endedAt` and `loadedAt` let the cache refuse an expired chat: an entry is read again
 * after IDENTITY_RECHECK_MS, and a post to an ended chat is refused (409) by the write itself
 * until then.
 */
interface ChatIdentity {
  id: string;
  tenantId: string;
  entry: string;
  channel: string;
  tokenHash: string;
  endedAt?: number;
  loadedAt: number;
}
/** Per runtime (not per module), so two apps in one process never share entries. */
const identityCaches = new WeakMap<Runtime, Map<string, ChatIdentity>>();
const MAX_CACHED_IDENTITIES = 100_000;

/** Checks the chat token for a post; the chat's open state is checked under lock by the write itself. */
export async function authorizeChatIdentity(rt: Runtime, chatId: string, token: string | undefined): Promise<ChatIdentity> {
  if (!token) throw unauthorized('This chat needs its token.');
  let cache = identityCaches.get(rt);
  if (!cache) identityCaches.set(rt, (cache = new Map()));
  let c = cache.get(chatId);
  if (!c || rt.clock.now() - c.loadedAt > IDENTITY_RECHECK_MS) {
    const conv = await getConversationById(rt.store.db, chatId);
    if (!conv || conv.channel !== 'interact' || !conv.tokenHash) throw unauthorized('The chat token is not valid for this chat.');
    c = {
      id: conv.id,
      tenantId: conv.tenantId,
      entry: conv.entry,
      channel: conv.channel,
      tokenHash: conv.tokenHash,
      endedAt: conv.endedAt,
      loadedAt: rt.clock.now(),
    };
    // Oldest first out (a Map keeps insertion order), so a full cache never drops every live chat at once.
    cache.delete(chatId);
    if (cache.size >= MAX_CACHED_IDENTITIES) cache.delete(cache.keys().next().value as string);
    cache.set(chatId, c);
  }
  if (!safeEqual(c.tokenHash, sha256(token))) throw unauthorized('The chat token is not valid for this chat.');
  checkNotExpired(rt, c.endedAt);
  return c;
}

/** Loads the chat and checks its bearer token, and that the chat did not end too long ago. */
export async function authorizeChat(rt: Runtime, chatId: string, token: string | undefined): Promise<Conversation> {
  if (!token) throw unauthorized('This chat needs its token.');
  const conv = await getConversationById(rt.store.db, chatId);
  if (!conv || conv.channel !== 'interact' || !conv.tokenHash || !safeEqual(conv.tokenHash, sha256(token)))
    throw unauthorized('The chat token is not valid for this chat.');
  checkNotExpired(rt, conv.endedAt);
  return conv;
}

function bearer(req: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
}

export function registerInteractRoutes(server: Server, rt: Runtime, limiter: RateLimiter, isUp: () => Promise<boolean>): void {
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
      const privacyPolicyUrl =
        target.kind === 'service' ? target.service.im.interact?.privacyPolicyUrl : target.user.interact?.privacyPolicyUrl;
      return { headers, body: { code: param(req, 'code'), kind: target.kind, name, ...(privacyPolicyUrl ? { privacyPolicyUrl } : {}) } };
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
      const token = newSecret();
      const { conversation } = await startConversation(rt, {
        tenant: target.tenant,
        target: target.kind === 'service' ? { kind: 'service', service: target.service } : { kind: 'user', user: target.user },
        channel: 'interact',
        entry: code.toLowerCase(),
        customer: { displayName: body.displayName, email: body.email },
        tokenHash: sha256(token),
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
      const conv = await authorizeChatIdentity(rt, param(req, 'chatId'), bearer(req));
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
}

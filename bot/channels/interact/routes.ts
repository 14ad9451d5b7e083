/**
 * The Interact customer API (website widget and SDK): start a chat, post and list messages, read
 * the state, end. Customer tokens are bound to one chat; allowed origins are enforced per code.
 */
import { z } from 'zod';
import { mayContactUserDirectly } from '@stratus/shared/licensing/user';
import { mayServiceUseChannel } from '@stratus/shared/licensing/service';
import { badRequest, forbidden, notFound, unauthorized } from '../../http/errors';
import { checkTextLength, handle, param, parseBody, query, type Request, type Server } from '../../http/server';
import { chatStatus, endByCustomer, postCustomerMessage, startConversation } from '../../services/chats';
import { getConversationById, listMessages, toChatMessage, type Conversation } from '../../services/repo';
import type { Runtime } from '../../services/runtime';
import type { InteractTarget } from '../../tenants/registry';
import { newSecret, safeEqual, sha256 } from '../../util/ids';
import type { RateLimiter } from './rate-limit';

/** Longest message a customer may send (characters). */
export const MAX_MESSAGE_CHARS = 4000;

const email = z.string().trim().max(254).regex(/^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z]{2,}$/, 'a valid email address is required');
const startSchema = z.object({
  displayName: z.string().trim().min(1, 'a display name is required').max(80, 'at most 80 characters'),
  email,
  privacyAccepted: z.literal(true, { error: 'the privacy policy must be accepted' }),
  message: z.string().trim().max(MAX_MESSAGE_CHARS * 2).optional(),
  clientMessageId: z.string().min(1).max(100).optional(),
});
const messageSchema = z.object({
  text: z.string().trim().min(1, 'a message cannot be empty').max(MAX_MESSAGE_CHARS * 2),
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

/** An Origin header (sent by browsers on cross-site requests and WebSockets) must be allowed. */
export function checkOrigin(rt: Runtime, target: InteractTarget, origin: string | undefined): void {
  if (!origin) return;
  const own = new URL(rt.config.publicBaseUrl).origin;
  const list = allowedOrigins(target);
  if (origin === own || list.length === 0 || list.includes(origin)) return;
  throw forbidden('This website is not allowed to open this chat.', 'origin_not_allowed');
}

function targetOfConversation(rt: Runtime, conv: Conversation): InteractTarget | undefined {
  return rt.tenants.interact(conv.entry);
}

/** What never changes about a chat: enough to check its token and origin without a query per message. */
interface ChatIdentity { id: string; tenantId: string; entry: string; channel: string; tokenHash: string }
const identities = new Map<string, ChatIdentity>();

/** Checks the chat token for a post; the chat's open state is checked under lock by the write itself. */
export async function authorizeChatIdentity(rt: Runtime, chatId: string, token: string | undefined): Promise<ChatIdentity> {
  if (!token) throw unauthorized('This chat needs its token.');
  let c = identities.get(chatId);
  if (!c) {
    const conv = await getConversationById(rt.store.db, chatId);
    if (!conv || conv.channel !== 'interact' || !conv.tokenHash) throw unauthorized('The chat token is not valid for this chat.');
    c = { id: conv.id, tenantId: conv.tenantId, entry: conv.entry, channel: conv.channel, tokenHash: conv.tokenHash };
    if (identities.size > 100_000) identities.clear();
    identities.set(chatId, c);
  }
  if (!safeEqual(c.tokenHash, sha256(token))) throw unauthorized('The chat token is not valid for this chat.');
  return c;
}

/** Loads the chat and checks its bearer token (or `token` query for sockets). */
export async function authorizeChat(rt: Runtime, chatId: string, token: string | undefined): Promise<Conversation> {
  if (!token) throw unauthorized('This chat needs its token.');
  const conv = await getConversationById(rt.store.db, chatId);
  if (!conv || conv.channel !== 'interact' || !conv.tokenHash || !safeEqual(conv.tokenHash, sha256(token))) throw unauthorized('The chat token is not valid for this chat.');
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

  server.opts('/api/interact/*', h(async (req) => ({
    status: 204,
    headers: { 'Access-Control-Allow-Origin': req.header('origin') ?? '*', 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS', 'Access-Control-Allow-Headers': 'authorization, content-type', 'Access-Control-Max-Age': '600', Vary: 'Origin' },
  })));

  server.get('/api/interact/:code', h(async (req) => {
    const target = resolveCode(rt, param(req, 'code'));
    const headers = cors(req, target);
    const name = target.kind === 'service' ? target.service.name : target.user.displayName;
    const privacyPolicyUrl = target.kind === 'service' ? target.service.im.interact?.privacyPolicyUrl : target.user.interact?.privacyPolicyUrl;
    return { headers, body: { code: param(req, 'code'), kind: target.kind, name, ...(privacyPolicyUrl ? { privacyPolicyUrl } : {}) } };
  }));

  server.post('/api/interact/:code/chats', h(async (req) => {
    const code = param(req, 'code');
    const target = resolveCode(rt, code);
    const headers = cors(req, target);
    limiter.check(`start:${clientAddress(req)}`, 'start');
    const body = parseBody(req, startSchema);
    if (body.message) checkTextLength(body.message, MAX_MESSAGE_CHARS);
    const token = newSecret();
    const { conversation } = await startConversation(rt, {
      tenant: target.tenant,
      target: target.kind === 'service' ? { kind: 'service', service: target.service } : { kind: 'user', user: target.user },
      channel: 'interact', entry: code.toLowerCase(), customer: { displayName: body.displayName, email: body.email }, tokenHash: sha256(token),
      ...(body.message ? { firstMessage: { text: body.message, clientMessageId: body.clientMessageId } } : {}),
    });
    return { status: 201, headers, body: { chatId: conversation.id, token } };
  }));

  server.get('/api/interact/chats/:chatId', h(async (req) => {
    const conv = await authorizeChat(rt, param(req, 'chatId'), bearer(req));
    return { headers: cors(req, targetOfConversation(rt, conv)), body: await chatStatus(rt, conv) };
  }));

  server.post('/api/interact/chats/:chatId/messages', h(async (req) => {
    const conv = await authorizeChatIdentity(rt, param(req, 'chatId'), bearer(req));
    const headers = cors(req, rt.tenants.interact(conv.entry));
    limiter.check(`chat:${conv.id}`, 'message');
    limiter.check(`addr:${clientAddress(req)}`, 'address');
    const body = parseBody(req, messageSchema);
    checkTextLength(body.text, MAX_MESSAGE_CHARS);
    const r = await postCustomerMessage(rt, conv.tenantId, conv.id, { text: body.text, clientMessageId: body.clientMessageId });
    return { status: r.duplicate ? 200 : 201, headers, body: { id: r.message.id, seq: r.message.seq } };
  }));

  server.get('/api/interact/chats/:chatId/messages', h(async (req) => {
    const conv = await authorizeChat(rt, param(req, 'chatId'), bearer(req));
    const afterText = query(req, 'after') ?? '0';
    const after = Number(afterText);
    if (!Number.isInteger(after) || after < 0) throw badRequest('invalid_request', 'after: a sequence number (0 or more) is required');
    const rows = await listMessages(rt.store.db, conv.tenantId, conv.id, after);
    return { headers: cors(req, targetOfConversation(rt, conv)), body: { messages: rows.map(toChatMessage) } };
  }));

  server.post('/api/interact/chats/:chatId/end', h(async (req) => {
    const conv = await authorizeChat(rt, param(req, 'chatId'), bearer(req));
    const headers = cors(req, targetOfConversation(rt, conv));
    await endByCustomer(rt, conv.tenantId, conv.id);
    return { headers, body: { chatId: conv.id, state: 'ended' } };
  }));
}

/** The caller's address (the socket's; a proxy's X-Forwarded-For is not trusted by default). */
export function clientAddress(req: Request): string {
  return req.socket?.remoteAddress ?? 'unknown';
}

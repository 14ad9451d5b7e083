/**
 * The Interact channel's rules: which codes reach whom, which websites may open a chat, and the
 * chat token that binds a customer to one chat (checked per request, with a bounded cache).
 * The customer API (http/routes/interact.ts) and socket (http/live.ts) apply them.
 */
import { mayContactUserDirectly } from '@stratus/shared/licensing/user';
import { mayServiceUseChannel } from '@stratus/shared/licensing/service';
import { AppError, forbidden, notFound, unauthorized } from '../../errors';
import { getConversationById, type Conversation } from '../../store/repo';
import type { Runtime } from '../../runtime/runtime';
import type { InteractTarget } from '../../tenants/registry';
import { safeEqual, sha256 } from '../../util/ids';
import { BoundedMap } from '../../util/bounded-map';

/** How long a chat token keeps working after its chat ended (reading the transcript, a late reload). */
export const CHAT_TOKEN_TTL_AFTER_END_MS = 6 * 3600_000;
/** How long a cached chat identity is trusted before the chat is read again (its end, its expiry). */
const IDENTITY_RECHECK_MS = 60_000;

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
export function preflightAllowed(rt: Runtime, path: string, origin: string): boolean {
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
export function checkNotExpired(rt: Runtime, endedAt: number | undefined): void {
  if (endedAt !== undefined && rt.clock.now() - endedAt > CHAT_TOKEN_TTL_AFTER_END_MS) {
    throw new AppError(
      401,
      'chat_expired',
      `This chat ended more than ${CHAT_TOKEN_TTL_AFTER_END_MS / 3600_000} hours ago and its token no longer works: start a new chat.`,
    );
  }
}

export function targetOfConversation(rt: Runtime, conv: Conversation): InteractTarget | undefined {
  return rt.tenants.interact(conv.entry);
}

/**
 * What hardly changes about a chat: enough to check its token and origin without a query per
 * message. `endedAt` and `loadedAt` let the cache refuse an expired chat: an entry is read again
 * after IDENTITY_RECHECK_MS, and a post to an ended chat is refused (409) by the write itself
 * until then.
 */
export interface ChatIdentity {
  id: string;
  tenantId: string;
  entry: string;
  channel: string;
  tokenHash: string;
  endedAt?: number;
  loadedAt: number;
}
/** The chat identities this instance checked recently, owned by the app (app.ts), at most `max` (oldest out). */
export class ChatIdentities extends BoundedMap<string, ChatIdentity> {
  constructor(max = 100_000) {
    super(max);
  }

  put(c: ChatIdentity): void {
    this.set(c.id, c);
  }
}

/**
 * The chat's identity, from the cache when it was read less than IDENTITY_RECHECK_MS ago; undefined
 * when there is no such Interact chat (or it has no token).
 */
export async function chatIdentity(rt: Runtime, cache: ChatIdentities, chatId: string): Promise<ChatIdentity | undefined> {
  const c = cache.get(chatId);
  if (c && rt.clock.now() - c.loadedAt <= IDENTITY_RECHECK_MS) return c;
  const conv = await getConversationById(rt.store.db, chatId);
  if (!conv || conv.channel !== 'interact' || !conv.tokenHash) return undefined;
  const fresh: ChatIdentity = {
    id: conv.id,
    tenantId: conv.tenantId,
    entry: conv.entry,
    channel: conv.channel,
    tokenHash: conv.tokenHash,
    endedAt: conv.endedAt,
    loadedAt: rt.clock.now(),
  };
  cache.put(fresh);
  return fresh;
}

/** Checks the chat token (a post, a socket); the chat's open state is checked under lock by the write itself. */
export async function authorizeChatIdentity(
  rt: Runtime,
  cache: ChatIdentities,
  chatId: string,
  token: string | undefined,
): Promise<ChatIdentity> {
  if (!token) throw unauthorized('This chat needs its token.');
  const c = await chatIdentity(rt, cache, chatId);
  if (!c || !safeEqual(c.tokenHash, sha256(token))) throw unauthorized('The chat token is not valid for this chat.');
  checkNotExpired(rt, c.endedAt);
  return c;
}

/** Loads the chat and checks its bearer token, and that the chat did not end too long ago. */
export async function authorizeChat(rt: Runtime, chatId: string, token: string | undefined): Promise<Conversation> {
  const conv = await chatOfToken(rt, chatId, token);
  checkNotExpired(rt, conv.endedAt);
  return conv;
}

/** How long the transcript of an ended chat can be downloaded: as long as its token works. */
export const TRANSCRIPT_TTL_AFTER_END_MS = CHAT_TOKEN_TTL_AFTER_END_MS;

/**
 * The chat whose transcript the token asks for. Past TRANSCRIPT_TTL_AFTER_END_MS it is 410 Gone
 * rather than 401: only the token's holder learns it existed, and learns it will not come back.
 */
export async function authorizeTranscript(rt: Runtime, chatId: string, token: string | undefined): Promise<Conversation> {
  const conv = await chatOfToken(rt, chatId, token);
  if (conv.endedAt !== undefined && rt.clock.now() - conv.endedAt > TRANSCRIPT_TTL_AFTER_END_MS)
    throw new AppError(
      410,
      'chat_expired',
      `The transcript can be downloaded for ${TRANSCRIPT_TTL_AFTER_END_MS / 3600_000} hours after the chat ended.`,
    );
  return conv;
}

/** The chat the bearer token belongs to, whatever its age; 401 for anything else. */
async function chatOfToken(rt: Runtime, chatId: string, token: string | undefined): Promise<Conversation> {
  if (!token) throw unauthorized('This chat needs its token.');
  const conv = await getConversationById(rt.store.db, chatId);
  if (!conv || conv.channel !== 'interact' || !conv.tokenHash || !safeEqual(conv.tokenHash, sha256(token)))
    throw unauthorized('The chat token is not valid for this chat.');
  return conv;
}

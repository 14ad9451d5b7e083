/**
 * The customer's live WebSocket: `/api/interact/chats/{chatId}/live?after=seq`.
 *
 * The upgrade never throws: a malformed target is answered 400, an unknown path or chat 404, a
 * foreign origin 403, a flood 429, each as JSON on the raw socket. The token stays out of the URL
 * (and so out of access logs): the socket is accepted, then its first frame must be
 * `{type:"auth", token}` within `authTimeoutMs`, or it is closed 4401 (4404 for a chat that is gone).
 * `?token=` is ignored: a URL token alone never authorizes. Only after auth does it replay messages
 * after `after`, send the current state, then stream; message frames are deduped by sequence number
 * so a replay and a live event never show twice. Frames are at most 64 kB, compression is off, and a
 * client that stops reading is closed (1013) rather than buffered without end: it reconnects and
 * resumes by sequence number.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CustomerFrame } from '@stratus/shared/contract/api';
import { clientAddress } from './client-address';
import { AppError, badRequest, notFound, unavailable } from '../errors';
import { controlCharProblem } from './text';
import { chatStatus, customerRead, customerTyping, postCustomerMessage } from '../customers/customer-actions';
import { getConversationById } from '../store/repo';
import { listMessages, toChatMessage } from '../store/messages';
import type { Runtime } from '../runtime/runtime';
import { errorMessage } from '../util/log';
import { Listeners } from '../events/listeners';
import { liveSubscriber } from '../events/subscribers';
import { authorizeChatIdentity, chatIdentity, checkOrigin, type ChatIdentities } from '../channels/interact/interact';
import { MAX_MESSAGE_CHARS, MAX_SEQ } from './routes/interact';
import type { RateLimiter } from '../channels/interact/rate-limit';
import { BoundedMap } from '../util/bounded-map';

const PATH = /^\/api\/interact\/chats\/([^/?#]+)\/live$/;
/** Chat ids are ours (`conv_<hex>`); anything else cannot name a chat and never reaches the store. */
const CHAT_ID = /^[A-Za-z0-9_-]{1,128}$/;
const MAX_TARGET_CHARS = 4096;
const MAX_TOKEN_CHARS = 512;
/** Frames a client may send right behind its auth frame, held until auth completes. */
const MAX_EARLY_FRAMES = 16;
export const MAX_FRAME_BYTES = 64 * 1024;
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Close codes the SDK treats as final (4400 + the HTTP status it stands for). */
export const CLOSE = { unauthorized: 4401, forbidden: 4403, notFound: 4404, tooMany: 4429 } as const;

export interface LiveLimits {
  /** How long an accepted socket may stay without its auth frame. */
  authTimeoutMs: number;
  /** Sockets per chat (a customer with a few tabs); a new one closes the oldest with 4429. */
  perChat: number;
  /** Sockets per client address on this instance, pending ones included; over it: HTTP 429 (room for a NAT'd office or a mobile carrier's shared address). */
  perAddress: number;
}
export const DEFAULT_LIVE_LIMITS: LiveLimits = { authTimeoutMs: 5000, perChat: 5, perAddress: 200 };

/** The client's address for caps and limits (X-Forwarded-For only as far as TRUST_PROXY says). */
function addressOf(rt: Runtime, req: IncomingMessage): string {
  return clientAddress(req, rt.config.trustProxy);
}

interface Target {
  chatId: string;
  after: number;
}

/** Reads the request target without ever throwing anything but an AppError. */
export function parseTarget(raw: string | undefined): Target {
  if (!raw || raw.length > MAX_TARGET_CHARS) throw badRequest('invalid_request', 'The request target is missing or too long.');
  let url: URL;
  try {
    url = new URL(raw, 'http://localhost');
  } catch {
    throw badRequest('invalid_request', 'The request target is not a valid URL.');
  }
  // Origin form as sent (no dot-segment folding); absolute form as HTTP/1.1 allows.
  const path = raw.startsWith('/') ? raw.split('?', 1)[0]! : /^https?:\/\//i.test(raw) ? url.pathname : undefined;
  if (path === undefined) throw badRequest('invalid_request', 'The request target is not a path.');
  const m = PATH.exec(path);
  if (!m?.[1]) throw notFound('Nothing here takes a WebSocket.');
  let chatId: string;
  try {
    chatId = decodeURIComponent(m[1]);
  } catch {
    throw badRequest('invalid_request', 'The chat id is not valid percent-encoding.');
  }
  if (!CHAT_ID.test(chatId)) throw notFound('No chat is available here.');
  const after = url.searchParams.get('after') ?? '';
  return { chatId, after: /^\d{1,15}$/.test(after) ? Number(after) : 0 };
}

export class CustomerLive {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES });
  private readonly limits: LiveLimits;
  /** Sockets per address (pending ones too), released when the TCP socket closes. */
  private readonly byAddress = new Map<string, number>();
  /** Authenticated sockets per chat, oldest first (a Set keeps insertion order). */
  private readonly byChat = new Map<string, Set<WebSocket>>();
  /** Frame senders of this instance's sockets, by chat: where the events subscriber routes to. */
  private readonly frames = new Listeners<CustomerFrame>();
  /**
   * What this instance's bus last dispatched per chat: its newest sequence number and state frame.
   * A socket resuming after it (a reconnect storm) needs no query: anything newer reaches it live,
   * because it subscribes in the same turn as it reads this (the bus delivers every event in order).
   */
  private readonly recent = new RecentChats();

  /** The customer's side of the events: messages and state changes of their chat, as frames. */
  readonly subscriber = liveSubscriber('customer sockets', {
    message: (e) => {
      if (!e.conversationId) return;
      this.recent.message(e.conversationId, e.payload.message.seq);
      this.route(e.conversationId, { type: 'message', message: e.payload.message });
    },
    state: (e) => {
      const { conversationId, ...status } = e.payload;
      const frame: StateFrame = { type: 'state', ...status };
      this.recent.state(conversationId, frame);
      this.route(conversationId, frame);
    },
    typing: (e) => {
      if (e.conversationId && e.payload.from === 'agent')
        this.route(e.conversationId, { type: 'typing', ...(e.payload.agentName ? { agentName: e.payload.agentName } : {}) });
    },
  });

  constructor(
    private readonly rt: Runtime,
    private readonly limiter: RateLimiter,
    private readonly identities: ChatIdentities,
    limits: Partial<LiveLimits> = {},
  ) {
    // The address cap follows INTERACT_RATE_LIMIT_SCALE like the other customer limits (0: off, load tests).
    const scale = rt.config.rateLimitScale;
    const perAddress = scale === 0 ? Number.POSITIVE_INFINITY : Math.max(1, Math.round(DEFAULT_LIVE_LIMITS.perAddress * scale));
    this.limits = { ...DEFAULT_LIVE_LIMITS, perAddress, ...limits };
  }

  /** Answers every HTTP upgrade: ours become customer sockets, anything else gets a JSON error. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A client reset mid-upgrade must not become an unhandled 'error' that stops the process.
    socket.on('error', (err) => this.rt.log.debug('customer socket error during upgrade', { error: errorMessage(err) }));
    try {
      const target = parseTarget(req.url);
      const address = addressOf(this.rt, req);
      this.limiter.check(address, 'upgrade');
      const release = this.reserve(address);
      socket.once('close', release);
      void this.admit(req, socket, head, target);
    } catch (e) {
      this.refuse(socket, e);
    }
  }

  /** Counts a socket against its address, or throws 429 over the cap; the returned release is idempotent. */
  private reserve(address: string): () => void {
    const n = this.byAddress.get(address) ?? 0;
    if (n >= this.limits.perAddress)
      throw new AppError(
        429,
        'too_many_connections',
        `At most ${this.limits.perAddress} chat connections per client address.`,
        undefined,
        5,
      );
    this.byAddress.set(address, n + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.byAddress.get(address) ?? 1) - 1;
      if (left > 0) this.byAddress.set(address, left);
      else this.byAddress.delete(address);
    };
  }

  /** Checks the chat exists and the origin may open it (which needs the chat's code), then upgrades. */
  private async admit(req: IncomingMessage, socket: Duplex, head: Buffer, t: Target): Promise<void> {
    try {
      const chat = await chatIdentity(this.rt, this.identities, t.chatId);
      if (!chat) throw notFound('No chat is available here.');
      const target = this.rt.tenants.interact(chat.entry);
      if (target) checkOrigin(this.rt, target, req.headers.origin);
      if (socket.destroyed) return;
      // A bad handshake (key, version) is answered 400 by ws itself and never calls back.
      this.wss.handleUpgrade(req, socket, head, (ws) => this.awaitAuth(ws, t));
    } catch (e) {
      this.refuse(socket, e instanceof AppError ? e : unavailable('The chat could not be opened; try again shortly.'));
      if (!(e instanceof AppError)) this.rt.log.warn('customer socket upgrade failed', { error: errorMessage(e) });
    }
  }

  /** Writes an HTTP error as JSON on the raw socket and closes it. */
  private refuse(socket: Duplex, e: unknown): void {
    const err = e instanceof AppError ? e : undefined;
    if (!err) this.rt.log.warn('customer socket upgrade failed', { error: errorMessage(e) });
    const status = err?.status ?? 500;
    const body = JSON.stringify(err ? err.toBody() : { error: { code: 'internal', message: 'The chat could not be opened; try again.' } });
    const lines = [
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Cache-Control: no-store',
      ...(err?.retryAfter ? [`Retry-After: ${err.retryAfter}`] : []),
      'Connection: close',
    ];
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
  }

  /** An accepted socket: nothing flows until its first frame authenticates it. */
  private awaitAuth(ws: WebSocket, t: Target): void {
    let phase: 'waiting' | 'checking' | 'open' = 'waiting';
    const early: string[] = [];
    let tenantId = '';
    const timer = setTimeout(() => ws.close(CLOSE.unauthorized, 'Send {"type":"auth","token":"…"} first.'), this.limits.authTimeoutMs);
    ws.on('close', () => clearTimeout(timer));
    ws.on('error', (err) => this.rt.log.debug('customer socket error', { error: errorMessage(err) }));
    ws.on('message', (data, isBinary) => {
      const raw = isBinary ? '' : data.toString();
      if (phase === 'open') return void this.onFrame(ws, tenantId, t.chatId, raw);
      if (phase === 'checking') {
        if (early.length < MAX_EARLY_FRAMES) early.push(raw);
        else ws.close(CLOSE.tooMany, 'Wait for the chat to open.');
        return;
      }
      phase = 'checking';
      const token = authToken(raw);
      if (!token) {
        this.sendFrame(ws, {
          type: 'error',
          error: { code: 'unauthorized', message: 'The first frame must be {"type":"auth","token":"…"}.' },
        });
        ws.close(CLOSE.unauthorized, 'The first frame must be auth.');
        return;
      }
      void (async () => {
        try {
          const chat = await authorizeChatIdentity(this.rt, this.identities, t.chatId, token);
          clearTimeout(timer);
          if (ws.readyState !== ws.OPEN) return;
          tenantId = chat.tenantId;
          phase = 'open';
          this.admitToChat(ws, t.chatId);
          this.serve(ws, chat.tenantId, chat.id, t.after);
          for (const f of early.splice(0)) void this.onFrame(ws, tenantId, t.chatId, f);
        } catch (e) {
          const status = e instanceof AppError ? e.status : 0;
          if (!(e instanceof AppError)) this.rt.log.warn('customer socket auth failed', { error: errorMessage(e) });
          if (status === 401 || status === 403 || status === 404)
            ws.close(4000 + status, status === 404 ? 'No such chat.' : status === 403 ? 'Not allowed.' : 'The chat token is not valid.');
          else ws.close(1011, 'Could not check the token: reconnect.');
        }
      })();
    });
  }

  /** Counts an authenticated socket against its chat; over the cap the oldest gives way (4429). */
  private admitToChat(ws: WebSocket, chatId: string): void {
    let set = this.byChat.get(chatId);
    if (!set) this.byChat.set(chatId, (set = new Set()));
    set.add(ws);
    ws.on('close', () => {
      set.delete(ws);
      if (set.size === 0 && this.byChat.get(chatId) === set) this.byChat.delete(chatId);
    });
    while (set.size > this.limits.perChat) {
      const oldest = set.values().next().value as WebSocket;
      set.delete(oldest);
      oldest.close(CLOSE.tooMany, 'This chat is open in too many places.');
    }
  }

  private sendFrame(ws: WebSocket, f: CustomerFrame | { type: 'ack'; clientMessageId?: string; id: string; seq: number }): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(f));
  }

  private serve(ws: WebSocket, tenantId: string, chatId: string, after: number): void {
    let lastSeq = after;
    let replaying = true;
    const held: CustomerFrame[] = [];
    const send = (f: CustomerFrame) => {
      if (f.type === 'message') {
        if (f.message.seq <= lastSeq) return;
        lastSeq = f.message.seq;
      }
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        ws.close(1013, 'too slow: reconnect and resume');
        return;
      }
      ws.send(JSON.stringify(f));
    };
    // Subscribe before the replay query: whatever commits in between is in one or the other.
    const unsubscribe = this.frames.add(chatId, (frame) => (replaying ? held.push(frame) : send(frame)));
    // In the same turn: what the bus has dispatched of this chat, when it has seen enough of it.
    const known = this.recent.get(chatId);
    const upToDate = known !== undefined && known.lastSeq >= 0 && lastSeq >= known.lastSeq;
    const knownState = known?.state && known.state.state !== 'queued' ? known.state : undefined;
    const ping = setInterval(() => ws.readyState === ws.OPEN && ws.ping(), 25_000);
    ws.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
    void (async () => {
      try {
        for (;;) {
          if (upToDate) break;
          const rows = await listMessages(this.rt.store.db, tenantId, chatId, lastSeq, 500);
          for (const r of rows) send({ type: 'message', message: toChatMessage(r) });
          if (rows.length < 500) break;
        }
        // A queued customer's position is computed fresh; the other states are as the last event said.
        const conv = knownState ? undefined : await getConversationById(this.rt.store.db, chatId);
        if (knownState) send(knownState);
        else if (conv) {
          const s = await chatStatus(this.rt, conv);
          send({
            type: 'state',
            state: s.state,
            ...(s.position !== undefined ? { position: s.position } : {}),
            ...(s.agentName ? { agentName: s.agentName } : {}),
            ...(s.estimatedWaitSec !== undefined ? { estimatedWaitSec: s.estimatedWaitSec } : {}),
          });
        }
      } catch (e) {
        this.rt.log.warn('customer socket replay failed', { error: errorMessage(e) });
        ws.close(1011, 'replay failed: reconnect');
      } finally {
        replaying = false;
        for (const f of held.splice(0)) send(f);
      }
    })();
  }

  /** Customers may also write over the socket: `{type:"message", text, clientMessageId?}`, and signal typing and reading. */
  private async onFrame(ws: WebSocket, tenantId: string, chatId: string, raw: string): Promise<void> {
    const reply = (f: Parameters<CustomerLive['sendFrame']>[1]) => this.sendFrame(ws, f);
    let msg: { type?: unknown; text?: unknown; clientMessageId?: unknown; seq?: unknown };
    try {
      msg = JSON.parse(raw) as typeof msg;
    } catch {
      reply({ type: 'error', error: { code: 'invalid_json', message: 'Frames must be JSON.' } });
      return;
    }
    if (msg?.type === 'typing' || msg?.type === 'read') return void this.onSignal(ws, tenantId, chatId, msg);
    if (msg?.type !== 'message') return; // a repeated auth frame, or a kind this server does not know
    const text = typeof msg.text === 'string' ? msg.text.trim() : '';
    const clientMessageId = typeof msg.clientMessageId === 'string' ? msg.clientMessageId.slice(0, 100) : undefined;
    if (!text) return void reply({ type: 'error', error: { code: 'invalid_request', message: 'text: a message cannot be empty' } });
    if (text.length > MAX_MESSAGE_CHARS)
      return void reply({
        type: 'error',
        error: { code: 'too_large', message: `A message may have at most ${MAX_MESSAGE_CHARS} characters.` },
      });
    const problem =
      controlCharProblem('text', text) ?? (clientMessageId ? controlCharProblem('clientMessageId', clientMessageId) : undefined);
    if (problem) return void reply({ type: 'error', error: { code: 'invalid_request', message: problem } });
    try {
      this.limiter.check(`chat:${chatId}`, 'message');
      const r = await postCustomerMessage(this.rt, tenantId, chatId, { text, clientMessageId });
      reply({ type: 'ack', clientMessageId, id: r.message.id, seq: r.message.seq });
    } catch (e) {
      if (!(e instanceof AppError)) this.rt.log.warn('customer socket message failed', { error: errorMessage(e) });
      reply({ type: 'error', error: e instanceof AppError ? e.toBody().error : { code: 'internal', message: 'Not saved; try again.' } });
    }
  }

  /**
   * `{type:"typing"}` and `{type:"read", seq}` (CustomerClientFrame). Typing past the chat's limit
   * (one every 2 s) is dropped without a word; a read with a bad seq is answered with an error
   * frame, one above the last message is clamped to it.
   */
  private async onSignal(ws: WebSocket, tenantId: string, chatId: string, f: { type?: unknown; seq?: unknown }): Promise<void> {
    try {
      if (f.type === 'typing') {
        if (this.limiter.allows(`chat:${chatId}`, 'typing')) await customerTyping(this.rt, tenantId, chatId);
        return;
      }
      const seq = f.seq;
      if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0 || seq > MAX_SEQ)
        return this.sendFrame(ws, {
          type: 'error',
          error: { code: 'invalid_request', message: `seq: a whole number from 0 to ${MAX_SEQ}` },
        });
      if (!this.limiter.allows(`chat:${chatId}`, 'receipt')) return;
      await customerRead(this.rt, tenantId, chatId, seq);
    } catch (e) {
      // Typing and read marks are best effort: a failed one is logged, the next one catches up.
      this.rt.log.warn('customer socket signal failed', { error: errorMessage(e) });
    }
  }

  private route(chatId: string, frame: CustomerFrame): void {
    this.frames.emit(chatId, frame, (e) => this.rt.log.error('customer socket send failed', { error: errorMessage(e) }));
  }

  close(): void {
    for (const c of this.wss.clients) c.close(1001, 'server shutting down');
    this.wss.close();
  }

  get connections(): number {
    return this.wss.clients.size;
  }
}

/** The token of an `{type:"auth", token}` frame, or undefined for anything else. */
function authToken(raw: string): string | undefined {
  try {
    const f = JSON.parse(raw) as { type?: unknown; token?: unknown } | null;
    if (f?.type === 'auth' && typeof f.token === 'string' && f.token.length > 0 && f.token.length <= MAX_TOKEN_CHARS) return f.token;
  } catch {
    // Not JSON: answered as a missing auth frame by the caller.
  }
  return undefined;
}

type StateFrame = Extract<CustomerFrame, { type: 'state' }>;

/** Per chat: the newest sequence number and state frame this instance dispatched (100,000 chats, the least recently active out). */
class RecentChats {
  private readonly byChat = new BoundedMap<string, { lastSeq: number; state?: StateFrame }>(100_000);

  get(chatId: string): { lastSeq: number; state?: StateFrame } | undefined {
    return this.byChat.get(chatId);
  }

  message(chatId: string, seq: number): void {
    const e = this.touch(chatId);
    e.lastSeq = Math.max(e.lastSeq, seq);
  }

  state(chatId: string, frame: StateFrame): void {
    const e = this.touch(chatId);
    e.state = frame;
  }

  /**
   * The chat's entry, moved to the newest end. A chat first seen through a state event has lastSeq
   * -1 (unknown: its messages are read), so only a message event makes a resume skip the read.
   */
  private touch(chatId: string): { lastSeq: number; state?: StateFrame } {
    const e = this.byChat.get(chatId) ?? { lastSeq: -1 };
    this.byChat.set(chatId, e);
    return e;
  }
}

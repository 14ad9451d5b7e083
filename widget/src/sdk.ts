/**
 * Stratus Interact SDK: a typed client for the customer chat API, served as an ES module at
 * `/interact/sdk.js`. The chat page uses it; a website can use it to build its own chat UI.
 *
 *   import { StratusChat } from 'https://stratus.example.com/interact/sdk.js';
 *   const chat = new StratusChat({ code: 'support' });
 *   chat.on('message', (m) => show(m.from, m.text));   // show as text, never as HTML
 *   chat.on('state', (s) => showState(s.state, s.position, s.agentName));
 *   await chat.start({ displayName: 'Carol', email: 'carol@example.com', privacyAccepted: true, message: 'Hello' });
 *   await chat.send('Where is my parcel?');
 *
 * It keeps the live connection up (reconnecting with backoff and resuming after the last message
 * it has, so nothing is lost or shown twice), retries a send that may not have arrived with the
 * same client message id (so it is stored once), and can resume a chat after a page reload.
 */
import type {
  ApiError,
  ChatMessage,
  CsatRating,
  CustomerChatState,
  CustomerClientFrame,
  CustomerFrame,
  CustomerRating,
  RateChatResponse,
} from '../../shared/contract/api';

export type { ChatMessage, CsatRating, CustomerChatState, CustomerRating };

export interface ChatStateEvent {
  state: CustomerChatState;
  position?: number;
  agentName?: string;
  estimatedWaitSec?: number;
  /** From `status()` only: an ended chat the customer may rate (`asked`), or the rating they gave. */
  rating?: CustomerRating;
}

/** Longest comment a rating may carry (characters). */
export const MAX_RATING_COMMENT = 1000;

export interface ConnectionEvent {
  /** `open`: live; `reconnecting`: the connection dropped and is being restored; `closed`: ended or stopped. */
  status: 'open' | 'reconnecting' | 'closed';
}

export interface StartOptions {
  displayName: string;
  email: string;
  privacyAccepted: boolean;
  message?: string;
  /** The customer's language: the server's own messages (and the workflow's, where translated) use it. */
  language?: 'en' | 'de' | 'fr';
}

/** The agent is typing (show it for a few seconds, or until their message arrives). */
export interface TypingEvent {
  agentName?: string;
}

/** How often `typing()` tells the server at most (the server drops more than one per 2 s). */
export const TYPING_INTERVAL_MS = 3000;

/** What to keep (e.g. in sessionStorage) to resume a chat after a reload. */
export interface ChatSession {
  chatId: string;
  token: string;
  lastSeq: number;
}

export interface CodeInfo {
  code: string;
  kind: 'service' | 'user';
  name: string;
  privacyPolicyUrl?: string;
  /** The title bar text the admin set (default: "Chat with {name}"). */
  title?: string;
  /** The accent colour, `#rrggbb`. */
  color?: string;
  /** A greeting shown above the start form. */
  greeting?: string;
  language?: 'en' | 'de' | 'fr';
}

export class StratusApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'StratusApiError';
  }
}

type Events = { message: ChatMessage; state: ChatStateEvent; connection: ConnectionEvent; error: StratusApiError; typing: TypingEvent };
type Handler<K extends keyof Events> = (e: Events[K]) => void;

export interface StratusChatOptions {
  /** The Interact code of the service or user (`data-code` of the snippet). */
  code: string;
  /** Origin of the Stratus server; default: where this module was loaded from. */
  baseUrl?: string;
  /** Injected for tests. */
  fetch?: typeof fetch;
  WebSocket?: typeof WebSocket;
}

const defaultBase = (() => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return '';
  }
})();

function newId(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class StratusChat {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;
  private readonly WS: typeof WebSocket;
  private readonly handlers: { [K in keyof Events]: Set<Handler<K>> } = {
    message: new Set(),
    state: new Set(),
    connection: new Set(),
    error: new Set(),
    typing: new Set(),
  };
  private session?: ChatSession;
  private readonly seen = new Set<number>();
  private ws?: WebSocket;
  private stopped = false;
  private attempt = 0;
  private ended = false;
  private reconnectTimer?: ReturnType<typeof setTimeout>;
  private lastTypingAt = -Infinity;
  private readReported = 0;

  constructor(private readonly opts: StratusChatOptions) {
    this.base = (opts.baseUrl ?? defaultBase).replace(/\/$/, '');
    this.fetchFn = opts.fetch ?? ((...a) => fetch(...a));
    this.WS = opts.WebSocket ?? WebSocket;
  }

  on<K extends keyof Events>(event: K, fn: Handler<K>): () => void {
    this.handlers[event].add(fn);
    return () => this.handlers[event].delete(fn);
  }

  private emit<K extends keyof Events>(event: K, e: Events[K]): void {
    for (const fn of this.handlers[event]) fn(e);
  }

  /** The chat to keep for a resume (after a reload), or undefined before start. */
  get current(): ChatSession | undefined {
    return this.session && { ...this.session };
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private async request<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth && this.session) headers.authorization = `Bearer ${this.session.token}`;
    const res = await this.fetchFn(this.base + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (!res.ok) {
      const err = (data as ApiError | undefined)?.error;
      const retry = Number(res.headers.get('retry-after') ?? '') || undefined;
      throw new StratusApiError(res.status, err?.code ?? 'http_error', err?.message ?? `The chat service answered ${res.status}.`, retry);
    }
    return data as T;
  }

  /** Public facts about the code: its name and privacy policy link. 404 when it takes no chats. */
  info(): Promise<CodeInfo> {
    return this.request<CodeInfo>('GET', `/api/interact/${encodeURIComponent(this.opts.code)}`, undefined, false);
  }

  /** Starts a chat and goes live. */
  async start(o: StartOptions): Promise<ChatSession> {
    const r = await this.request<{ chatId: string; token: string }>(
      'POST',
      `/api/interact/${encodeURIComponent(this.opts.code)}/chats`,
      { ...o, ...(o.message ? { clientMessageId: newId() } : {}) },
      false,
    );
    this.session = { chatId: r.chatId, token: r.token, lastSeq: 0 };
    this.connect();
    return { ...this.session };
  }

  /** Resumes a chat kept from before (a reload): history after `lastSeq` is replayed, then live. */
  resume(s: ChatSession): void {
    this.session = { ...s };
    this.connect();
  }

  /** History of the chat (after a sequence number). */
  async history(afterSeq = 0): Promise<ChatMessage[]> {
    const s = this.mustHave();
    const r = await this.request<{ messages: ChatMessage[] }>('GET', `/api/interact/chats/${s.chatId}/messages?after=${afterSeq}`);
    return r.messages;
  }

  /**
   * Sends a message. A network failure or 503 is retried with the same client message id, so the
   * message is stored once however often it is sent; resolves with the stored message's id and seq.
   */
  async send(text: string, clientMessageId = newId()): Promise<{ id: string; seq: number }> {
    const s = this.mustHave();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.request<{ id: string; seq: number }>('POST', `/api/interact/chats/${s.chatId}/messages`, {
          text,
          clientMessageId,
        });
      } catch (e) {
        const retryable = !(e instanceof StratusApiError) || e.status === 503 || e.status === 429;
        if (!retryable || attempt >= 4) throw e;
        const wait = e instanceof StratusApiError && e.retryAfterSec ? e.retryAfterSec * 1000 : 300 * 2 ** attempt;
        await sleep(wait);
      }
    }
  }

  /**
   * The customer is typing: call it on every keystroke; the agent is told at most every 3 s (on
   * the live socket, or over HTTP while it is down). Best effort: failures are ignored.
   */
  typing(now = Date.now()): void {
    if (!this.session || this.ended || now - this.lastTypingAt < TYPING_INTERVAL_MS) return;
    this.lastTypingAt = now;
    if (!this.signal({ type: 'typing' }))
      this.request('POST', `/api/interact/chats/${this.session.chatId}/typing`, {}).catch(() => undefined);
  }

  /**
   * The customer has seen the chat up to `seq` (call it when messages are on screen and the page
   * is visible): the agent sees their messages as read. Only a higher mark is sent. Best effort.
   */
  markRead(seq: number): void {
    if (!this.session || !Number.isInteger(seq) || seq <= this.readReported) return;
    this.readReported = seq;
    if (!this.signal({ type: 'read', seq }))
      this.request('POST', `/api/interact/chats/${this.session.chatId}/read`, { seq }).catch(() => undefined);
  }

  /**
   * The chat as a text file (`[time] Name: text` lines), during the chat and for some hours after
   * it ended; offer it with `URL.createObjectURL(blob)` and an `<a download>`.
   */
  async transcript(): Promise<{ blob: Blob; filename: string }> {
    const s = this.mustHave();
    const res = await this.fetchFn(`${this.base}/api/interact/chats/${encodeURIComponent(s.chatId)}/transcript`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    if (!res.ok) {
      let err: ApiError['error'] | undefined;
      try {
        err = (JSON.parse(await res.text()) as ApiError).error;
      } catch {
        err = undefined;
      }
      throw new StratusApiError(res.status, err?.code ?? 'http_error', err?.message ?? `The chat service answered ${res.status}.`);
    }
    const name = /filename="([\w.-]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'chat.txt';
    return { blob: await res.blob(), filename: name };
  }

  /**
   * The chat's state now, as on a reload: for an ended chat whose service asks for ratings, also
   * whether the customer may still rate it (`rating: {asked: true}`) or did (`{given: 4}`).
   */
  async status(): Promise<ChatStateEvent> {
    const s = this.mustHave();
    const { chatId: _id, ...status } = await this.request<ChatStateEvent & { chatId: string }>(
      'GET',
      `/api/interact/chats/${encodeURIComponent(s.chatId)}`,
    );
    return status;
  }

  /**
   * Rates the ended chat, once: 1 (poor) to 5 (excellent), with an optional comment of up to 1,000
   * characters. Rejects with 409 `already_rated`, `not_asked` (nobody took the chat, or the service
   * does not ask) or `not_ended`, and 400 for a bad rating or comment.
   */
  async rate(rating: CsatRating, comment?: string): Promise<{ given: CsatRating }> {
    const s = this.mustHave();
    const text = comment?.trim();
    const r = await this.request<RateChatResponse>('POST', `/api/interact/chats/${encodeURIComponent(s.chatId)}/rating`, {
      rating,
      ...(text ? { comment: text } : {}),
    });
    return r.rating;
  }

  /** Sends a client frame on the live socket when it is open; false when it is not (use HTTP). */
  private signal(f: CustomerClientFrame): boolean {
    const ws = this.ws;
    if (!ws || this.stopped || ws.readyState !== 1) return false;
    ws.send(JSON.stringify(f));
    return true;
  }

  /** Ends the chat for good. */
  async end(): Promise<void> {
    const s = this.mustHave();
    await this.request('POST', `/api/interact/chats/${s.chatId}/end`, {});
    this.ended = true;
    this.emit('state', { state: 'ended' });
    this.close();
  }

  /** Stops the live connection (the chat goes on; resume() later). */
  close(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.ws?.close();
    this.emit('connection', { status: 'closed' });
  }

  private mustHave(): ChatSession {
    if (!this.session) throw new StratusApiError(0, 'no_chat', 'Start or resume a chat first.');
    return this.session;
  }

  private connect(): void {
    const s = this.mustHave();
    this.stopped = false;
    // The token goes in the first frame, never the URL: URLs end up in access logs.
    const url = `${this.base.replace(/^http/, 'ws')}/api/interact/chats/${encodeURIComponent(s.chatId)}/live?after=${s.lastSeq}`;
    const ws = new this.WS(url);
    this.ws = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'auth', token: s.token }));
      this.attempt = 0;
      this.emit('connection', { status: 'open' });
    };
    ws.onmessage = (ev: MessageEvent) => {
      let f: CustomerFrame;
      try {
        f = JSON.parse(String(ev.data)) as CustomerFrame;
      } catch {
        return;
      }
      this.onFrame(f);
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws || this.stopped || this.ended) return;
      // 4401/4403/4404: the token or chat is not valid any more; 4429: the chat was opened in more
      // places than the server keeps, and this, the oldest, gave way. Stop rather than retry forever.
      if (ev.code >= 4400 && ev.code < 4500) {
        this.emit('error', new StratusApiError(ev.code - 4000, 'closed', ev.reason || 'The chat cannot be reached.'));
        this.emit('connection', { status: 'closed' });
        return;
      }
      this.emit('connection', { status: 'reconnecting' });
      const delay = Math.min(15_000, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
      this.attempt += 1;
      this.reconnectTimer = setTimeout(() => void this.reconnect(), delay);
    };
  }

  /** After repeated failures, asks whether the chat is still there before trying again. */
  private async reconnect(): Promise<void> {
    if (this.stopped || this.ended) return;
    if (this.attempt >= 2) {
      try {
        const s = await this.request<{ state: CustomerChatState }>('GET', `/api/interact/chats/${this.mustHave().chatId}`);
        if (s.state === 'ended') {
          // Show what was said before it ended, then the end.
          for (const m of await this.history(this.session?.lastSeq ?? 0)) this.onFrame({ type: 'message', message: m });
          this.onFrame({ type: 'state', state: 'ended' });
          return;
        }
      } catch (e) {
        if (e instanceof StratusApiError && [401, 403, 404].includes(e.status)) {
          this.emit('error', e);
          this.stopped = true;
          this.emit('connection', { status: 'closed' });
          return;
        }
      }
    }
    this.connect();
  }

  private onFrame(f: CustomerFrame): void {
    if (f.type === 'message') {
      const m = f.message;
      // At-least-once delivery: a message is shown once, by its sequence number.
      if (this.seen.has(m.seq)) return;
      this.seen.add(m.seq);
      if (this.session && m.seq > this.session.lastSeq) this.session.lastSeq = m.seq;
      this.emit('message', m);
    } else if (f.type === 'state') {
      if (f.state === 'ended') this.ended = true;
      this.emit('state', {
        state: f.state,
        ...(f.position !== undefined ? { position: f.position } : {}),
        ...(f.agentName ? { agentName: f.agentName } : {}),
        ...(f.estimatedWaitSec !== undefined ? { estimatedWaitSec: f.estimatedWaitSec } : {}),
      });
      if (f.state === 'ended') this.close();
    } else if (f.type === 'error') {
      this.emit('error', new StratusApiError(0, f.error.code, f.error.message));
    } else if (f.type === 'typing') {
      this.emit('typing', f.agentName ? { agentName: f.agentName } : {});
    }
  }
}

/**
 * The customer's live WebSocket: `/api/interact/chats/{chatId}/live?token=&after=seq`.
 * On connect it replays messages after `after`, sends the current state, then streams; message
 * frames are deduped by sequence number so a replay and a live event never show twice.
 * Frames are at most 64 kB, compression is off, and a client that stops reading is closed
 * (1013) rather than buffered without end: it reconnects and resumes by sequence number.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CustomerFrame } from '@stratus/shared/contract/api';
import { AppError } from '../../http/errors';
import { chatStatus, postCustomerMessage } from '../../services/chats';
import { listMessages, toChatMessage } from '../../services/repo';
import type { Runtime } from '../../services/runtime';
import { errorMessage } from '../../util/log';
import { authorizeChat, checkOrigin, MAX_MESSAGE_CHARS } from './routes';
import type { RateLimiter } from './rate-limit';

const PATH = /^\/api\/interact\/chats\/([^/]+)\/live$/;
export const MAX_FRAME_BYTES = 64 * 1024;
const MAX_BUFFERED_BYTES = 1024 * 1024;

export class CustomerLive {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES });

  constructor(private readonly rt: Runtime, private readonly limiter: RateLimiter) {}

  /** Handles an HTTP upgrade if it is ours; returns false otherwise. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = PATH.exec(url.pathname);
    if (!m?.[1]) return false;
    const chatId = decodeURIComponent(m[1]);
    const after = Math.max(0, Number(url.searchParams.get('after') ?? '0') || 0);
    void (async () => {
      try {
        const conv = await authorizeChat(this.rt, chatId, url.searchParams.get('token') ?? undefined);
        const target = this.rt.tenants.interact(conv.entry);
        if (target) checkOrigin(this.rt, target, req.headers.origin);
        this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, conv.tenantId, conv.id, after));
      } catch (e) {
        const status = e instanceof AppError ? e.status : 500;
        const body = JSON.stringify(e instanceof AppError ? e.toBody() : { error: { code: 'internal', message: 'failed' } });
        socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      }
    })();
    return true;
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
    const unsubscribe = this.rt.bus.onConversation(chatId, (e) => {
      let frame: CustomerFrame | undefined;
      if (e.type === 'message') frame = { type: 'message', message: e.payload.message as never };
      else if (e.type === 'state') {
        const { conversationId: _c, ...rest } = e.payload as Record<string, unknown>;
        frame = { type: 'state', ...rest } as CustomerFrame;
      }
      if (!frame) return;
      if (replaying) held.push(frame);
      else send(frame);
    });
    const ping = setInterval(() => ws.readyState === ws.OPEN && ws.ping(), 25_000);
    ws.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
    ws.on('error', (err) => this.rt.log.debug('customer socket error', { error: errorMessage(err) }));
    ws.on('message', (data) => void this.onFrame(ws, tenantId, chatId, data.toString()));
    void (async () => {
      try {
        for (;;) {
          const rows = await listMessages(this.rt.store.db, tenantId, chatId, lastSeq, 500);
          for (const r of rows) send({ type: 'message', message: toChatMessage(r) });
          if (rows.length < 500) break;
        }
        const { getConversationById } = await import('../../services/repo');
        const conv = await getConversationById(this.rt.store.db, chatId);
        if (conv) {
          const s = await chatStatus(this.rt, conv);
          send({ type: 'state', state: s.state, ...(s.position !== undefined ? { position: s.position } : {}), ...(s.agentName ? { agentName: s.agentName } : {}), ...(s.estimatedWaitSec !== undefined ? { estimatedWaitSec: s.estimatedWaitSec } : {}) });
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

  /** Customers may also write over the socket: `{type:"message", text, clientMessageId?}`. */
  private async onFrame(ws: WebSocket, tenantId: string, chatId: string, raw: string): Promise<void> {
    const reply = (f: CustomerFrame | { type: 'ack'; clientMessageId?: string; id: string; seq: number }) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(f));
    let msg: { type?: unknown; text?: unknown; clientMessageId?: unknown };
    try {
      msg = JSON.parse(raw) as typeof msg;
    } catch {
      reply({ type: 'error', error: { code: 'invalid_json', message: 'Frames must be JSON.' } });
      return;
    }
    if (msg.type !== 'message') return;
    const text = typeof msg.text === 'string' ? msg.text.trim() : '';
    const clientMessageId = typeof msg.clientMessageId === 'string' ? msg.clientMessageId.slice(0, 100) : undefined;
    if (!text) return void reply({ type: 'error', error: { code: 'invalid_request', message: 'text: a message cannot be empty' } });
    if (text.length > MAX_MESSAGE_CHARS) return void reply({ type: 'error', error: { code: 'too_large', message: `A message may have at most ${MAX_MESSAGE_CHARS} characters.` } });
    try {
      this.limiter.check(`chat:${chatId}`, 'message');
      const r = await postCustomerMessage(this.rt, tenantId, chatId, { text, clientMessageId });
      reply({ type: 'ack', clientMessageId, id: r.message.id, seq: r.message.seq });
    } catch (e) {
      reply({ type: 'error', error: e instanceof AppError ? e.toBody().error : { code: 'internal', message: 'Not saved; try again.' } });
    }
  }

  close(): void {
    for (const c of this.wss.clients) c.close(1001, 'server shutting down');
    this.wss.close();
  }

  get connections(): number {
    return this.wss.clients.size;
  }
}

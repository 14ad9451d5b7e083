/**
 * The customer WebSocket against hostile clients, over the real server: malformed upgrade targets,
 * resets mid-upgrade, tokens in the URL, wrong or missing auth frames, too many sockets per chat
 * and per address, upgrade floods, and control characters in message frames. Each gets a clear
 * answer, nothing is stored, and the server keeps answering.
 */
import net from 'node:net';
import WebSocket from 'ws';
import { DEFAULT_LIMITS, RateLimiter } from '../channels/interact/rate-limit';
import { openCustomerSocket, startHarness, waitFor, type Harness } from './harness';

/** Sends one upgrade request on a raw TCP socket and reads the answer until the server closes. */
function rawUpgrade(url: string, target: string): Promise<{ status: number; body: any; raw: string }> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(port), '127.0.0.1');
    let raw = '';
    const done = () => {
      clearTimeout(guard);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
      const text = raw.split('\r\n\r\n').slice(1).join('\r\n\r\n');
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: the assertion shows the raw answer.
      }
      resolve({ status, body, raw });
    };
    const guard = setTimeout(() => s.destroy(), 5000);
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      raw += d;
      // An accepted upgrade stays open: its status line is the answer.
      if (raw.startsWith('HTTP/1.1 101') && raw.includes('\r\n\r\n')) s.destroy();
    });
    s.on('error', () => undefined); // a reset after the answer is fine; the answer is what counts
    s.on('close', done);
    s.write(
      `GET ${target} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

/** A socket opened without any token handling: the test drives its frames. */
function bareSocket(
  url: string,
  path: string,
  headers: Record<string, string> = {},
): { ws: WebSocket; frames: any[]; closed: Promise<{ code: number; reason: string }>; opened: Promise<void> } {
  const ws = new WebSocket(`${url.replace('http', 'ws')}${path}`, { headers });
  const frames: any[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d))));
  const closed = new Promise<{ code: number; reason: string }>((r) =>
    ws.once('close', (code, reason) => r({ code, reason: String(reason) })),
  );
  const opened = new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
    ws.once('unexpected-response', (_req, r) => rej(new Error(`HTTP ${r.statusCode}`)));
  });
  return { ws, frames, closed, opened };
}

const healthy = async (h: Harness) => expect((await fetch(`${h.url}/healthz`)).status).toBe(200);

describe('with short auth timeout and two sockets per chat', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ app: { live: { authTimeoutMs: 300, perChat: 2 } } });
  });
  afterAll(async () => {
    await h?.stop();
  });
  const startChat = async (message = 'Hello') => {
    const r = await h.call('POST', '/api/interact/support/chats', {
      displayName: 'Mallory',
      email: 'm@example.com',
      privacyAccepted: true,
      message,
    });
    expect(r.status).toBe(201);
    return r.data as { chatId: string; token: string };
  };

  test.each([
    ['a bad percent-escape in the chat id', '/api/interact/chats/%/live', 400],
    ['a truncated UTF-8 escape', '/api/interact/chats/%E0%A4%A/live', 400],
    ['a target that is not a URL', '//:/x', 400],
    ['an unclosed IPv6 host', 'http://[::1', 400],
    ['an asterisk', '*', 400],
    ['a target of 5,000 characters', `/api/interact/chats/${'a'.repeat(5000)}/live`, 400],
    ['a NUL in the chat id', '/api/interact/chats/a%00b/live', 404],
    ['an unknown chat', '/api/interact/chats/conv_doesnotexist/live', 404],
    ['a path that takes no socket', '/healthz', 404],
    ['a scheme-relative path', '//evil.example.com/api/interact/chats/x/live', 404],
  ])('an upgrade with %s gets a JSON error and the server keeps answering', async (_what, target, status) => {
    const r = await rawUpgrade(h.url, target);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toEqual(expect.any(String));
    await healthy(h);
  });

  test('an upgrade target past the header limit is refused and the server keeps answering', async () => {
    const r = await rawUpgrade(h.url, `/api/interact/chats/${'b'.repeat(100_000)}/live`);
    expect(r.status).toBeGreaterThanOrEqual(400);
    await healthy(h);
  });

  test('a client that resets mid-upgrade does not stop the server', async () => {
    const chat = await startChat();
    const { port } = new URL(h.url);
    for (let i = 0; i < 5; i++) {
      const s = net.connect(Number(port), '127.0.0.1');
      s.on('error', () => undefined);
      await new Promise<void>((r) => s.once('connect', () => r()));
      s.write(
        `GET /api/interact/chats/${chat.chatId}/live HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      if (i % 2) await new Promise((r) => setTimeout(r, i * 5));
      s.resetAndDestroy();
    }
    await new Promise((r) => setTimeout(r, 100));
    await healthy(h);
  });

  test('a socket with the token only in the URL gets nothing and is closed 4401 when its time is up', async () => {
    const chat = await startChat('secret history');
    const s = bareSocket(h.url, `/api/interact/chats/${chat.chatId}/live?token=${encodeURIComponent(chat.token)}`);
    await s.opened;
    const { code } = await s.closed;
    expect(code).toBe(4401);
    expect(s.frames.filter((f) => f.type !== 'error')).toEqual([]);
  });

  test('the auth frame authenticates the socket, which then replays after `after` and streams', async () => {
    const chat = await startChat('first');
    await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'second' }, chat.token);
    const { ws, frames } = await openCustomerSocket(h.url, chat.chatId, chat.token);
    const said = (fs: any[]) => fs.filter((f) => f.type === 'message' && f.message.from === 'customer').map((f) => f.message.text);
    expect(said(frames)).toEqual(['first', 'second']);
    const firstSeq = frames.find((f) => f.type === 'message' && f.message.text === 'first').message.seq;
    ws.close();
    const resumed = await openCustomerSocket(h.url, chat.chatId, chat.token, firstSeq);
    expect(said(resumed.frames)).toEqual(['second']);
    await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'third' }, chat.token);
    await waitFor('the live message', () => resumed.frames.some((f) => f.type === 'message' && f.message.text === 'third'));
    resumed.ws.close();
  });

  test("the smoke script's way (token in the URL and in the auth frame) works", async () => {
    const chat = await startChat('smoke');
    const s = bareSocket(h.url, `/api/interact/chats/${chat.chatId}/live?token=${encodeURIComponent(chat.token)}`);
    await s.opened;
    s.ws.send(JSON.stringify({ type: 'auth', token: chat.token }));
    await waitFor('replay', () => s.frames.some((f) => f.type === 'message' && f.message.text === 'smoke'));
    s.ws.close();
  });

  test.each([
    ['a wrong token', (token: string) => JSON.stringify({ type: 'auth', token: `${token}x` })],
    ['a token of 10,000 characters', () => JSON.stringify({ type: 'auth', token: 'a'.repeat(10_000) })],
    ['a message before auth', () => JSON.stringify({ type: 'message', text: 'hi' })],
    ['a frame that is not JSON', () => 'hello'],
  ])('%s closes the socket 4401 with no history sent', async (_what, first) => {
    const chat = await startChat('private');
    const s = bareSocket(h.url, `/api/interact/chats/${chat.chatId}/live`);
    await s.opened;
    s.ws.send(first(chat.token));
    expect((await s.closed).code).toBe(4401);
    expect(s.frames.filter((f) => f.type === 'message' || f.type === 'state')).toEqual([]);
    const history = await h.call('GET', `/api/interact/chats/${chat.chatId}/messages`, undefined, chat.token);
    expect(history.data.messages.filter((m: { from: string }) => m.from === 'customer').map((m: { text: string }) => m.text)).toEqual([
      'private',
    ]);
  });

  test('a third socket on one chat closes the oldest with 4429; the newer two stay', async () => {
    const chat = await startChat();
    const a = await openCustomerSocket(h.url, chat.chatId, chat.token);
    const aClosed = new Promise<number>((r) => a.ws.once('close', (code) => r(code)));
    const b = await openCustomerSocket(h.url, chat.chatId, chat.token);
    const c = await openCustomerSocket(h.url, chat.chatId, chat.token);
    expect(await aClosed).toBe(4429);
    expect(b.ws.readyState).toBe(WebSocket.OPEN);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    b.ws.close();
    c.ws.close();
  });

  test('a message frame with NUL or another control character is refused and nothing is stored', async () => {
    const chat = await startChat('start');
    const { ws, frames } = await openCustomerSocket(h.url, chat.chatId, chat.token);
    for (const text of ['a\u0000b', 'bell\u0007', 'esc\u001b[31m']) ws.send(JSON.stringify({ type: 'message', text }));
    ws.send(JSON.stringify({ type: 'message', text: 'tab\tand\nnewline', clientMessageId: 'ok-1' }));
    await waitFor('the answers', () => frames.filter((f) => f.type === 'error' || f.type === 'ack').length >= 4);
    const errors = frames.filter((f) => f.type === 'error');
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(e.error.code).toBe('invalid_request');
    expect(frames.find((f) => f.type === 'ack')).toMatchObject({ clientMessageId: 'ok-1' });
    const history = await h.call('GET', `/api/interact/chats/${chat.chatId}/messages`, undefined, chat.token);
    expect(history.data.messages.filter((m: { from: string }) => m.from === 'customer').map((m: { text: string }) => m.text)).toEqual([
      'start',
      'tab\tand\nnewline',
    ]);
    ws.close();
    await healthy(h);
  });
});

describe('with three sockets per address', () => {
  let h: Harness;
  beforeAll(async () => {
    // Upgrades: a burst of 60 from one address, then next to none (the default allows far more).
    const limiter = new RateLimiter({ now: () => Date.now() }, 1, { ...DEFAULT_LIMITS, upgrade: { burst: 60, perSec: 0.001 } });
    h = await startHarness({ app: { live: { perAddress: 3 }, limiter } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('past the cap an upgrade gets 429 JSON before upgrading; closing one frees its place', async () => {
    const chat = (
      await h.call('POST', '/api/interact/support/chats', { displayName: 'Mallory', email: 'm@example.com', privacyAccepted: true })
    ).data;
    const open = [];
    for (let i = 0; i < 3; i++) open.push(await openCustomerSocket(h.url, chat.chatId, chat.token));
    // Pending sockets (not yet authenticated) count too, so a flood of idle sockets cannot get round it.
    const refused = await rawUpgrade(h.url, `/api/interact/chats/${chat.chatId}/live`);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_connections');
    expect(refused.raw).toMatch(/Retry-After: \d+/);
    open.pop()!.ws.close();
    await waitFor('the freed place', async () => (await rawUpgrade(h.url, `/api/interact/chats/${chat.chatId}/live`)).status === 101);
    for (const s of open) s.ws.close();
    await healthy(h);
  });

  test('a flood of upgrades from one address is rate limited with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 80; i++) statuses.push((await rawUpgrade(h.url, '/api/interact/chats/conv_nothere/live')).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(statuses.slice(-5)).toEqual(Array(5).fill(429));
    await healthy(h);
  });
});

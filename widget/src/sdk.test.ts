/** @jest-environment jsdom */
import { StratusChat } from './sdk';

type Sent = { method: string; url: string; body?: any; auth?: string };

/** A fake server: answers fetch, and lets the test push frames on fake sockets. */
function fakeServer() {
  const calls: Sent[] = [];
  const sockets: FakeSocket[] = [];
  let postFailures = 0;
  const stored = new Map<string, { id: string; seq: number }>();
  let seq = 1;
  class FakeSocket {
    onopen?: () => void;
    onmessage?: (e: { data: string }) => void;
    onclose?: (e: { code: number; reason: string }) => void;
    closed = false;
    readonly sent: any[] = [];
    constructor(readonly url: string) {
      sockets.push(this);
      setTimeout(() => this.onopen?.(), 0);
    }
    push(f: unknown) {
      this.onmessage?.({ data: JSON.stringify(f) });
    }
    drop() {
      this.onclose?.({ code: 1006, reason: '' });
    }
    send(data: string) {
      this.sent.push(JSON.parse(data));
    }
    close() {
      this.closed = true;
    }
  }
  const fetchFn = (async (url: string, init: RequestInit = {}) => {
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method: init.method ?? 'GET', url, body, auth: (init.headers as Record<string, string>)?.authorization });
    const json = (status: number, data: unknown) => ({
      ok: status < 300,
      status,
      headers: { get: () => null },
      text: async () => JSON.stringify(data),
    });
    if (url.endsWith('/chats') && init.method === 'POST') return json(201, { chatId: 'c1', token: 't1' });
    if (url.endsWith('/messages') && init.method === 'POST') {
      if (postFailures > 0) {
        postFailures -= 1;
        throw new TypeError('network down');
      }
      const id = body.clientMessageId;
      if (!stored.has(id)) stored.set(id, { id: `m${seq}`, seq: seq++ });
      return json(201, stored.get(id));
    }
    if (/\/chats\/c1$/.test(url)) return json(200, { chatId: 'c1', state: 'queued' });
    return json(404, { error: { code: 'not_found', message: 'No chat is available here.' } });
  }) as unknown as typeof fetch;
  return { calls, sockets, fetchFn, FakeSocket, failPosts: (n: number) => (postFailures = n), stored };
}

const msg = (seq: number, text = `m${seq}`) => ({
  type: 'message',
  message: { id: `id${seq}`, seq, from: 'agent', text, at: '2026-11-25T10:00:00Z' },
});

test('start goes live; messages are delivered once each, by sequence number', async () => {
  const s = fakeServer();
  const chat = new StratusChat({
    code: 'support',
    baseUrl: 'https://stratus.test',
    fetch: s.fetchFn,
    WebSocket: s.FakeSocket as unknown as typeof WebSocket,
  });
  const got: number[] = [];
  chat.on('message', (m) => got.push(m.seq));
  await chat.start({ displayName: 'Carol', email: 'c@example.com', privacyAccepted: true, message: 'hi' });
  expect(s.calls[0]).toMatchObject({
    method: 'POST',
    url: 'https://stratus.test/api/interact/support/chats',
    body: { displayName: 'Carol', message: 'hi' },
  });
  expect(s.sockets[0]!.url).toBe('wss://stratus.test/api/interact/chats/c1/live?after=0');
  await new Promise((r) => setTimeout(r, 0));
  expect(s.sockets[0]!.sent).toEqual([{ type: 'auth', token: 't1' }]);
  s.sockets[0]!.push(msg(1));
  s.sockets[0]!.push(msg(2));
  s.sockets[0]!.push(msg(2));
  expect(got).toEqual([1, 2]);
  expect(chat.current).toEqual({ chatId: 'c1', token: 't1', lastSeq: 2 });
});

test('after a drop it reconnects and resumes after the last message, without duplicates', async () => {
  jest.useFakeTimers();
  const s = fakeServer();
  const chat = new StratusChat({
    code: 'support',
    baseUrl: 'http://stratus.test',
    fetch: s.fetchFn,
    WebSocket: s.FakeSocket as unknown as typeof WebSocket,
  });
  const got: number[] = [];
  const statuses: string[] = [];
  chat.on('message', (m) => got.push(m.seq));
  chat.on('connection', (c) => statuses.push(c.status));
  chat.resume({ chatId: 'c1', token: 't1', lastSeq: 0 });
  jest.advanceTimersByTime(1);
  s.sockets[0]!.push(msg(1));
  s.sockets[0]!.push(msg(2));
  s.sockets[0]!.drop();
  expect(statuses).toContain('reconnecting');
  await jest.advanceTimersByTimeAsync(2000);
  expect(s.sockets).toHaveLength(2);
  expect(s.sockets[1]!.url).toContain('after=2');
  expect(s.sockets[1]!.url).not.toContain('t1');
  await jest.advanceTimersByTimeAsync(1);
  expect(s.sockets[1]!.sent).toEqual([{ type: 'auth', token: 't1' }]);
  // The server replays what it has after 2, and may repeat 2 (at least once).
  s.sockets[1]!.push(msg(2));
  s.sockets[1]!.push(msg(3));
  expect(got).toEqual([1, 2, 3]);
  jest.useRealTimers();
});

test('a send that fails on the network is retried with the same client message id: stored once', async () => {
  const s = fakeServer();
  const chat = new StratusChat({
    code: 'support',
    baseUrl: 'http://stratus.test',
    fetch: s.fetchFn,
    WebSocket: s.FakeSocket as unknown as typeof WebSocket,
  });
  chat.resume({ chatId: 'c1', token: 't1', lastSeq: 0 });
  s.failPosts(1);
  const r = await chat.send('where is my parcel?');
  const posts = s.calls.filter((c) => c.url.endsWith('/messages'));
  expect(posts).toHaveLength(2);
  expect(posts[0]!.body.clientMessageId).toBe(posts[1]!.body.clientMessageId);
  expect(posts[1]!.auth).toBe('Bearer t1');
  expect(s.stored.size).toBe(1);
  expect(r.seq).toBe(1);
});

test('API errors surface with their code and message', async () => {
  const s = fakeServer();
  const chat = new StratusChat({
    code: 'nope',
    baseUrl: 'http://stratus.test',
    fetch: s.fetchFn,
    WebSocket: s.FakeSocket as unknown as typeof WebSocket,
  });
  await expect(chat.info()).rejects.toMatchObject({ status: 404, code: 'not_found', message: 'No chat is available here.' });
});

test('a socket closed 4401 or 4429 stops for good instead of reconnecting', async () => {
  jest.useFakeTimers();
  for (const code of [4401, 4429]) {
    const s = fakeServer();
    const chat = new StratusChat({
      code: 'support',
      baseUrl: 'http://stratus.test',
      fetch: s.fetchFn,
      WebSocket: s.FakeSocket as unknown as typeof WebSocket,
    });
    const statuses: string[] = [];
    const errors: number[] = [];
    chat.on('connection', (c) => statuses.push(c.status));
    chat.on('error', (e) => errors.push(e.status));
    chat.resume({ chatId: 'c1', token: 't1', lastSeq: 0 });
    await jest.advanceTimersByTimeAsync(1);
    s.sockets[0]!.onclose?.({ code, reason: 'no' });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(s.sockets).toHaveLength(1);
    expect(statuses).toEqual(['open', 'closed']);
    expect(errors).toEqual([code - 4000]);
  }
  jest.useRealTimers();
});

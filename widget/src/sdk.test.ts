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
    readyState = 0;
    readonly sent: any[] = [];
    constructor(readonly url: string) {
      sockets.push(this);
      setTimeout(() => {
        this.readyState = 1;
        this.onopen?.();
      }, 0);
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
      this.readyState = 3;
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
    if (/\/chats\/c1\/(typing|read)$/.test(url)) return json(202, { ok: true });
    if (/\/chats\/c1\/rating$/.test(url))
      return body.rating === 5
        ? json(200, { chatId: 'c1', rating: { given: 5 } })
        : json(409, { error: { code: 'already_rated', message: 'Rated.' } });
    if (/\/chats\/c1\/transcript$/.test(url))
      return {
        ok: true,
        status: 200,
        headers: { get: (h: string) => (h === 'content-disposition' ? 'attachment; filename="chat-2026-12-03.txt"' : null) },
        blob: async () => new Blob(['[2026-12-03 10:00 UTC] Carol: Hello\r\n']),
        text: async () => '',
      };
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

describe('typing, read marks and the transcript', () => {
  const make = () => {
    const s = fakeServer();
    const chat = new StratusChat({
      code: 'support',
      baseUrl: 'http://stratus.test',
      fetch: s.fetchFn,
      WebSocket: s.FakeSocket as unknown as typeof WebSocket,
    });
    return { s, chat };
  };

  test('typing goes on the socket at most every 3 s, over HTTP while the socket is down', async () => {
    const { s, chat } = make();
    chat.typing(0); // before any chat: nothing
    chat.resume({ chatId: 'c1', token: 't1', lastSeq: 0 });
    await new Promise((r) => setTimeout(r, 0));
    for (const at of [1000, 1500, 3999, 4000, 4100]) chat.typing(at);
    expect(s.sockets[0]!.sent.filter((f) => f.type === 'typing')).toHaveLength(2);
    s.sockets[0]!.readyState = 3;
    chat.typing(8000);
    await new Promise((r) => setTimeout(r, 0));
    expect(s.calls.filter((c) => c.url.endsWith('/typing'))).toMatchObject([{ method: 'POST', auth: 'Bearer t1' }]);
  });

  test("the agent's typing frame becomes a typing event", async () => {
    const { s, chat } = make();
    const got: unknown[] = [];
    chat.on('typing', (e) => got.push(e));
    chat.resume({ chatId: 'c1', token: 't1', lastSeq: 0 });
    await new Promise((r) => setTimeout(r, 0));
    s.sockets[0]!.push({ type: 'typing', agentName: 'Alice' });
    s.sockets[0]!.push({ type: 'typing' });
    expect(got).toEqual([{ agentName: 'Alice' }, {}]);
  });

  test('read marks only go up, on the socket, or over HTTP without it', async () => {
    const { s, chat } = make();
    chat.resume({ chatId: 'c1', token: 't1', lastSeq: 0 });
    await new Promise((r) => setTimeout(r, 0));
    for (const seq of [3, 2, 3, 5, 1.5, -1]) chat.markRead(seq);
    expect(s.sockets[0]!.sent.filter((f) => f.type === 'read')).toEqual([
      { type: 'read', seq: 3 },
      { type: 'read', seq: 5 },
    ]);
    s.sockets[0]!.readyState = 3;
    chat.markRead(7);
    await new Promise((r) => setTimeout(r, 0));
    expect(s.calls.filter((c) => c.url.endsWith('/read')).map((c) => c.body)).toEqual([{ seq: 7 }]);
  });

  test('the transcript comes with the token, as a blob and the file name the server gave', async () => {
    const { s, chat } = make();
    chat.resume({ chatId: 'c1', token: 't1', lastSeq: 0 });
    const t = await chat.transcript();
    expect(t.filename).toBe('chat-2026-12-03.txt');
    expect(t.blob.size).toBe('[2026-12-03 10:00 UTC] Carol: Hello\r\n'.length);
    expect(s.calls.find((c) => c.url.endsWith('/transcript'))).toMatchObject({ method: 'GET', auth: 'Bearer t1' });
  });

  test('status and rate: the chat token goes with both, a blank comment is left out, a refusal keeps its code', async () => {
    const { s, chat } = make();
    chat.resume({ chatId: 'c1', token: 't1', lastSeq: 0 });
    expect(await chat.status()).toEqual({ state: 'queued' });
    expect(await chat.rate(5, '  ')).toEqual({ given: 5 });
    expect(s.calls.find((c) => c.url.endsWith('/rating'))).toMatchObject({ method: 'POST', auth: 'Bearer t1', body: { rating: 5 } });
    expect(s.calls.find((c) => c.url.endsWith('/rating'))!.body).not.toHaveProperty('comment');
    await expect(chat.rate(3, ' slow ')).rejects.toMatchObject({ status: 409, code: 'already_rated' });
    expect(s.calls.filter((c) => c.url.endsWith('/rating'))[1]!.body).toEqual({ rating: 3, comment: 'slow' });
  });

  test('start sends the language', async () => {
    const { s, chat } = make();
    await chat.start({ displayName: 'Greta', email: 'g@example.com', privacyAccepted: true, language: 'de' });
    expect(s.calls[0]!.body).toMatchObject({ language: 'de' });
  });
});

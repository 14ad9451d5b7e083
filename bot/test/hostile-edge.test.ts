/**
 * Hostile input at the HTTP edge, sent over real sockets: compressed and multipart bodies,
 * oversize and lying bodies, control characters, malformed URLs, forged X-Forwarded-For, floods
 * of chat starts and reads, expired chat tokens and foreign origins. Each gets a clear JSON
 * error, nothing is stored, no temp file is left, and the server still answers afterwards.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { DEMO_TWILIO_ACCOUNT_SID, DEMO_TWILIO_AUTH_TOKEN, demoTenant } from '@stratus/shared/tenant/demo';
import { RateLimiter } from '../channels/interact/rate-limit';
import { CHAT_TOKEN_TTL_AFTER_END_MS } from '../channels/interact/interact';
import { clientAddress, normalizeIp } from '../http/client-address';
import { findControlChar, stripControlChars } from '../http/text';
import { startHarness, waitFor, type Harness } from './harness';
import { postSigned, startTwilioStandIn, type TwilioStandIn } from './twilio-standin';

const PUBLIC = 'https://stratus.example.com';
const valid = { displayName: 'Dan', email: 'dan@example.com', privacyAccepted: true };

interface RawAnswer {
  status: number;
  data: any;
  headers: http.IncomingHttpHeaders;
}

/** One request with full control of headers and body; `body` may be a list of chunks (sent chunked, stopping once an answer came). */
function raw(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string | number>,
  body?: Buffer | Buffer[],
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(url + path, { method, headers }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let data: any = text;
        try {
          data = JSON.parse(text);
        } catch {
          /* not JSON: kept as text for the assertion to show */
        }
        resolve({ status: res.statusCode ?? 0, data, headers: res.headers });
      });
    });
    // The server may close the connection while the rest of a refused body is still being sent.
    req.on('error', (e) => (answered ? undefined : reject(e)));
    if (Array.isArray(body)) {
      void (async () => {
        for (const c of body) {
          if (answered || req.destroyed) break;
          req.write(c);
          await new Promise((r) => setTimeout(r, 2));
        }
        req.end();
      })();
    } else req.end(body);
  });
}

async function counts(h: Harness): Promise<{ c: number; m: number }> {
  const r = await h.app.store.db.execute(
    'select (select count(*) from conversations)::int as c, (select count(*) from messages)::int as m' as never,
  );
  return (r as unknown as { rows: { c: number; m: number }[] }).rows[0]!;
}

async function expectAlive(h: Harness): Promise<void> {
  expect((await h.call('GET', '/healthz')).status).toBe(200);
}

describe('bodies, text and URLs (dev mode)', () => {
  let h: Harness;
  let twilioApi: TwilioStandIn;
  beforeAll(async () => {
    twilioApi = await startTwilioStandIn();
    h = await startHarness({ env: { PUBLIC_BASE_URL: PUBLIC, STRATUS_DEV_MODE: 'true', TWILIO_API_BASE_URL: twilioApi.url } });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    await twilioApi?.close();
  });

  test.each([
    ['gzip', gzipSync(Buffer.alloc(20 * 1024 * 1024, ' '))],
    ['deflate', deflateSync(Buffer.alloc(20 * 1024 * 1024, ' '))],
    ['br', Buffer.from('{}')],
  ])('a %s-encoded body is refused with 415 before it is inflated', async (encoding, body) => {
    expect(body.length).toBeLessThan(64 * 1024);
    const before = await counts(h);
    const heapBefore = process.memoryUsage().heapUsed;
    const r = await raw(
      h.url,
      'POST',
      '/api/interact/support/chats',
      { 'content-type': 'application/json', 'content-encoding': encoding, 'content-length': body.length },
      body,
    );
    expect(r.status).toBe(415);
    expect(r.data.error.code).toBe('unsupported_encoding');
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(10 * 1024 * 1024);
    expect(await counts(h)).toEqual(before);
    await expectAlive(h);
  });

  test('a multipart upload is refused with 415 and leaves no file in the temp folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratus-hostile-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = dir; // the server runs in this process: any upload would land here
    try {
      const boundary = 'XyZ';
      const file = Buffer.alloc(200 * 1024, 'a');
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="upn"\r\n\r\nalice@contoso.com\r\n--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        file,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const r = await raw(
        h.url,
        'POST',
        '/api/dev/token',
        { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length },
        body,
      );
      expect(r.status).toBe(415);
      expect(r.data.error.code).toBe('unsupported_media_type');
      await expectAlive(h);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    ['text/plain', 'hello'],
    ['application/octet-stream', 'hello'],
    ['application/xml', '<a/>'],
  ])('a %s body is refused with 415', async (type, body) => {
    const r = await raw(
      h.url,
      'POST',
      '/api/interact/support/chats',
      { 'content-type': type, 'content-length': Buffer.byteLength(body) },
      Buffer.from(body),
    );
    expect(r.status).toBe(415);
    expect(r.data.error.code).toBe('unsupported_media_type');
    await expectAlive(h);
  });

  test('a body without a Content-Type is refused with 415', async () => {
    const body = Buffer.from(JSON.stringify(valid));
    const r = await raw(h.url, 'POST', '/api/interact/support/chats', { 'content-length': body.length }, body);
    expect(r.status).toBe(415);
    await expectAlive(h);
  });

  test('a body declared larger than the limit is refused with 413 before it is read', async () => {
    const r = await raw(
      h.url,
      'POST',
      '/api/interact/support/chats',
      { 'content-type': 'application/json', 'content-length': 50 * 1024 * 1024 },
      Buffer.from('{'),
    );
    expect(r.status).toBe(413);
    expect(r.data.error.code).toBe('too_large');
    await expectAlive(h);
  });

  test('a chunked body is cut off at the limit with 413, not buffered whole', async () => {
    const before = await counts(h);
    const chunks = [Buffer.from('{"displayName":"'), ...Array.from({ length: 64 }, () => Buffer.alloc(16 * 1024, 'x'))];
    const r = await raw(
      h.url,
      'POST',
      '/api/interact/support/chats',
      { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      chunks,
    );
    expect(r.status).toBe(413);
    expect(r.data.error.code).toBe('too_large');
    expect(await counts(h)).toEqual(before);
    await expectAlive(h);
  });

  test('a Content-Length smaller than the body sent reads only what was declared, and the rest is refused', async () => {
    const before = await counts(h);
    const body = JSON.stringify({ ...valid, message: 'z'.repeat(100 * 1024) });
    const answer = await new Promise<string>((resolve) => {
      const s = net.connect(Number(new URL(h.url).port), '127.0.0.1', () => {
        s.write(
          `POST /api/interact/support/chats HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n${body}`,
        );
      });
      let text = '';
      s.on('data', (d) => (text += String(d)));
      s.on('close', () => resolve(text));
      s.on('error', () => resolve(text));
      setTimeout(() => s.destroy(), 3000);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).not.toMatch(/HTTP\/1\.1 (201|500)/);
    expect(await counts(h)).toEqual(before);
    await expectAlive(h);
  });

  test.each([
    ['a NUL in the display name', { ...valid, displayName: 'Ca\u0000rol' }, 'displayName'],
    ['a NUL in the first message', { ...valid, message: 'hello\u0000' }, 'message'],
    ['an escape character in the email', { ...valid, email: 'a\u001b@example.com' }, 'email'],
    ['a lone surrogate in the display name', { ...valid, displayName: 'Ann\uD800' }, 'displayName'],
  ])('%s is refused with 400 naming the field, and nothing is stored', async (_name, body, field) => {
    const before = await counts(h);
    const r = await h.call('POST', '/api/interact/support/chats', body);
    expect(r.status).toBe(400);
    expect(r.data.error.code).toBe('invalid_request');
    expect(r.data.error.message).toContain(field);
    expect(await counts(h)).toEqual(before);
    await expectAlive(h);
  });

  test('tabs, line breaks and emoji are still fine', async () => {
    const r = await h.call('POST', '/api/interact/support/chats', { ...valid, displayName: 'Zoë 👋', message: 'line one\r\nline\ttwo' });
    expect(r.status).toBe(201);
  });

  test('a NUL in a customer message, an agent message, a transfer or a dev sign-in is refused with 400 and nothing is stored', async () => {
    const chat = (await h.call('POST', '/api/interact/support/chats', { ...valid, displayName: 'Nina' })).data;
    const before = await counts(h);
    const post = await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'hi\u0000there' }, chat.token);
    expect(post.status).toBe(400);
    expect(post.data.error.message).toContain('text');
    expect(await counts(h)).toEqual(before);

    const dev = await h.call('POST', '/api/dev/token', { upn: 'alice\u0000@contoso.com' });
    expect(dev.status).toBe(400);
    expect(dev.data.error.message).toContain('upn');

    const tokens = [await h.devToken('alice@contoso.com'), await h.devToken('bob@contoso.com')];
    const offer = await waitFor('an offer for Nina', async () => {
      for (const t of tokens) {
        const s = (await h.call('GET', '/api/agent/sessions', undefined, t)).data.sessions.find(
          (x: any) => x.state === 'offered' && x.customer.displayName === 'Nina',
        );
        if (s) return { t, id: s.id as string };
      }
      return undefined;
    });
    expect((await h.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, offer.t)).status).toBe(200);
    const seen = (await h.call('GET', `/api/agent/sessions/${offer.id}/messages`, undefined, offer.t)).data.messages.length;
    const agentPost = await h.call('POST', `/api/agent/sessions/${offer.id}/messages`, { text: 'On its way\u0000' }, offer.t);
    expect(agentPost.status).toBe(400);
    expect(agentPost.data.error.message).toContain('text');
    const transfer = await h.call('POST', `/api/agent/sessions/${offer.id}/transfer`, { serviceId: 'sales\u0000' }, offer.t);
    expect(transfer.status).toBe(400);
    expect((await h.call('GET', `/api/agent/sessions/${offer.id}/messages`, undefined, offer.t)).data.messages.length).toBe(seen);
    await expectAlive(h);
  });

  test('a WhatsApp message with a NUL is stored without it (Twilio would only retry it)', async () => {
    const from = '+41790009999';
    const p = {
      AccountSid: DEMO_TWILIO_ACCOUNT_SID,
      MessageSid: `SMnul${Date.now()}`,
      From: `whatsapp:${from}`,
      To: 'whatsapp:+15550100',
      Body: 'hel\u0000lo',
      NumMedia: '0',
      ProfileName: 'Wa\u0000nda',
    };
    const r = await postSigned(h.url, PUBLIC, '/api/whatsapp/inbound', p, DEMO_TWILIO_AUTH_TOKEN);
    expect(r.status).toBe(200);
    const rows = await h.app.store.db.execute(
      `select m.text, c.customer->>'displayName' as name from messages m join conversations c on c.id = m.conversation_id where c.address = 'whatsapp:${from}' and m."from" = 'customer'` as never,
    );
    expect((rows as unknown as { rows: unknown[] }).rows).toEqual([{ text: 'hello', name: 'Wanda' }]);
    await expectAlive(h);
  });

  test('bad percent-encoding or a NUL in a path or query is a 400, never a 500', async () => {
    const chat = (await h.call('POST', '/api/interact/support/chats', valid)).data;
    for (const path of [
      '/api/interact/%00',
      '/api/interact/%',
      '/api/interact/%zz/chats',
      '/api/agent/sessions/%E0%A4%A',
      `/api/interact/chats/${chat.chatId}%00/messages`,
      '/api/interact/support?x=%',
      '/api/interact/support?after=%00',
      `/api/interact/chats/${chat.chatId}/messages?after=1%00`,
    ]) {
      const r = await h.call('GET', path, undefined, chat.token);
      expect([path, r.status]).toEqual([path, 400]);
      expect(r.data.error.code).toBe('invalid_request');
      await expectAlive(h);
    }
    const post = await h.call('POST', '/api/interact/chats/%00/messages', { text: 'hi' }, chat.token);
    expect(post.status).toBe(400);
    await expectAlive(h);
  });

  test('a filter given twice or as an object is a 400, never read as "no filter" (which means every service)', async () => {
    const alice = await h.devToken('alice@contoso.com');
    for (const path of [
      '/api/supervisor/queue?service=support&service=sales',
      '/api/supervisor/sessions?service[x]=support',
      '/api/reporting/sessions?service=support&service=support',
    ]) {
      const r = await h.call('GET', path, undefined, alice);
      expect([path, r.status, r.data.error?.code]).toEqual([path, 400, 'invalid_request']);
    }
    expect((await h.call('GET', '/api/supervisor/queue?service=support', undefined, alice)).status).toBe(200);
  });

  test('the agent event stream takes its token from the Authorization header only', async () => {
    const token = await h.devToken('alice@contoso.com');
    const ctrl = new AbortController();
    const inQuery = await fetch(`${h.url}/api/agent/events?access_token=${encodeURIComponent(token)}`, { signal: ctrl.signal });
    expect(inQuery.status).toBe(401);
    ctrl.abort();
  });
});

describe('control characters', () => {
  test.each([
    ['\u0000', true],
    ['a\u0007b', true],
    ['\u001f', true],
    ['\uD800x', true],
    ['x\uDC00', true],
    ['tab\tnew\nline\r', false],
    ['😀', false],
    ['Zoë', false],
    ['\u007f', false],
  ])('findControlChar(%j) finds one: %s', (text, found) => {
    expect(findControlChar(text) !== undefined).toBe(found);
  });
  test('stripControlChars keeps tabs, line breaks and whole surrogate pairs', () => {
    expect(stripControlChars('a\u0000b\tc\n😀\uD800')).toBe('ab\tc\n😀');
  });
});

describe('client address', () => {
  const req = (remote: string, xff?: string) =>
    ({
      socket: { remoteAddress: remote },
      headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
    }) as unknown as http.IncomingMessage;
  test.each([
    [0, '::ffff:10.0.0.9', '1.1.1.1', '10.0.0.9'],
    [1, '10.0.0.9', undefined, '10.0.0.9'],
    [1, '10.0.0.9', '6.6.6.6, 1.1.1.1', '1.1.1.1'],
    [2, '10.0.0.9', '6.6.6.6, 1.1.1.1, 172.16.0.1', '1.1.1.1'],
    [3, '10.0.0.9', '1.1.1.1', '1.1.1.1'],
    [1, '10.0.0.9', '::ffff:1.1.1.1', '1.1.1.1'],
    [1, '10.0.0.9', '[2001:db8::1]:443', '2001:db8::1'],
    [1, '10.0.0.9', '1.1.1.1:5678', '1.1.1.1'],
    [1, '10.0.0.9', 'not-an-address', 'invalid'],
  ])('with TRUST_PROXY=%i, socket %s and X-Forwarded-For %s the client is %s', (trust, remote, xff, expected) => {
    expect(clientAddress(req(remote, xff), trust)).toBe(expected);
  });
  test('normalizeIp refuses what is not an address', () => {
    expect(normalizeIp('999.1.1.1')).toBeUndefined();
    expect(normalizeIp('::FFFF:7.7.7.7')).toBe('7.7.7.7');
  });
});

describe('rate limiter', () => {
  test('a flood of distinct keys cannot grow the bucket map past its cap', () => {
    const limiter = new RateLimiter({ now: () => 1_000 }, 1, {}, 1000);
    for (let i = 0; i < 20_000; i++) limiter.check(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 'start');
    expect(limiter.size).toBeLessThanOrEqual(1000);
  });
  test('scale 0 turns limiting off', () => {
    const limiter = new RateLimiter({ now: () => 1_000 }, 0);
    for (let i = 0; i < 1000; i++) limiter.check('1.1.1.1', 'start');
    expect(limiter.size).toBe(0);
  });
});

/** Limits small enough to reach in a test, refilling so slowly that no token comes back during it. */
const slow = (burst: number) => ({ burst, perSec: 0.0001 });
const start = (h: Harness, code: string, xff?: string) =>
  h.call('POST', `/api/interact/${code}/chats`, valid, undefined, xff ? { 'x-forwarded-for': xff } : {});

describe('rate limits over HTTP, TRUST_PROXY=0', () => {
  let h: Harness;
  beforeAll(async () => {
    const clock = { now: () => Date.now() };
    h = await startHarness({ app: { clock, limiter: new RateLimiter(clock, 1, { start: slow(2) }) } });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  test('the socket address is limited, whatever X-Forwarded-For says', async () => {
    expect((await start(h, 'support', '1.1.1.1')).status).toBe(201);
    expect((await start(h, 'support', '2.2.2.2')).status).toBe(201);
    const third = await start(h, 'support', '3.3.3.3');
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectAlive(h);
  });
});

describe('rate limits over HTTP, TRUST_PROXY=1', () => {
  let h: Harness;
  beforeAll(async () => {
    const clock = { now: () => Date.now() };
    const limiter = new RateLimiter(clock, 1, { start: slow(2), startCode: slow(4), startGlobal: slow(6), read: slow(3) });
    h = await startHarness({ env: { TRUST_PROXY: '1' }, app: { clock, limiter } });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  test('the proxy-written address is limited and spoofed entries to its left are ignored; per-code, global and read limits hold', async () => {
    // Per address: the client is the right-most entry; changing what is left of it changes nothing.
    expect((await start(h, 'support', '6.6.6.1, 10.0.0.1')).status).toBe(201);
    expect((await start(h, 'support', '6.6.6.2, 10.0.0.1')).status).toBe(201);
    expect((await start(h, 'support', '6.6.6.3, 10.0.0.1')).status).toBe(429);
    expect((await start(h, 'support', '::ffff:10.0.0.1')).status).toBe(429);
    // Per code: other addresses, same code.
    expect((await start(h, 'support', '10.0.0.2')).status).toBe(201);
    expect((await start(h, 'support', '10.0.0.3')).status).toBe(201);
    const code = await start(h, 'support', '10.0.0.4');
    expect(code.status).toBe(429);
    expect(code.data.error.code).toBe('rate_limited');
    // Global: another code still reaches the instance-wide limit (4 taken, 6 allowed).
    expect((await start(h, 'bob', '10.0.0.5')).status).toBe(201);
    expect((await start(h, 'bob', '10.0.0.6')).status).toBe(201);
    expect((await start(h, 'bob', '10.0.0.7')).status).toBe(429);
    // Reads, per address.
    const read = (xff: string) => h.call('GET', '/api/interact/support', undefined, undefined, { 'x-forwarded-for': xff });
    for (let i = 0; i < 3; i++) expect((await read('10.0.0.9')).status).toBe(200);
    const limited = await read('10.0.0.9');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
    expect((await read('10.0.0.10')).status).toBe(200);
    await expectAlive(h);
  });
});

describe('outside dev mode', () => {
  let h: Harness;
  let offset = 0;
  const clock = { now: () => Date.now() + offset };
  beforeAll(async () => {
    const t = demoTenant();
    h = await startHarness({
      tenants: [{ ...t, twilio: t.twilio && { ...t.twilio, authToken: 'ab'.repeat(16) } }],
      env: { STRATUS_DEV_MODE: 'false', PUBLIC_BASE_URL: 'http://localhost:3978' },
      app: { clock },
    });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  test("a code with no allowed origins takes browser calls from the server's own origin only; the preflight echoes no foreign origin", async () => {
    const foreign = await h.call('POST', '/api/interact/support/chats', valid, undefined, { origin: 'https://evil.example.com' });
    expect(foreign.status).toBe(403);
    expect(foreign.data.error.code).toBe('origin_not_allowed');
    const own = await h.call('POST', '/api/interact/support/chats', valid, undefined, { origin: 'http://localhost:3978' });
    expect(own.status).toBe(201);
    const pre = await fetch(`${h.url}/api/interact/support/chats`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.status).toBe(403);
    const preOwn = await fetch(`${h.url}/api/interact/chats/x/messages`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3978', 'access-control-request-method': 'POST' },
    });
    expect(preOwn.headers.get('access-control-allow-origin')).toBe('http://localhost:3978');
    const read = await h.call('GET', `/api/interact/chats/${own.data.chatId}/messages`, undefined, own.data.token, {
      origin: 'https://evil.example.com',
    });
    expect(read.status).toBe(403);
    await expectAlive(h);
  });

  test('a chat token stops working some hours after its chat ended', async () => {
    const chat = (await h.call('POST', '/api/interact/support/chats', valid)).data;
    expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'hello' }, chat.token)).status).toBe(201);
    expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token)).status).toBe(200);
    await waitFor(
      'the chat to end',
      async () => (await h.call('GET', `/api/interact/chats/${chat.chatId}`, undefined, chat.token)).data.state === 'ended',
    );
    expect((await h.call('GET', `/api/interact/chats/${chat.chatId}/messages`, undefined, chat.token)).status).toBe(200);
    offset = CHAT_TOKEN_TTL_AFTER_END_MS + 60_000;
    try {
      for (const [method, path, body] of [
        ['GET', `/api/interact/chats/${chat.chatId}`],
        ['GET', `/api/interact/chats/${chat.chatId}/messages`],
        ['POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'late' }],
        ['POST', `/api/interact/chats/${chat.chatId}/end`, {}],
      ] as const) {
        const r = await h.call(method, path, body, chat.token);
        expect([path, r.status, r.data.error?.code]).toEqual([path, 401, 'chat_expired']);
      }
    } finally {
      offset = 0;
    }
    await expectAlive(h);
  });

  test('dev tokens are not issued', async () => {
    expect((await h.call('POST', '/api/dev/token', { upn: 'alice@contoso.com' })).status).toBe(404);
  });
});

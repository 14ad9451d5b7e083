/**
 * The customer's side of a chat over the real server, as the widget and a WhatsApp customer drive
 * it: typing both ways, the read mark of the agent's messages, the transcript download (and who
 * may not have it), the end keyword of WhatsApp and SMS, and the customer's language.
 */
import { DEMO_TWILIO_ACCOUNT_SID, DEMO_TWILIO_AUTH_TOKEN, demoTenant } from '@stratus/shared/tenant/demo';
import { events } from '@stratus/shared/contract/events';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { inTx } from '../runtime/uow';
import { TRANSCRIPT_TTL_AFTER_END_MS } from '../channels/interact/interact';
import { acceptOffer, openAgentStream, openCustomerSocket, startHarness, waitFor, type Harness } from './harness';
import { postSigned, startTwilioStandIn, type TwilioStandIn } from './twilio-standin';

const PUBLIC = 'https://stratus.example.com';
/** The wall clock plus an offset a test moves forward (the transcript's retention). */
let offsetMs = 0;
const clock = { now: () => Date.now() + offsetMs };

function tenant(): TenantConfig {
  const t = demoTenant();
  const support = t.services.find((s) => s.id === 'support')!;
  support.im.chat = { ...support.im.chat, endKeywords: ['stop', 'ende'] };
  // Every test's chats at once stay within what each agent may hold.
  support.im.distribution.maxConcurrentIm = 50;
  return t;
}

let h: Harness;
let twilioApi: TwilioStandIn;
let tokens: Record<string, string>;
beforeAll(async () => {
  twilioApi = await startTwilioStandIn();
  h = await startHarness({
    tenants: [tenant()],
    env: { PUBLIC_BASE_URL: PUBLIC, STRATUS_DEV_MODE: 'true', TWILIO_API_BASE_URL: twilioApi.url },
    app: { clock, channelRetryBaseMs: 20 },
  });
  tokens = { alice: await h.devToken('alice@contoso.com'), bob: await h.devToken('bob@contoso.com') };
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await twilioApi?.close();
});

type Chat = { chatId: string; token: string };
/** Chats a test started: ended after it, so no offer of one lingers into the next. */
const started: Chat[] = [];
afterEach(async () => {
  for (const c of started.splice(0)) await h.call('POST', `/api/interact/chats/${c.chatId}/end`, {}, c.token);
});

async function startChat(name: string, extra: Record<string, unknown> = {}): Promise<Chat> {
  const r = await h.call('POST', '/api/interact/support/chats', {
    displayName: name,
    email: 'c@example.com',
    privacyAccepted: true,
    message: 'Hello',
    ...extra,
  });
  expect(r.status).toBe(201);
  started.push(r.data as Chat);
  return r.data as Chat;
}

/** Waits for the offer of `name`'s chat to either agent, accepts it, and answers the agent's token and session id. */
async function accept(name: string): Promise<{ token: string; id: string }> {
  return acceptOffer(h, Object.values(tokens), name);
}

async function connectedChat(name: string, extra: Record<string, unknown> = {}) {
  const chat = await startChat(name, extra);
  const agent = await accept(name);
  const stream = openAgentStream(h.url, agent.token);
  await stream.ready;
  return { chat, agent, stream };
}

const messagesOf = async (chat: Chat) =>
  (await h.call('GET', `/api/interact/chats/${chat.chatId}/messages`, undefined, chat.token)).data.messages as any[];

describe('typing', () => {
  test("the customer's typing reaches the agent's stream, once per 2 s however often it is sent, and is never a message", async () => {
    const { chat, agent, stream } = await connectedChat('Tina');
    const { ws } = await openCustomerSocket(h.url, chat.chatId, chat.token);
    const before = (await messagesOf(chat)).length;
    const typingEvents = () => stream.events.filter((e) => e.data.type === 'typing' && e.data.sessionId === agent.id);

    // A flood on the socket: one event goes through, the rest are dropped without an error frame.
    for (let i = 0; i < 20; i++) ws.send(JSON.stringify({ type: 'typing' }));
    await waitFor('the typing event', () => typingEvents().length === 1);
    expect(typingEvents()[0]!.data).toEqual({ type: 'typing', sessionId: agent.id });
    // The HTTP route within the same 2 s: 202, dropped.
    const r = await h.call('POST', `/api/interact/chats/${chat.chatId}/typing`, {}, chat.token);
    expect(r.status).toBe(202);
    await new Promise((res) => setTimeout(res, 300));
    expect(typingEvents()).toHaveLength(1);
    // After 2 s the next one passes, over HTTP as well.
    await new Promise((res) => setTimeout(res, 2000));
    expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/typing`, {}, chat.token)).status).toBe(202);
    await waitFor('a second typing event', () => typingEvents().length === 2);
    expect(await messagesOf(chat)).toHaveLength(before);
    ws.close();
    stream.close();
  });

  test("the agent's typing reaches the customer's socket with the agent's name", async () => {
    const { chat, stream } = await connectedChat('Theo');
    const { ws, frames } = await openCustomerSocket(h.url, chat.chatId, chat.token);
    await inTx(h.app.rt, async (u) => u.emit(events.agentTyping('contoso', chat.chatId, 'Alice Anders')));
    await waitFor('the typing frame', () => frames.find((f) => f.type === 'typing'));
    expect(frames.find((f) => f.type === 'typing')).toEqual({ type: 'typing', agentName: 'Alice Anders' });
    ws.close();
    stream.close();
  });

  test('typing needs its own chat token; a chat no agent has taken yet is answered 202 all the same', async () => {
    const chat = await startChat('Ursula');
    const other = await startChat('Viktor');
    expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/typing`, {})).status).toBe(401);
    expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/typing`, {}, other.token)).status).toBe(401);
    expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/typing`, {}, chat.token)).status).toBe(202);
  });
});

describe('read state', () => {
  test("the customer reads the agent's messages: the agent's stream and session show the mark; it never goes down", async () => {
    const { chat, agent, stream } = await connectedChat('Rita');
    const { ws } = await openCustomerSocket(h.url, chat.chatId, chat.token);
    const sent: number[] = [];
    for (const text of ['First answer', 'Second answer'])
      sent.push((await h.call('POST', `/api/agent/sessions/${agent.id}/messages`, { text }, agent.token)).data.seq as number);
    const reads = () => stream.events.filter((e) => e.data.type === 'read' && e.data.sessionId === agent.id).map((e) => e.data.seq);

    ws.send(JSON.stringify({ type: 'read', seq: sent[1] }));
    await waitFor('the read event', () => reads().includes(sent[1]));
    const session = async () =>
      (await h.call('GET', '/api/agent/sessions', undefined, agent.token)).data.sessions.find((s: any) => s.id === agent.id);
    expect((await session()).customerReadSeq).toBe(sent[1]);

    // Lower and equal marks change nothing and tell nobody again.
    ws.send(JSON.stringify({ type: 'read', seq: sent[0] }));
    const r = await h.call('POST', `/api/interact/chats/${chat.chatId}/read`, { seq: sent[1] }, chat.token);
    expect(r).toMatchObject({ status: 200, data: { seq: sent[1] } });
    await new Promise((res) => setTimeout(res, 300));
    expect(reads()).toEqual([sent[1]]);
    expect((await session()).customerReadSeq).toBe(sent[1]);
    ws.close();
    stream.close();
  });

  test('a read past the last message is clamped to it; negative, fractional, huge or non-numbers are 400, never 500', async () => {
    const { chat, agent, stream } = await connectedChat('Sam');
    await h.call('POST', `/api/agent/sessions/${agent.id}/messages`, { text: 'Hi Sam' }, agent.token);
    const last = Math.max(...(await messagesOf(chat)).map((m) => m.seq));
    const r = await h.call('POST', `/api/interact/chats/${chat.chatId}/read`, { seq: 999 }, chat.token);
    expect(r).toMatchObject({ status: 200, data: { seq: last } });
    for (const body of [{ seq: -1 }, { seq: 'x' }, { seq: 1.5 }, { seq: 1e20 }, { seq: 2 ** 31 }, {}, '[1]', 'seq=1']) {
      const bad = await h.call('POST', `/api/interact/chats/${chat.chatId}/read`, body, chat.token);
      expect([400, 415]).toContain(bad.status);
      expect(bad.data.error.code).toMatch(/invalid_request|invalid_json|unsupported_media_type/);
    }
    // On the socket: an error frame for a bad seq, the socket stays up; 999 is clamped too.
    const { ws, frames } = await openCustomerSocket(h.url, chat.chatId, chat.token);
    ws.send(JSON.stringify({ type: 'read', seq: 'x' }));
    ws.send('not json');
    await waitFor('two error frames', () => frames.filter((f) => f.type === 'error').length === 2);
    expect(ws.readyState).toBe(ws.OPEN);
    // Another chat's token cannot move this chat's mark.
    const other = await startChat('Stranger');
    expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/read`, { seq: 1 }, other.token)).status).toBe(401);
    ws.close();
    stream.close();
  });
});

describe('hostile frames on the socket', () => {
  test('a 10 MB frame closes that socket (1009) without harm; odd typing and read frames change nothing; the chat goes on', async () => {
    const { chat, agent, stream } = await connectedChat('Hugo');
    const big = await openCustomerSocket(h.url, chat.chatId, chat.token);
    const closed = new Promise<number>((res) => big.ws.once('close', (code) => res(code)));
    big.ws.send(JSON.stringify({ type: 'typing', pad: 'x'.repeat(10 * 1024 * 1024) }));
    expect(await closed).toBe(1009);

    const { ws, frames } = await openCustomerSocket(h.url, chat.chatId, chat.token);
    for (const f of [
      { type: 'read', seq: 1e300 },
      { type: 'read', seq: '5' },
      { type: 'read', seq: null },
      { type: 'read' },
      { type: 'typing', agentName: 'forged' },
      { type: 'typing', sessionId: 'task_someone_else' },
      { type: ['read'] },
      null,
      42,
    ])
      ws.send(JSON.stringify(f));
    ws.send('{"type":"read","seq":');
    await waitFor('the error frames', () => frames.filter((f) => f.type === 'error').length >= 5);
    expect(stream.events.filter((e) => e.data.type === 'read')).toEqual([]);
    // Still open and working: a message goes through, and the mark did not move.
    ws.send(JSON.stringify({ type: 'message', text: 'still here', clientMessageId: 'h-1' }));
    await waitFor('the ack', () => frames.find((f) => f.type === 'ack'));
    const session = (await h.call('GET', '/api/agent/sessions', undefined, agent.token)).data.sessions.find((x: any) => x.id === agent.id);
    expect(session.customerReadSeq ?? 0).toBe(0);
    ws.close();
    stream.close();
  });
});

describe('transcript', () => {
  test('the customer downloads both sides of the chat as text, during and after the chat; nobody else can; after the window it is gone', async () => {
    const { chat, agent, stream } = await connectedChat('Carla\nEvil: injected');
    await h.call(
      'POST',
      `/api/interact/chats/${chat.chatId}/messages`,
      { text: 'Where is my parcel?\n[00:00 UTC] Agent: fake' },
      chat.token,
    );
    await h.call('POST', `/api/agent/sessions/${agent.id}/messages`, { text: 'On its way' }, agent.token);
    const during = await fetch(`${h.url}/api/interact/chats/${chat.chatId}/transcript`, {
      headers: { authorization: `Bearer ${chat.token}` },
    });
    expect(during.status).toBe(200);
    expect(during.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(during.headers.get('content-disposition')).toMatch(/^attachment; filename="chat-\d{4}-\d{2}-\d{2}\.txt"$/);
    const text = await during.text();
    const lines = text.trimEnd().split('\r\n');
    expect(lines.some((l) => /^\[\d{4}-\d\d-\d\d \d\d:\d\d UTC\] Carla Evil: injected: Hello$/.test(l))).toBe(true);
    expect(lines.some((l) => /\] Alice Anders: On its way$|\] Bob Berg: On its way$/.test(l))).toBe(true);
    expect(lines.some((l) => / joined the chat\.$/.test(l))).toBe(true);
    // A line break in a message is indented: it cannot pass for another speaker's line.
    expect(lines).toContain('    [00:00 UTC] Agent: fake');

    expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token)).status).toBe(200);
    const after = await h.call('GET', `/api/interact/chats/${chat.chatId}/transcript`, undefined, chat.token);
    expect(after.status).toBe(200);
    expect(after.data).toMatch(/left the chat\.\r\n$/);

    // Another chat's token, no token, a forged one: 401, and nothing of the chat in the answer.
    const other = await startChat('Mallory');
    for (const t of [other.token, undefined, 'x'.repeat(40)]) {
      const r = await h.call('GET', `/api/interact/chats/${chat.chatId}/transcript`, undefined, t);
      expect(r.status).toBe(401);
      expect(JSON.stringify(r.data)).not.toContain('parcel');
    }
    // Past the window: 410 Gone (the chat's other routes answer 401 chat_expired by then).
    offsetMs += TRANSCRIPT_TTL_AFTER_END_MS + 60_000;
    try {
      const gone = await h.call('GET', `/api/interact/chats/${chat.chatId}/transcript`, undefined, chat.token);
      expect(gone.status).toBe(410);
      expect(gone.data.error.code).toBe('chat_expired');
    } finally {
      offsetMs = 0;
    }
    stream.close();
  });
});

describe('end keyword (WhatsApp, SMS)', () => {
  let n = 0;
  const inbound = (from: string, body: string, sid = `SMkw${Date.now()}${++n}`) => {
    return postSigned(
      h.url,
      PUBLIC,
      '/api/whatsapp/inbound',
      {
        AccountSid: DEMO_TWILIO_ACCOUNT_SID,
        MessageSid: sid,
        From: `whatsapp:${from}`,
        To: 'whatsapp:+15550100',
        Body: body,
        NumMedia: '0',
        ProfileName: `Kim ${from.slice(-2)}`,
      },
      DEMO_TWILIO_AUTH_TOKEN,
    );
  };

  test('"STOP" ends a connected chat as the customer\'s: kept as their message, confirmed to them; "stop please" does not', async () => {
    const from = '+41790001101';
    expect((await inbound(from, 'Hi, a question')).status).toBe(200);
    const agent = await accept(`Kim ${from.slice(-2)}`);
    const stream = openAgentStream(h.url, agent.token);
    await stream.ready;
    const messages = async () => (await h.call('GET', `/api/agent/sessions/${agent.id}/messages`, undefined, agent.token)).data.messages;
    const session = async () =>
      (await h.call('GET', '/api/agent/sessions', undefined, agent.token)).data.sessions.find((s: any) => s.id === agent.id);

    expect((await inbound(from, 'stop please')).status).toBe(200);
    await waitFor('the message', async () => (await messages()).some((m: any) => m.text === 'stop please'));
    expect((await session()).state).toBe('connected');

    const stopSid = `SMstop${Date.now()}`;
    expect((await inbound(from, '  STOP ', stopSid)).status).toBe(200);
    await waitFor('the session to end', async () => (await session()).state === 'ended');
    const s = await session();
    expect(s.outcome).toBe('handled');
    if (s.endedBy !== undefined) expect(s.endedBy).toBe('customer');
    const texts = (await messages()).map((m: any) => `${m.from}: ${m.text}`);
    expect(texts).toContain('customer: STOP');
    expect(texts).toContain('system: You have ended the chat. Thank you for writing to us.');
    // The confirmation goes out to the customer's WhatsApp.
    await waitFor('the confirmation sent', () =>
      twilioApi.sent.find((m) => m.To === `whatsapp:${from}` && m.Body === 'You have ended the chat. Thank you for writing to us.'),
    );
    // Twilio resending the same STOP (its MessageSid is stored) opens no new chat.
    const count = async () => (await h.app.store.db.execute(`select count(*)::int as n from conversations` as never)) as any;
    const before = (await count()).rows[0].n;
    expect((await inbound(from, 'STOP', stopSid)).status).toBe(200);
    expect((await count()).rows[0].n).toBe(before);
    // The next message starts a new chat.
    expect((await inbound(from, 'Another question')).status).toBe(200);
    await waitFor('a new offer', async () => {
      for (const token of Object.values(tokens)) {
        const r = await h.call('GET', '/api/agent/sessions', undefined, token);
        if (r.data.sessions.some((x: any) => x.state === 'offered' && x.id !== agent.id && x.channel === 'whatsapp')) return true;
      }
      return false;
    });
    stream.close();
  });
});

describe('language', () => {
  const systemTexts = async (chat: Chat) => (await messagesOf(chat)).filter((m) => m.from === 'system').map((m) => m.text as string);

  test('a chat started in German gets the server and workflow messages in German', async () => {
    const chat = await startChat('Greta', { language: 'de' });
    await waitFor('the German welcome', async () =>
      (await systemTexts(chat)).includes(
        'Danke, Greta. Sie sind in der Warteschlange von Support; der nächste freie Mitarbeiter antwortet Ihnen hier.',
      ),
    );
    const agent = await accept('Greta');
    const texts = await systemTexts(chat);
    expect(texts.some((t) => / ist dem Chat beigetreten\.$/.test(t))).toBe(true);
    expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token)).status).toBe(200);
    expect(await systemTexts(chat)).toContain('Greta hat den Chat verlassen.');
    const transcript = await h.call('GET', `/api/interact/chats/${chat.chatId}/transcript`, undefined, chat.token);
    expect(transcript.data).toContain('Greta hat den Chat verlassen.');
    expect(agent.id).toBeTruthy();
  });

  test('French too; an unknown or hostile language is ignored (English), never stored or refused', async () => {
    const fr = await startChat('Françoise', { language: 'fr' });
    await waitFor('the French welcome', async () => (await systemTexts(fr)).some((t) => t.startsWith('Merci, Françoise.')));
    for (const language of ['../../etc', 'es', 'DE', 42, { en: true }, ['de']]) {
      const chat = await startChat('Ed', { language });
      await waitFor('the English welcome', async () => (await systemTexts(chat)).some((t) => t.startsWith('Thank you, Ed.')));
    }
    const r = await h.app.store.db.execute(`select distinct language from conversations where language is not null` as never);
    const stored = (r as unknown as { rows: { language: string }[] }).rows.map((x) => x.language).sort();
    expect(stored.every((l) => ['de', 'fr'].includes(l))).toBe(true);
  });
});

/**
 * Customer satisfaction (issue 15): a website customer rates a chat an agent accepted once it has
 * ended (once, with a comment, checked as an attacker would send it), a WhatsApp customer is asked
 * by message within the 24-hour window and answers with a digit; the rating lands on the reporting
 * session. Real server, real HTTP, a local stand-in for Twilio's API.
 */
import { DEMO_TWILIO_ACCOUNT_SID, DEMO_TWILIO_AUTH_TOKEN, demoTenant } from '@stratus/shared/tenant/demo';
import { customerText } from '@stratus/shared/i18n/customer-texts';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { CSAT_QUESTION_ID, parseRatingReply } from '../customers/csat';
import { acceptOffer, startHarness, waitFor, type Harness } from './harness';
import { postSigned, startTwilioStandIn, type TwilioStandIn } from './twilio-standin';

const PUBLIC = 'https://stratus.example.com';
const QUESTION = 'How would you rate this chat? Reply with a number from 1 (poor) to 5 (excellent).';
const THANKS = 'Thank you for your rating!';

/** The wall clock plus an offset a test moves forward (WhatsApp's window, the reply's hour). */
let offsetMs = 0;
const clock = { now: () => Date.now() + offsetMs };

/** Support asks for ratings; Sales does not. */
function tenant(): TenantConfig {
  const t = demoTenant();
  return {
    ...t,
    services: t.services.map((s) => (s.id === 'support' ? { ...s, im: { ...s.im, chat: { satisfaction: { enabled: true } } } } : s)),
  };
}

let h: Harness;
let twilioApi: TwilioStandIn;
let admin: string;
let n = 0;

beforeAll(async () => {
  twilioApi = await startTwilioStandIn();
  h = await startHarness({
    tenants: [tenant()],
    env: { PUBLIC_BASE_URL: PUBLIC, STRATUS_DEV_MODE: 'true', TWILIO_API_BASE_URL: twilioApi.url, INTERACT_RATE_LIMIT_SCALE: '0' },
    app: { clock, channelRetryBaseMs: 20 },
  });
  admin = await h.devToken('alice@contoso.com');
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await twilioApi?.close();
});

async function rows<T>(sql: string): Promise<T[]> {
  return ((await h.app.store.db.execute(sql as never)) as unknown as { rows: T[] }).rows;
}

/** The first agent offered the chat of `name` accepts it. */
async function acceptFor(name: string): Promise<{ t: string; id: string }> {
  const tokens = [await h.devToken('alice@contoso.com'), await h.devToken('bob@contoso.com')];
  const { id, token } = await acceptOffer(h, tokens, name);
  return { t: token, id };
}

async function startWebChat(name: string): Promise<{ chatId: string; token: string }> {
  const r = await h.call('POST', '/api/interact/support/chats', {
    displayName: name,
    email: 'c@example.com',
    privacyAccepted: true,
    message: 'Hello',
  });
  expect(r.status).toBe(201);
  return r.data;
}

const rate = (chat: { chatId: string; token: string }, body: unknown) =>
  h.call('POST', `/api/interact/chats/${chat.chatId}/rating`, body, chat.token);
const status = async (chat: { chatId: string; token: string }) =>
  (await h.call('GET', `/api/interact/chats/${chat.chatId}`, undefined, chat.token)).data;

async function reportingSession(taskId: string): Promise<any> {
  const r = await h.call('GET', '/api/reporting/sessions?service=support', undefined, admin);
  expect(r.status).toBe(200);
  return r.data.sessions.find((s: any) => s.taskId === taskId);
}

describe('the website widget', () => {
  test('after the agent ends the chat the customer is asked, rates once with a comment, and reporting has it', async () => {
    const chat = await startWebChat('Carol');
    const offer = await acceptFor('Carol');
    // Not before the end: the chat is running.
    const early = await rate(chat, { rating: 5 });
    expect(early.status).toBe(409);
    expect(early.data.error.code).toBe('not_ended');
    expect((await status(chat)).rating).toBeUndefined();

    expect((await h.call('POST', `/api/agent/sessions/${offer.id}/end`, {}, offer.t)).status).toBe(200);
    expect(await status(chat)).toMatchObject({ state: 'ended', rating: { asked: true } });

    const r = await rate(chat, { rating: 4, comment: '  Quick and friendly\nthanks  ' });
    expect(r.status).toBe(200);
    expect(r.data).toEqual({ chatId: chat.chatId, rating: { given: 4 } });
    expect((await status(chat)).rating).toEqual({ given: 4 });

    const again = await rate(chat, { rating: 1, comment: 'changed my mind' });
    expect(again.status).toBe(409);
    expect(again.data.error.code).toBe('already_rated');

    const session = await reportingSession(offer.id);
    expect(session).toMatchObject({ outcome: 'handled', csat: { rating: 4, comment: 'Quick and friendly\nthanks' } });
    expect(session.csat.at).toBeGreaterThanOrEqual(session.endedAt);
    // And in the KPIs: one rating of 4.
    const kpis = await h.call('GET', '/api/reporting/kpis?groupBy=service&service=support', undefined, admin);
    expect(kpis.data.rows).toEqual([expect.objectContaining({ key: 'support', handled: 1, csatCount: 1, csatAvg: 4 })]);
  });

  test('bad bodies are 400 and change nothing; another chat’s token or none is 401', async () => {
    const chat = await startWebChat('Dora');
    const offer = await acceptFor('Dora');
    expect((await h.call('POST', `/api/agent/sessions/${offer.id}/end`, {}, offer.t)).status).toBe(200);
    const bad: unknown[] = [
      {},
      { rating: 0 },
      { rating: 6 },
      { rating: 3.5 },
      { rating: -1 },
      { rating: '4' },
      { rating: null },
      { rating: [4] },
      { rating: 1e308 },
      { rating: 4, comment: 'x'.repeat(1001) },
      { rating: 4, comment: 'nul \u0000 here' },
      { rating: 4, comment: 'bell \u0007' },
      { rating: 4, comment: 42 },
      { rating: 4, comment: { text: 'hi' } },
      [4],
      '4',
      'not json',
    ];
    for (const body of bad) {
      const r = await rate(chat, typeof body === 'string' ? JSON.stringify(body) : body);
      expect([r.status, body]).toEqual([400, body]);
      expect(r.data.error.code).toMatch(/^invalid_(request|json)$/);
    }
    const raw = await fetch(`${h.url}/api/interact/chats/${chat.chatId}/rating`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chat.token}`, 'content-type': 'application/json' },
      body: '{"rating":',
    });
    expect(raw.status).toBe(400);
    expect((await status(chat)).rating).toEqual({ asked: true });

    const other = await startWebChat('Eve');
    const stranger = await h.call('POST', `/api/interact/chats/${chat.chatId}/rating`, { rating: 1 }, other.token);
    expect(stranger.status).toBe(401);
    expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/rating`, { rating: 1 })).status).toBe(401);
    expect((await h.call('POST', '/api/interact/chats/conv_nope/rating', { rating: 1 }, chat.token)).status).toBe(401);

    // A comment of exactly 1,000 characters is fine.
    expect((await rate(chat, { rating: 5, comment: 'y'.repeat(1000) })).status).toBe(200);
    expect((await reportingSession(offer.id)).csat).toMatchObject({ rating: 5, comment: 'y'.repeat(1000) });
  });

  test('a chat nobody accepted is not asked, and a rating is refused', async () => {
    const chat = await startWebChat('Finn');
    await waitFor('the offer', async () =>
      (await h.call('GET', '/api/supervisor/queue?service=support', undefined, admin)).data.tasks.some(
        (t: any) => t.customer.displayName === 'Finn',
      ),
    );
    expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token)).status).toBe(200);
    const s = await status(chat);
    expect(s.state).toBe('ended');
    expect(s.rating).toBeUndefined();
    const r = await rate(chat, { rating: 5 });
    expect(r.status).toBe(409);
    expect(r.data.error.code).toBe('not_asked');
  });

  test('a service that does not ask: no rating', async () => {
    const r = await h.call('POST', '/api/interact/sales/chats', { displayName: 'Gus', email: 'g@example.com', privacyAccepted: true });
    const chat = r.data as { chatId: string; token: string };
    const offer = await acceptFor('Gus');
    expect((await h.call('POST', `/api/agent/sessions/${offer.id}/end`, {}, offer.t)).status).toBe(200);
    expect((await status(chat)).rating).toBeUndefined();
    expect((await rate(chat, { rating: 3 })).data.error.code).toBe('not_asked');
  });
});

describe('WhatsApp', () => {
  function inbound(from: string, body: string, name = 'Wanda') {
    n += 1;
    return {
      AccountSid: DEMO_TWILIO_ACCOUNT_SID,
      MessageSid: `SMcsat${Date.now()}${n}`,
      From: `whatsapp:${from}`,
      To: 'whatsapp:+15550100',
      Body: body,
      NumMedia: '0',
      ProfileName: name,
    };
  }
  const send = async (p: Record<string, string>) => {
    const r = await postSigned(h.url, PUBLIC, '/api/whatsapp/inbound', p, DEMO_TWILIO_AUTH_TOKEN);
    expect(r.status).toBe(200);
    return r;
  };
  const sentTo = (phone: string) => twilioApi.sent.filter((m) => m.To === `whatsapp:${phone}`).map((m) => m.Body);
  const counts = async (phone: string) => {
    const [c] = await rows<{ n: number }>(`select count(*)::int as n from conversations where address = 'whatsapp:${phone}'`);
    const [t] = await rows<{ n: number }>(
      `select count(*)::int as n from tasks t join conversations c on c.id = t.conversation_id where c.address = 'whatsapp:${phone}'`,
    );
    return { conversations: c!.n, tasks: t!.n };
  };
  /** A WhatsApp chat that an agent accepted and then ended. */
  async function endedChat(phone: string, name: string): Promise<{ t: string; id: string }> {
    await send(inbound(phone, 'My order is late', name));
    const offer = await acceptFor(name);
    expect((await h.call('POST', `/api/agent/sessions/${offer.id}/end`, {}, offer.t)).status).toBe(200);
    return offer;
  }

  test('the question goes out after the end; "4 great help" is the rating with its comment, thanked, and opens no chat', async () => {
    const phone = '+41790000101';
    const offer = await endedChat(phone, 'Walter');
    await waitFor('the question at Twilio', () => sentTo(phone).includes(QUESTION));
    expect(sentTo(phone).filter((b) => b === QUESTION)).toHaveLength(1);
    const before = await counts(phone);
    expect(before).toEqual({ conversations: 1, tasks: 1 });

    const reply = inbound(phone, '4 great help');
    await send(reply);
    await send(reply); // Twilio retries: stored once, rated once
    await waitFor('the thanks at Twilio', () => sentTo(phone).includes(THANKS));
    expect(await counts(phone)).toEqual(before);
    expect((await reportingSession(offer.id)).csat).toMatchObject({ rating: 4, comment: 'great help' });
    // The reply is in the transcript; nothing was offered to anyone.
    const transcript = (await h.call('GET', `/api/supervisor/sessions/${offer.id}/messages`, undefined, admin)).data.messages.map(
      (m: any) => `${m.from}: ${m.text}`,
    );
    expect(transcript.slice(-3)).toEqual([`system: ${QUESTION}`, 'customer: 4 great help', `system: ${THANKS}`]);
    const queue = (await h.call('GET', '/api/supervisor/queue?service=support', undefined, admin)).data.tasks;
    expect(queue.filter((t: any) => t.customer.displayName === 'Walter')).toEqual([]);

    // Rated: a further digit is an ordinary message again, and starts a chat.
    await send(inbound(phone, '5'));
    await waitFor('a new chat', async () => (await counts(phone)).conversations === 2);
    expect(sentTo(phone).filter((b) => b === THANKS)).toHaveLength(1);
  });

  test('"hello" after the question starts a new chat, and the rating is not taken', async () => {
    const phone = '+41790000102';
    const offer = await endedChat(phone, 'Hanna');
    await waitFor('the question', () => sentTo(phone).includes(QUESTION));
    await send(inbound(phone, 'hello', 'Hanna'));
    const again = await acceptFor('Hanna');
    expect(again.id).not.toBe(offer.id);
    expect(await counts(phone)).toEqual({ conversations: 2, tasks: 2 });
    expect((await reportingSession(offer.id)).csat).toBeUndefined();
    // In the open chat a digit is a message for the agent, not a rating.
    await send(inbound(phone, '3'));
    await waitFor('the digit in the open chat', async () =>
      (await h.call('GET', `/api/agent/sessions/${again.id}/messages`, undefined, again.t)).data.messages.some((m: any) => m.text === '3'),
    );
    expect((await reportingSession(offer.id)).csat).toBeUndefined();
    expect((await reportingSession(again.id)).csat).toBeUndefined();
  });

  test('a reply more than an hour after the question starts a new chat', async () => {
    const phone = '+41790000103';
    const offer = await endedChat(phone, 'Ivo');
    await waitFor('the question', () => sentTo(phone).includes(QUESTION));
    offsetMs += 61 * 60_000;
    try {
      await send(inbound(phone, '5 late but fine', 'Ivo'));
      await waitFor('a new chat', async () => (await counts(phone)).conversations === 2);
      expect((await reportingSession(offer.id)).csat).toBeUndefined();
      await acceptFor('Ivo').then((o) => h.call('POST', `/api/agent/sessions/${o.id}/end`, {}, o.t));
    } finally {
      offsetMs = 0;
    }
  });

  test('past WhatsApp’s 24-hour window the customer is not asked', async () => {
    const phone = '+41790000104';
    await send(inbound(phone, 'Anyone?', 'Jana'));
    const offer = await acceptFor('Jana');
    offsetMs += 25 * 3600_000;
    try {
      const ended = await h.call('POST', `/api/agent/sessions/${offer.id}/end`, {}, offer.t);
      expect(ended.status).toBe(200);
      // The question's subscriber has read every event up to the end (and asked nothing).
      const [{ id }] = (await rows<{ id: string }>('select max(id)::text as id from events')) as [{ id: string }];
      await waitFor('the subscriber past the end', async () => {
        const [c] = await rows<{ p: string }>(`select position::text as p from event_cursors where name = 'csat-questions'`);
        return c && Number(c.p) >= Number(id);
      });
      const asked = await rows(
        `select m.id from messages m join conversations c on c.id = m.conversation_id where c.address = 'whatsapp:${phone}' and m.client_message_id = '${CSAT_QUESTION_ID}'`,
      );
      expect(asked).toEqual([]);
      expect(sentTo(phone)).not.toContain(QUESTION);
    } finally {
      offsetMs = 0;
    }
  });
});

test('what a reply by message counts as a rating', () => {
  const cases: [string, ReturnType<typeof parseRatingReply>][] = [
    ['4', { rating: 4 }],
    [' 5 ', { rating: 5 }],
    ['4 great help', { rating: 4, comment: 'great help' }],
    ['3: slow', { rating: 3, comment: 'slow' }],
    ['5/5 thanks!', { rating: 5, comment: 'thanks!' }],
    ['1.\nnever again', { rating: 1, comment: 'never again' }],
    ['2 - meh', { rating: 2, comment: 'meh' }],
    ['0', undefined],
    ['6', undefined],
    ['45', undefined],
    ['4stars', undefined],
    ['hello', undefined],
    ['', undefined],
    ['four', undefined],
    ['3.5', undefined],
  ];
  for (const [text, want] of cases) expect([text, parseRatingReply(text)]).toEqual([text, want]);
  expect(parseRatingReply(`4 ${'z'.repeat(5000)}`)!.comment).toHaveLength(1000);
  expect(customerText('de', 'csatQuestion')).toMatch(/^Wie bewerten Sie diesen Chat\? .*1 \(schlecht\) bis 5 \(ausgezeichnet\)\.$/);
  expect(customerText('fr', 'csatThanks')).toBe('Merci pour votre évaluation !');
});

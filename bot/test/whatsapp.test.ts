/**
 * WhatsApp through Twilio, against the real server and a local stand-in for Twilio's REST API:
 * signed webhooks, one message per MessageSid, replies as plain text, attachments answered,
 * delivery states forward only, failed sends retried then shown as failed.
 */
import { DEMO_TWILIO_ACCOUNT_SID, DEMO_TWILIO_AUTH_TOKEN } from '@stratus/shared/tenant/demo';
import { openAgentStream, startHarness, waitFor, type Harness } from './harness';
import { postSigned, startTwilioStandIn, type TwilioStandIn } from './twilio-standin';

const PUBLIC = 'https://stratus.example.com';
let h: Harness;
let twilioApi: TwilioStandIn;
let n = 0;

beforeAll(async () => {
  twilioApi = await startTwilioStandIn();
  h = await startHarness({
    env: { PUBLIC_BASE_URL: PUBLIC, STRATUS_DEV_MODE: 'true', TWILIO_API_BASE_URL: twilioApi.url },
    app: { channelRetryBaseMs: 20 },
  });
});
afterAll(async () => {
  await h?.stop();
  await twilioApi?.close();
});

function inbound(from: string, body: string, extra: Record<string, string> = {}) {
  n += 1;
  return {
    AccountSid: DEMO_TWILIO_ACCOUNT_SID,
    MessageSid: `SMin${Date.now()}${n}`,
    From: `whatsapp:${from}`,
    To: 'whatsapp:+15550100',
    Body: body,
    NumMedia: '0',
    ProfileName: 'Wanda',
    ...extra,
  };
}
const send = (p: Record<string, string>, forge = false) =>
  postSigned(h.url, PUBLIC, '/api/whatsapp/inbound', p, DEMO_TWILIO_AUTH_TOKEN, forge);

async function countMessages(): Promise<number> {
  const r = await h.app.store.db.execute('select count(*)::int as n from messages' as never);
  return (r as unknown as { rows: { n: number }[] }).rows[0]!.n;
}

async function acceptFor(name: string) {
  const tokens = [await h.devToken('alice@contoso.com'), await h.devToken('bob@contoso.com')];
  const offer = await waitFor(`an offer for ${name}`, async () => {
    for (const t of tokens) {
      const s = (await h.call('GET', '/api/agent/sessions', undefined, t)).data.sessions.find(
        (x: any) => x.state === 'offered' && x.customer.displayName === name,
      );
      if (s) return { t, id: s.id as string, session: s };
    }
    return undefined;
  });
  expect((await h.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, offer.t)).status).toBe(200);
  return offer;
}

test('a wrong signature is refused with 403 and nothing is stored', async () => {
  const before = await countMessages();
  const r = await send(inbound('+41790000001', 'hello'), true);
  expect(r.status).toBe(403);
  expect(r.text).toContain('bad_signature');
  // Signed over a different URL (Twilio signs PUBLIC_BASE_URL + path): refused too.
  const p = inbound('+41790000002', 'hi');
  const wrongUrl = await postSigned(h.url, 'http://localhost:3978', '/api/whatsapp/inbound', p, DEMO_TWILIO_AUTH_TOKEN);
  expect(wrongUrl.status).toBe(403);
  expect(await countMessages()).toBe(before);
});

test('a WhatsApp customer reaches an agent, a retried MessageSid is stored once, the reply goes out as plain text', async () => {
  const first = inbound('+41790000010', 'Hi, my order is late', { ProfileName: 'Walter' });
  expect((await send(first)).status).toBe(200);
  expect((await send(first)).status).toBe(200); // Twilio retries within its 15 s window
  const offer = await acceptFor('Walter');
  expect(offer.session.channel).toBe('whatsapp');
  expect(offer.session.customer.phone).toBe('+41790000010');
  const history = (await h.call('GET', `/api/agent/sessions/${offer.id}/messages`, undefined, offer.t)).data.messages;
  expect(history.filter((m: any) => m.text === 'Hi, my order is late')).toHaveLength(1);

  // The next message continues the same conversation.
  expect((await send(inbound('+41790000010', 'Order 42'))).status).toBe(200);
  await waitFor('the second message in the same session', async () =>
    (await h.call('GET', `/api/agent/sessions/${offer.id}/messages`, undefined, offer.t)).data.messages.some(
      (m: any) => m.text === 'Order 42',
    ),
  );

  const sentBefore = twilioApi.sent.length;
  const reply = await h.call(
    'POST',
    `/api/agent/sessions/${offer.id}/messages`,
    { text: '**Sorry**, <b>Walter</b>: it ships [today](https://x.example).', clientMessageId: 'w-1' },
    offer.t,
  );
  expect(reply.status).toBe(201);
  const out = await waitFor('the reply at Twilio', () => twilioApi.sent.slice(sentBefore).find((m) => m.Body.includes('Walter')));
  expect(out).toMatchObject({
    accountSid: DEMO_TWILIO_ACCOUNT_SID,
    To: 'whatsapp:+41790000010',
    From: 'whatsapp:+15550100',
    StatusCallback: `${PUBLIC}/api/whatsapp/status`,
  });
  expect(out.Body).not.toMatch(/[*<>]/);
  expect(out.Body).toContain('Sorry, Walter: it ships today');

  // Delivery states move forward only and reach the agent.
  const stream = openAgentStream(h.url, offer.t);
  await stream.ready;
  const status = (s: string) =>
    postSigned(
      h.url,
      PUBLIC,
      '/api/whatsapp/status',
      { AccountSid: DEMO_TWILIO_ACCOUNT_SID, MessageSid: out.sid, MessageStatus: s },
      DEMO_TWILIO_AUTH_TOKEN,
    );
  expect((await status('delivered')).status).toBe(200);
  expect((await status('read')).status).toBe(200);
  expect((await status('sent')).status).toBe(200); // late: must not overwrite read
  await waitFor('read on the agent stream', () =>
    stream.events.some((e) => e.data.type === 'message' && e.data.message.delivery?.state === 'read'),
  );
  const mine = (await h.call('GET', `/api/agent/sessions/${offer.id}/messages`, undefined, offer.t)).data.messages.find(
    (m: any) => m.clientMessageId === 'w-1',
  );
  expect(mine.delivery.state).toBe('read');
  stream.close();
});

test('an attachment is not dropped silently: the customer is told, the agent sees a notice', async () => {
  const p = inbound('+41790000020', '', {
    ProfileName: 'Ada',
    NumMedia: '1',
    MediaContentType0: 'image/jpeg',
    MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1',
  });
  expect((await send(p)).status).toBe(200);
  const offer = await acceptFor('Ada');
  const history = (await h.call('GET', `/api/agent/sessions/${offer.id}/messages`, undefined, offer.t)).data.messages.map(
    (m: any) => m.text,
  );
  expect(history).toEqual(expect.arrayContaining(['[image/jpeg]', expect.stringContaining('attachments are not supported')]));
  await waitFor('the notice sent to the customer', () =>
    twilioApi.sent.some((m) => m.To === 'whatsapp:+41790000020' && m.Body.includes('attachments are not supported')),
  );
});

test('a send that keeps failing is retried, then shown to the agent as failed with a reason', async () => {
  expect((await send(inbound('+41790000030', 'hello', { ProfileName: 'Fritz' }))).status).toBe(200);
  const offer = await acceptFor('Fritz');
  twilioApi.failNext.push(...Array.from({ length: 30 }, () => 503));
  const before = twilioApi.sent.length;
  expect(
    (await h.call('POST', `/api/agent/sessions/${offer.id}/messages`, { text: 'are you there?', clientMessageId: 'f-1' }, offer.t)).status,
  ).toBe(201);
  const failed = await waitFor(
    'the failed state',
    async () =>
      (await h.call('GET', `/api/agent/sessions/${offer.id}/messages`, undefined, offer.t)).data.messages.find(
        (m: any) => m.clientMessageId === 'f-1' && m.delivery?.state === 'failed',
      ),
    15_000,
  );
  expect(failed.delivery.error).toMatch(/.{12,}/);
  expect(twilioApi.sent.length).toBe(before);
  // Retried with backoff before giving up (several attempts used), then no more sends.
  expect(twilioApi.failNext.length).toBeLessThanOrEqual(25);
  twilioApi.failNext.length = 0;
});

test('an unknown number is 404; SMS only where the service takes it', async () => {
  const p = { ...inbound('+41790000040', 'hi'), To: 'whatsapp:+15559999999' };
  expect((await send(p)).status).toBe(404);
});

test('SMS through the same connector when To has no whatsapp: prefix', async () => {
  const p = {
    AccountSid: DEMO_TWILIO_ACCOUNT_SID,
    MessageSid: `SMsms${Date.now()}`,
    From: '+41790000050',
    To: '+15550100',
    Body: 'text me back',
    NumMedia: '0',
  };
  expect((await send(p)).status).toBe(200);
  const tokens = [await h.devToken('alice@contoso.com'), await h.devToken('bob@contoso.com')];
  const offer = await waitFor('the SMS offer', async () => {
    for (const t of tokens) {
      const s = (await h.call('GET', '/api/agent/sessions', undefined, t)).data.sessions.find(
        (x: any) => x.state === 'offered' && x.channel === 'sms',
      );
      if (s) return { t, id: s.id as string };
    }
    return undefined;
  });
  await h.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, offer.t);
  expect(
    (await h.call('POST', `/api/agent/sessions/${offer.id}/messages`, { text: 'Hello by SMS', clientMessageId: 's-1' }, offer.t)).status,
  ).toBe(201);
  const out = await waitFor('the SMS at Twilio', () => twilioApi.sent.find((m) => m.Body === 'Hello by SMS'));
  expect(out).toMatchObject({ To: '+41790000050', From: '+15550100' });
});

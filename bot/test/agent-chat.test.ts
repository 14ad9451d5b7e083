/**
 * The agent's side of the chat through the real server (issue 14): typing to the customer,
 * the customer's inactivity (warning, then close), the unanswered flag, wrap-up before the next
 * offer, canned responses and the agent's own settings. The server's clock is the wall clock plus
 * an offset the tests move (the scheduler's jobs come due by it), so the 30 s minimum of the
 * settings costs no waiting. Bob is off duty unless a test says otherwise: Alice gets every offer.
 */
import { sql } from 'drizzle-orm';
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { customerText } from '@stratus/shared/i18n/customer-texts';
import { openAgentStream, openCustomerSocket, startHarness, waitFor, type Harness } from './harness';

let offsetMs = 0;
const clock = { now: () => Date.now() + offsetMs };
const advance = (sec: number) => {
  offsetMs += sec * 1000;
};

function tenant(): TenantConfig {
  const t = demoTenant();
  const [support, ...rest] = t.services;
  return {
    ...t,
    services: [
      {
        ...support!,
        im: {
          ...support!.im,
          chat: {
            inactivity: { customerWarnSec: 30, customerCloseSec: 30, agentFlagSec: 30 },
            wrapUp: { seconds: 60, reasons: ['Callback promised'] },
            cannedResponses: [{ id: 'hello', title: 'Greeting', text: 'Hello {customer}, I am {agent}.' }],
          },
        },
      },
      ...rest,
    ],
  };
}

let h: Harness;
let alice: string;
let bob: string;
beforeAll(async () => {
  h = await startHarness({ tenants: [tenant()], env: { INTERACT_RATE_LIMIT_SCALE: '0' }, app: { clock } });
  alice = await h.devToken('alice@contoso.com');
  bob = await h.devToken('bob@contoso.com');
  expect((await h.call('POST', '/api/agent/me/duty', { onDuty: false }, bob)).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

type Chat = { chatId: string; token: string };
const start = async (name: string): Promise<Chat> => {
  const r = await h.call('POST', '/api/interact/support/chats', {
    displayName: name,
    email: 'c@example.com',
    privacyAccepted: true,
    message: 'Hello',
  });
  expect(r.status).toBe(201);
  return r.data;
};
const sessionsOf = async (token: string): Promise<any[]> => (await h.call('GET', '/api/agent/sessions', undefined, token)).data.sessions;
const sessionFor = async (token: string, customer: string) =>
  (await sessionsOf(token)).find((s) => s.customer.displayName === customer && s.state !== 'ended');
const offered = async (token: string, customer: string) =>
  (await sessionsOf(token)).some((s) => s.state === 'offered' && s.customer.displayName === customer);
/** A chat Alice has accepted: its session id. */
const connected = async (name: string): Promise<{ chat: Chat; id: string }> => {
  const chat = await start(name);
  const offer = await waitFor(`an offer for ${name}`, async () => (await sessionsOf(alice)).find((s) => s.state === 'offered'));
  expect((await h.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, alice)).status).toBe(200);
  return { chat, id: offer.id };
};
const say = (token: string, id: string, text: string) => h.call('POST', `/api/agent/sessions/${id}/messages`, { text }, token);
const customerSays = (chat: Chat, text: string) => h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text }, chat.token);
const customerTexts = async (chat: Chat): Promise<string[]> =>
  (await h.call('GET', `/api/interact/chats/${chat.chatId}/messages`, undefined, chat.token)).data.messages.map(
    (m: { text: string }) => m.text,
  );
const reportOf = async (chatId: string): Promise<any> =>
  ((await h.call('GET', '/api/reporting/sessions', undefined, alice)).data.sessions as any[]).find((s) => s.conversationId === chatId);
const settle = () => new Promise((r) => setTimeout(r, 800));
const WARNING = customerText('en', 'inactivityWarning');
const CLOSED = customerText('en', 'inactivityClosed');

/** Files the wrap-up of Alice's ended session, so the next test's offer can reach her. */
const fileWrapUp = (id: string) => h.call('POST', `/api/agent/sessions/${id}/wrapup`, { outcome: 'handled' }, alice);

test('agent typing reaches the customer at most every 2 s, only from the session’s connected agent', async () => {
  const { chat, id } = await connected('Tina');
  const { ws, frames } = await openCustomerSocket(h.url, chat.chatId, chat.token);
  try {
    expect((await h.call('POST', `/api/agent/sessions/${id}/typing`, {}, alice)).status).toBe(204);
    await waitFor('the typing frame', () => frames.find((f) => f.type === 'typing' && f.agentName === 'Alice Anders'));
    // Again at once: accepted, but not passed on (one event per 2 s per session).
    expect((await h.call('POST', `/api/agent/sessions/${id}/typing`, {}, alice)).status).toBe(204);
    await settle();
    expect(frames.filter((f) => f.type === 'typing')).toHaveLength(1);
    // Another agent, an unknown id, no token: refused, and nothing reaches the customer.
    const other = await h.call('POST', `/api/agent/sessions/${id}/typing`, {}, bob);
    expect(other.status).toBe(403);
    expect(other.data.error.code).toBe('not_your_session');
    expect((await h.call('POST', '/api/agent/sessions/task_nope/typing', {}, alice)).status).toBe(404);
    expect((await h.call('POST', `/api/agent/sessions/${id}/typing`, {})).status).toBe(401);
    await new Promise((r) => setTimeout(r, 2100));
    // Bob's refused attempts did not use up the session's slot: Alice's next typing goes out.
    expect((await h.call('POST', `/api/agent/sessions/${id}/typing`, {}, alice)).status).toBe(204);
    await waitFor('a second typing frame', () => frames.filter((f) => f.type === 'typing').length === 2);
    // An ended session takes no typing.
    await h.call('POST', `/api/agent/sessions/${id}/end`, {}, alice);
    expect((await h.call('POST', `/api/agent/sessions/${id}/typing`, {}, alice)).status).toBe(409);
  } finally {
    ws.close();
    await fileWrapUp(id);
  }
});

test('a silent customer is warned, then the chat closes as inactive; a customer message resets it', async () => {
  const { chat, id } = await connected('Ivy');
  expect((await say(alice, id, 'How can I help?')).status).toBe(201);
  // Durable: one job row per task and kind, due 30 s after the agent's message (a restart picks it up).
  const jobs = await h.app.store.db.execute(sql`select kind, due_at from jobs where ref = ${id} order by kind`);
  const rows = (jobs as unknown as { rows: { kind: string; due_at: string }[] }).rows;
  expect(rows.map((r) => r.kind)).toEqual(['agentUnanswered', 'chatInactivity']);
  expect(Number(rows[1]!.due_at) - clock.now()).toBeGreaterThan(29_000);
  advance(31);
  await waitFor('the warning', async () => (await customerTexts(chat)).includes(WARNING));
  // The customer answers: no close, even past the close time.
  expect((await customerSays(chat, 'Still here')).status).toBe(201);
  advance(31);
  await settle();
  expect((await sessionFor(alice, 'Ivy'))?.state).toBe('connected');
  // The agent writes again and the customer stays silent: warned again, then closed.
  expect((await say(alice, id, 'Anything else?')).status).toBe(201);
  advance(31);
  await waitFor('the second warning', async () => (await customerTexts(chat)).filter((t) => t === WARNING).length === 2);
  advance(31);
  await waitFor('the close', async () => (await customerTexts(chat)).includes(CLOSED));
  const status = (await h.call('GET', `/api/interact/chats/${chat.chatId}`, undefined, chat.token)).data;
  expect(status.state).toBe('ended');
  const session = (await sessionsOf(alice)).find((s) => s.id === id);
  expect(session).toMatchObject({ state: 'ended', outcome: 'inactive' });
  const report = await waitFor('the report', () => reportOf(chat.chatId));
  expect(report).toMatchObject({ outcome: 'inactive', endedBy: 'system', userId: 'alice' });
  expect((await fileWrapUp(id)).status).toBe(200);
});

test('a customer message left unanswered flags the session at flagAt; the answer clears it', async () => {
  const stream = openAgentStream(h.url, alice);
  await stream.ready;
  try {
    const { chat, id } = await connected('Una');
    const s1 = await sessionFor(alice, 'Una');
    // The customer's first message waits since the accept (Alice could not answer before).
    expect(s1.unanswered.since).toBe(s1.acceptedAt);
    expect(Date.parse(s1.unanswered.flagAt) - Date.parse(s1.unanswered.since)).toBe(30_000);
    expect((await say(alice, id, 'Hi Una')).status).toBe(201);
    expect((await sessionFor(alice, 'Una')).unanswered).toBeUndefined();
    await customerSays(chat, 'My order is late');
    const s2 = await sessionFor(alice, 'Una');
    expect(Date.parse(s2.unanswered.flagAt)).toBeGreaterThan(clock.now());
    advance(31);
    const flagged = await waitFor('the flag event', () =>
      stream.events.find((e) => e.data.type === 'session' && e.data.session.id === id && e.data.session.unanswered),
    );
    expect(Date.parse(flagged.data.session.unanswered.flagAt)).toBeLessThanOrEqual(clock.now());
    expect(flagged.data.session.unanswered.since).toBe(s2.unanswered.since);
    expect((await say(alice, id, 'Let me check')).status).toBe(201);
    expect((await sessionFor(alice, 'Una')).unanswered).toBeUndefined();
    await h.call('POST', `/api/agent/sessions/${id}/end`, {}, alice);
    await fileWrapUp(id);
  } finally {
    stream.close();
  }
});

test('wrap-up blocks the next offer until it is filed or its time is up, and is kept on the reporting session', async () => {
  const stream = openAgentStream(h.url, alice);
  await stream.ready;
  try {
    const { chat, id } = await connected('Wendy');
    // Not before the end.
    const early = await h.call('POST', `/api/agent/sessions/${id}/wrapup`, { outcome: 'handled' }, alice);
    expect(early.status).toBe(409);
    const ended = await h.call('POST', `/api/agent/sessions/${id}/end`, {}, alice);
    expect(ended.data.session.wrapUp.until).toBeDefined();
    const until = Date.parse(ended.data.session.wrapUp.until);
    expect(until - clock.now()).toBeGreaterThan(55_000);
    expect(Date.parse((await h.call('GET', '/api/agent/me', undefined, alice)).data.wrapUpUntil)).toBe(until);
    await waitFor('the ended session with its wrap-up on the stream', () =>
      stream.events.find((e) => e.data.type === 'session' && e.data.session.id === id && e.data.session.wrapUp),
    );

    // In wrap-up: the next chat waits.
    const next = await start('Nora');
    await settle();
    expect(await offered(alice, 'Nora')).toBe(false);

    // Hostile or wrong filings change nothing.
    const bad = async (token: string, body: unknown, status: number) => {
      const r = await h.call('POST', `/api/agent/sessions/${id}/wrapup`, body, token);
      expect(r.status).toBe(status);
      expect(r.data.error.code).toBeDefined();
    };
    await bad(alice, { outcome: 'Refund granted' }, 400);
    await bad(alice, { outcome: 'handled', note: 'x'.repeat(2001) }, 400);
    await bad(alice, JSON.stringify({ outcome: 'handled', note: 'x'.repeat(1_048_576) }), 413);
    await bad(alice, { outcome: 'handled', note: 'bell\u0007' }, 400);
    await bad(bob, { outcome: 'handled' }, 403);
    expect(await offered(alice, 'Nora')).toBe(false);

    const filed = await h.call(
      'POST',
      `/api/agent/sessions/${id}/wrapup`,
      { outcome: 'Callback promised', note: '<b>call</b> at 5' },
      alice,
    );
    expect(filed.status).toBe(200);
    expect(filed.data.session.wrapUp).toMatchObject({ outcome: 'Callback promised', note: '<b>call</b> at 5' });
    expect((await h.call('GET', '/api/agent/me', undefined, alice)).data.wrapUpUntil).toBeUndefined();
    const nora = await waitFor('the offer after filing', async () => (await sessionsOf(alice)).find((s) => s.state === 'offered'));
    expect(nora.customer.displayName).toBe('Nora');
    // A correction while the wrap-up time would still run is allowed.
    expect((await h.call('POST', `/api/agent/sessions/${id}/wrapup`, { outcome: 'notHandled' }, alice)).status).toBe(200);
    const report = await reportOf(chat.chatId);
    expect(report.wrapUp).toMatchObject({ outcome: 'notHandled', until });
    expect(report.wrapUp.note).toBeUndefined();
    const csv = await h.call('GET', '/api/reporting/sessions', undefined, alice, { accept: 'text/csv' });
    expect(String(csv.data).split('\r\n')[0]).toContain('wrapUpOutcome,wrapUpNote,wrapUpFiledAt');
    expect(String(csv.data)).toContain(',notHandled,');

    // The next chat, ended unfiled: its wrap-up time runs out and the periodic pass offers again.
    expect((await h.call('POST', `/api/agent/sessions/${nora.id}/accept`, {}, alice)).status).toBe(200);
    expect((await h.call('POST', `/api/agent/sessions/${nora.id}/end`, {}, alice)).status).toBe(200);
    const olga = await start('Olga');
    await settle();
    expect(await offered(alice, 'Olga')).toBe(false);
    advance(61);
    await waitFor('the offer after the wrap-up time', () => offered(alice, 'Olga'));
    // Past its time, an unfiled wrap-up may still be filed once; then it is closed.
    expect((await h.call('POST', `/api/agent/sessions/${nora.id}/wrapup`, { outcome: 'handled' }, alice)).status).toBe(200);
    const late = await h.call('POST', `/api/agent/sessions/${nora.id}/wrapup`, { outcome: 'notHandled' }, alice);
    expect(late.status).toBe(409);
    expect(late.data.error.code).toBe('wrap_up_closed');
    const o = (await sessionsOf(alice)).find((s) => s.customer.displayName === 'Olga');
    await h.call('POST', `/api/agent/sessions/${o.id}/accept`, {}, alice);
    await h.call('POST', `/api/agent/sessions/${o.id}/end`, {}, alice);
    await fileWrapUp(o.id);
    void next;
    void olga;
  } finally {
    stream.close();
  }
});

test('a service without chat settings schedules no chat timer and gives no wrap-up', async () => {
  const r = await h.call('POST', '/api/interact/sales/chats', {
    displayName: 'Sam',
    email: 's@example.com',
    privacyAccepted: true,
    message: 'Hi',
  });
  expect(r.status).toBe(201);
  const offer = await waitFor('an offer for Sam', async () => (await sessionsOf(alice)).find((s) => s.state === 'offered'));
  expect((await h.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, alice)).status).toBe(200);
  expect((await say(alice, offer.id, 'Hello Sam')).status).toBe(201);
  const jobs = await h.app.store.db.execute(sql`select kind from jobs where ref = ${offer.id}`);
  expect((jobs as unknown as { rows: { kind: string }[] }).rows.map((x) => x.kind)).toEqual([]);
  expect((await sessionFor(alice, 'Sam')).unanswered).toBeUndefined();
  const ended = await h.call('POST', `/api/agent/sessions/${offer.id}/end`, {}, alice);
  expect(ended.data.session.wrapUp).toBeUndefined();
  expect((await h.call('GET', '/api/agent/me', undefined, alice)).data.wrapUpUntil).toBeUndefined();
  const filed = await h.call('POST', `/api/agent/sessions/${offer.id}/wrapup`, { outcome: 'handled' }, alice);
  expect(filed.status).toBe(409);
  expect(filed.data.error.code).toBe('wrap_up_closed');
  // Unknown sessions are unknown, whoever asks.
  expect((await h.call('POST', '/api/agent/sessions/task_nope/wrapup', { outcome: 'handled' }, alice)).status).toBe(404);
  expect((await h.call('GET', '/api/agent/sessions/task_nope/canned', undefined, alice)).status).toBe(404);
});

test('the agent’s canned responses round-trip, beside the service’s; bad lists are refused with 4xx JSON', async () => {
  expect((await h.call('GET', '/api/agent/prefs', undefined, alice)).data).toEqual({ cannedResponses: [], offerAlerts: false });
  const mine = [{ id: 'bye', title: 'Goodbye <script>', text: '<img src=x onerror=alert(1)> Bye {customer}' }];
  const put = await h.call('PUT', '/api/agent/prefs', { cannedResponses: mine, offerAlerts: true }, alice);
  expect(put.status).toBe(200);
  expect(put.data).toEqual({ cannedResponses: mine, offerAlerts: true });
  // Only what is given changes.
  expect((await h.call('PUT', '/api/agent/prefs', { offerAlerts: false }, alice)).data).toEqual({
    cannedResponses: mine,
    offerAlerts: false,
  });
  expect((await h.call('GET', '/api/agent/prefs', undefined, bob)).data.cannedResponses).toEqual([]);

  const { id } = await connected('Cara');
  const canned = await h.call('GET', `/api/agent/sessions/${id}/canned`, undefined, alice);
  expect(canned.data).toEqual({ service: [{ id: 'hello', title: 'Greeting', text: 'Hello {customer}, I am {agent}.' }], mine });
  expect((await h.call('GET', `/api/agent/sessions/${id}/canned`, undefined, bob)).status).toBe(403);

  const refused = async (body: unknown, status: number) => {
    const r = await h.call('PUT', '/api/agent/prefs', body, alice);
    expect(r.status).toBe(status);
    expect(r.data.error).toBeDefined();
  };
  await refused({ cannedResponses: 'hello' }, 400);
  await refused({ cannedResponses: { id: 'a' } }, 400);
  await refused({ cannedResponses: Array.from({ length: 300 }, (_, i) => ({ id: `r${i}`, title: 't', text: 'x' })) }, 400);
  await refused({ cannedResponses: [{ id: 'Bad Id!', title: 't', text: 'x' }] }, 400);
  await refused({ cannedResponses: [{ id: 'a', title: 't', text: 'x'.repeat(4001) }] }, 400);
  await refused({ cannedResponses: [mine[0], mine[0]] }, 400);
  await refused({ offerAlerts: 'yes' }, 400);
  await refused([1, 2], 400);
  await refused(JSON.stringify({ cannedResponses: [{ id: 'a', title: 't', text: 'x'.repeat(1_048_576) }] }), 413);
  expect((await h.call('PUT', '/api/agent/prefs', { cannedResponses: [] })).status).toBe(401);
  // Nothing refused was stored.
  expect((await h.call('GET', '/api/agent/prefs', undefined, alice)).data).toEqual({ cannedResponses: mine, offerAlerts: false });

  await h.call('POST', `/api/agent/sessions/${id}/end`, {}, alice);
  await fileWrapUp(id);
});

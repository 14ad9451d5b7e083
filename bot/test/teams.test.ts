/**
 * The Teams bot over the real CloudAdapter against a local Bot Connector stand-in: install,
 * attendant notification with Universal Actions, card updated in place, relay both ways,
 * one handling per activity id, tenants refused, Teams' send budget kept by folding.
 */
import { sql } from 'drizzle-orm';
import { DEMO_ENTRA_TENANT_ID } from '@stratus/shared/tenant/demo';
import { scheduleOrphanedSends } from '../teams/relay-send';
import { cardTexts, startConnectorStandIn, type ConnectorStandIn } from './connector-standin';
import { openCustomerSocket, startHarness, waitFor, type Harness } from './harness';

let h: Harness;
let connector: ConnectorStandIn;
const OID = { alice: '00000000-0000-0000-0000-0000000a11ce', bob: '00000000-0000-0000-0000-000000000b0b' };
let seq = 0;

beforeAll(async () => {
  connector = await startConnectorStandIn();
  // The flood below is one customer writing fast: lift the customer rate limit for it.
  h = await startHarness({ env: { INTERACT_RATE_LIMIT_SCALE: '0' } });
});
afterAll(async () => {
  await h?.stop();
  await connector?.close();
});

function activity(who: keyof typeof OID, extra: Record<string, unknown>, tenantId = DEMO_ENTRA_TENANT_ID) {
  seq += 1;
  return {
    id: `act-in-${seq}`,
    channelId: 'msteams',
    serviceUrl: connector.url,
    timestamp: new Date().toISOString(),
    from: { id: `29:${who}`, aadObjectId: OID[who], name: who },
    recipient: { id: '28:stratus-bot', name: 'Stratus' },
    conversation: { id: `a:${who}`, conversationType: 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
    ...extra,
  };
}

const post = async (body: unknown) => {
  const r = await fetch(`${h.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, data: text ? JSON.parse(text) : undefined };
};
const sentTo = (who: string) => connector.recorded.filter((r) => r.conversationId === `a:${who}`);

test('installing stores the chat and greets with a link to My Sessions; an unknown Teams tenant is refused', async () => {
  for (const who of ['alice', 'bob'] as const) {
    expect((await post(activity(who, { type: 'installationUpdate', action: 'add' }))).status).toBe(200);
  }
  await waitFor('the welcome cards', () => sentTo('alice').length >= 1 && sentTo('bob').length >= 1);
  expect(cardTexts(sentTo('alice')[0]!.activity).join(' ')).toContain('Hello Alice Anders');
  const foreign = await post(activity('alice', { type: 'message', text: 'hi' }, '99999999-0000-0000-0000-000000000000'));
  expect(foreign.status).toBe(403);
  expect(foreign.data.error.code).toBe('forbidden');
});

test('an offer arrives as a card; Accept answers with the updated card; messages relay both ways, once per activity', async () => {
  const before = connector.recorded.length;
  const chat = (
    await h.call('POST', '/api/interact/support/chats', {
      displayName: 'Tess *bold* [link](http://x)',
      email: 't@example.com',
      privacyAccepted: true,
      message: 'I need **help**',
    })
  ).data;
  const offer = await waitFor('an offer card', () =>
    connector.recorded.slice(before).find((r) => JSON.stringify(r.activity).includes('"verb":"accept"')),
  );
  const who = offer.conversationId.slice(2) as 'alice' | 'bob';
  const texts = cardTexts(offer.activity).join('\n');
  // Customer text as written, in TextRuns (never markdown), with no escaping backslashes.
  expect(texts).toContain('Customer: Tess *bold* [link](http://x)');
  expect(texts).toContain('Channel: Website chat');
  expect(texts).toContain('I need **help**');
  expect(texts).not.toContain('\\');
  const card = offer.activity.attachments[0].content;
  expect(card.actions.map((a: any) => [a.type, a.verb])).toEqual([
    ['Action.Execute', 'accept'],
    ['Action.Execute', 'decline'],
  ]);
  const taskId = card.actions[0].data.taskId;

  const invoke = await post(
    activity(who, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'accept', data: { taskId } }, trigger: 'manual' },
    }),
  );
  expect(invoke.status).toBe(200);
  expect(invoke.data.statusCode).toBe(200);
  expect(invoke.data.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(cardTexts({ attachments: [{ content: invoke.data.value }] }).join(' ')).toContain('You accepted this chat');
  const token = await h.devToken(`${who}@contoso.com`);
  expect((await h.call('GET', '/api/agent/sessions', undefined, token)).data.sessions.find((s: any) => s.id === taskId).state).toBe(
    'connected',
  );

  // Customer → Teams.
  const { frames, ws } = await openCustomerSocket(h.url, chat.chatId, chat.token);
  await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'Order 42 please', clientMessageId: 'tm-1' }, chat.token);
  await waitFor('the relayed message', () => sentTo(who).some((r) => cardTexts(r.activity).some((t) => t.includes('Order 42 please'))));
  // Teams → customer, and a resent activity id is handled once.
  const typed = activity(who, { type: 'message', text: 'On it!' });
  expect((await post(typed)).status).toBe(200);
  expect((await post(typed)).status).toBe(200);
  await waitFor('the agent reply at the customer', () => frames.some((f) => f.type === 'message' && f.message.text === 'On it!'));
  await new Promise((r) => setTimeout(r, 300));
  const history = (await h.call('GET', `/api/interact/chats/${chat.chatId}/messages`, undefined, chat.token)).data.messages;
  expect(history.filter((m: any) => m.text === 'On it!')).toHaveLength(1);

  // A burst of 100 customer messages stays inside 7 per second in the agent's chat, and every text arrives, in order.
  const start = connector.recorded.length;
  const burst = Array.from({ length: 100 }, (_, i) => `burst ${i}`);
  await Promise.all(
    burst.map((text, i) =>
      h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text, clientMessageId: `burst-${i}` }, chat.token),
    ),
  );
  const relayedTexts = () =>
    connector.recorded
      .slice(start)
      .filter((r) => r.conversationId === `a:${who}`)
      .flatMap((r) => cardTexts(r.activity))
      .filter((t) => burst.includes(t));
  await waitFor('all 100 relayed', () => burst.every((t) => relayedTexts().includes(t)), 30_000);
  const posts = connector.recorded.slice(start).filter((r) => r.conversationId === `a:${who}` && r.method === 'POST');
  for (const p of posts) expect(posts.filter((q) => q.at > p.at - 1000 && q.at <= p.at).length).toBeLessThanOrEqual(7);
  expect(posts.length).toBeLessThan(100); // folded
  const stored = (await h.call('GET', `/api/interact/chats/${chat.chatId}/messages`, undefined, chat.token)).data.messages as {
    text: string;
    seq: number;
  }[];
  const inSeqOrder = stored
    .filter((m) => burst.includes(m.text))
    .sort((a, b) => a.seq - b.seq)
    .map((m) => m.text);
  expect(inSeqOrder).toHaveLength(100);
  expect([...new Set(relayedTexts())]).toEqual(inSeqOrder);
  ws.close();
});

test('a 429 from Teams is retried after Retry-After', async () => {
  const chat = (await h.call('POST', '/api/interact/support/chats', { displayName: 'Rhea', email: 'r@example.com', privacyAccepted: true }))
    .data;
  connector.throttleNext = 1;
  const card = await waitFor(
    'the offer card after the 429',
    () => connector.recorded.find((r) => cardTexts(r.activity).some((t) => t.includes('Customer: Rhea'))),
    10_000,
  );
  expect(card).toBeDefined();
  expect(connector.throttleNext).toBe(0);
  await h.call('POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token);
  // The offer card is updated in place: the customer left.
  await waitFor('the card update', () =>
    connector.recorded.some(
      (r) => r.method === 'PUT' && r.activityId === card.activityId && cardTexts(r.activity).some((t) => t.includes('The customer left')),
    ),
  );
});

test('a 504 from Teams is not resent blindly, and the agent is told in the tab', async () => {
  const bobToken = await h.devToken('bob@contoso.com');
  const aliceToken = await h.devToken('alice@contoso.com');
  // Bob alone is on duty, so he gets the offer.
  await h.call('POST', '/api/agent/me/duty', { onDuty: false }, aliceToken);
  const { openAgentStream } = await import('./harness');
  const stream = openAgentStream(h.url, bobToken);
  await stream.ready;
  const before = sentTo('bob').length;
  connector.failNext.push(504);
  await h.call('POST', '/api/interact/support/chats', { displayName: 'Gina', email: 'g@example.com', privacyAccepted: true });
  await waitFor(
    'the notice in the tab',
    () => stream.events.some((e) => e.data.type === 'notice' && /did not confirm/.test(e.data.text)),
    10_000,
  );
  await new Promise((r) => setTimeout(r, 500));
  // The offer card was not sent a second time.
  expect(
    sentTo('bob')
      .slice(before)
      .filter((r) => cardTexts(r.activity).some((t) => t.includes('Customer: Gina'))),
  ).toHaveLength(0);
  stream.close();
  await h.call('POST', '/api/agent/me/duty', { onDuty: true }, aliceToken);
});

test('the bot answers its own commands (help, sessions) in any spelling Teams sends, and never relays them to the customer', async () => {
  for (const who of ['alice', 'bob'] as const)
    expect((await post(activity(who, { type: 'installationUpdate', action: 'add' }))).status).toBe(200);
  const before = connector.recorded.length;
  const chat = (
    await h.call('POST', '/api/interact/support/chats', {
      displayName: 'Cora',
      email: 'c@example.com',
      privacyAccepted: true,
      message: 'Hi there',
    })
  ).data;
  const offer = await waitFor('an offer card for Cora', () =>
    connector.recorded.slice(before).find((r) => cardTexts(r.activity).some((t) => t.includes('Customer: Cora'))),
  );
  const who = offer.conversationId.slice(2) as 'alice' | 'bob';
  const taskId = offer.activity.attachments[0].content.actions[0].data.taskId;
  expect(
    (
      await post(
        activity(who, {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', verb: 'accept', data: { taskId } }, trigger: 'manual' },
        }),
      )
    ).data.statusCode,
  ).toBe(200);

  const commands = [
    'help',
    'Help',
    '/help',
    ' /HELP ',
    '<at>Stratus</at> help',
    '<at>Stratus</at>&nbsp;/help',
    'sessions',
    '<at>Stratus</at> Sessions',
  ];
  for (const text of commands) {
    const mark = connector.recorded.length;
    expect((await post(activity(who, { type: 'message', text }))).status).toBe(200);
    const isAnswer = (t: string[]) => t[0] === 'Stratus' || /open chats/.test(t[0] ?? '');
    const answer = await waitFor(`the bot's answer to ${JSON.stringify(text)}`, () =>
      connector.recorded.slice(mark).find((r) => r.conversationId === `a:${who}` && r.method === 'POST' && isAnswer(cardTexts(r.activity))),
    );
    const texts = cardTexts(answer.activity).join('\n');
    if (/help/i.test(text)) expect(texts).toMatch(/help: .*\n?.*sessions: /s);
    else expect(texts).toMatch(/Cora #\w+: Support, connected/);
  }
  // A sentence that merely starts with "help" is for the customer.
  expect((await post(activity(who, { type: 'message', text: 'help is on its way' }))).status).toBe(200);
  const history = async () =>
    (await h.call('GET', `/api/interact/chats/${chat.chatId}/messages`, undefined, chat.token)).data.messages as {
      text: string;
      from: string;
    }[];
  await waitFor('the sentence at the customer', async () => (await history()).some((m) => m.text === 'help is on its way'));
  const fromAgent = (await history()).filter((m) => m.from === 'agent').map((m) => m.text);
  expect(fromAgent).toEqual(['help is on its way']);
  await h.call('POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token);
});

test('a queued Teams send whose job was lost (scheduled after commit, then a crash) is found by the sweep and delivered', async () => {
  const db = h.app.store.db;
  const rows = (await db.execute(
    sql`select tenant_id, user_id, task_id, payload from teams_queue where kind = 'relay' and done_at is not null order by id desc limit 1`,
  )) as unknown as { rows: { tenant_id: string; user_id: string; task_id: string; payload: unknown }[] };
  const done = rows.rows[0]!;
  // Quiet for a second: the previous chat's end still queues a notice (the relay is a durable
  // subscriber, a moment after the end), and its job would take this row's place.
  const busy = async () =>
    (
      (await db.execute(
        sql`select 1 from jobs where kind = 'teamsSend' union all select 1 from teams_queue where done_at is null`,
      )) as unknown as { rows: unknown[] }
    ).rows.length > 0;
  let quietSince = Date.now();
  await waitFor('no Teams send for a second', async () => {
    if (await busy()) quietSince = Date.now();
    return Date.now() - quietSince >= 1000;
  });
  const before = connector.recorded.length;
  // What a lost after-commit scheduling leaves behind: a queued relay and no job to drain it.
  await db.execute(
    sql`insert into teams_queue (tenant_id, user_id, kind, task_id, payload, created_at) values (${done.tenant_id}, ${done.user_id}, 'relay', ${done.task_id}, ${JSON.stringify(done.payload)}::jsonb, ${Date.now()})`,
  );
  expect(await scheduleOrphanedSends(h.app.rt)).toBe(1);
  expect(await scheduleOrphanedSends(h.app.rt)).toBe(0); // an agent with a job keeps it
  h.app.rt.wakeScheduler();
  await waitFor('the relay reaches Teams', () => connector.recorded.length > before);
  await waitFor(
    'the row is done',
    async () =>
      ((await db.execute(sql`select 1 from teams_queue where done_at is null`)) as unknown as { rows: unknown[] }).rows.length === 0,
  );
});

test('a 500 from Teams is tried again, and the attempt is counted on the queued row', async () => {
  const aliceToken = await h.devToken('alice@contoso.com');
  // Bob alone is on duty, so he gets the offer.
  await h.call('POST', '/api/agent/me/duty', { onDuty: false }, aliceToken);
  connector.failNext.push(500);
  await h.call('POST', '/api/interact/support/chats', { displayName: 'Iris', email: 'i@example.com', privacyAccepted: true });
  const cards = () => sentTo('bob').filter((r) => cardTexts(r.activity).some((t) => t.includes('Customer: Iris')));
  await waitFor('the offer card after the 500', () => cards().length === 1, 15_000);
  const rows = (await h.app.store.db.execute(
    sql`select attempts, error from teams_queue where payload::text like '%Iris%' and kind = 'offer'`,
  )) as unknown as { rows: { attempts: number; error: string | null }[] };
  expect(rows.rows.map((r) => r.attempts)).toEqual([1]);
  expect(connector.failNext).toEqual([]);
  await h.call('POST', '/api/agent/me/duty', { onDuty: true }, aliceToken);
}, 25_000);

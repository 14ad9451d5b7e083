/**
 * The agent's Teams chat with several sessions, through the real server and CloudAdapter against
 * the Bot Connector stand-in: customer text shown as written (TextRuns, a block per line), one
 * notice per ended session in the right chat, typed replies routed to the session the agent chose
 * (and confirmed), commands answered by the bot and never forwarded, card actions on another
 * agent's session refused, and the customer's typing shown as the bot's typing activity.
 */
import { sql } from 'drizzle-orm';
import { DEMO_ENTRA_TENANT_ID } from '@stratus/shared/tenant/demo';
import { inTx } from '../runtime/uow';
import { SendBudget } from '../teams/budget';
import { sessionEndText, sessionTag } from '../teams/cards';
import { parseCommand } from '../teams/commands';
import { InstalledAgents, queueTeamsSends } from '../teams/relay-queue';
import { TeamsTyping } from '../teams/typing';
import { createLogger } from '../util/log';
import { cardTexts as lines, startConnectorStandIn, type ConnectorStandIn, type Recorded } from './connector-standin';
import { openCustomerSocket, startHarness, waitFor, type Harness } from './harness';

let h: Harness;
let connector: ConnectorStandIn;
const OID = { alice: '00000000-0000-0000-0000-0000000a11ce', bob: '00000000-0000-0000-0000-000000000b0b' };
let seq = 0;
let aliceToken: string;
let bobToken: string;

beforeAll(async () => {
  connector = await startConnectorStandIn();
  h = await startHarness({ env: { INTERACT_RATE_LIMIT_SCALE: '0' } });
  for (const who of ['alice', 'bob'] as const)
    expect((await post(activity(who, { type: 'installationUpdate', action: 'add' }))).status).toBe(200);
  aliceToken = await h.devToken('alice@contoso.com');
  bobToken = await h.devToken('bob@contoso.com');
  // Bob alone is on duty for Support: every chat below is his.
  await h.call('POST', '/api/agent/me/duty', { onDuty: false }, aliceToken);
});
afterAll(async () => {
  await h?.stop();
  await connector?.close();
});

function activity(who: keyof typeof OID, extra: Record<string, unknown>) {
  seq += 1;
  return {
    id: `chat-in-${seq}`,
    channelId: 'msteams',
    serviceUrl: connector.url,
    timestamp: new Date().toISOString(),
    from: { id: `29:${who}`, aadObjectId: OID[who], name: who },
    recipient: { id: '28:stratus-bot', name: 'Stratus' },
    conversation: { id: `a:${who}`, conversationType: 'personal', tenantId: DEMO_ENTRA_TENANT_ID },
    channelData: { tenant: { id: DEMO_ENTRA_TENANT_ID } },
    ...extra,
  };
}

async function post(body: unknown): Promise<{ status: number; data: any }> {
  const r = await fetch(`${h.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, data: text ? JSON.parse(text) : undefined };
}

const invoke = (who: keyof typeof OID, verb: string, data: Record<string, unknown>) =>
  post(
    activity(who, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    }),
  );
const say = async (who: keyof typeof OID, text: string) => expect((await post(activity(who, { type: 'message', text }))).status).toBe(200);

/** Every element of a card of the given type. */
function elements(activity: any, type: string): any[] {
  const out: any[] = [];
  const walk = (x: any) => {
    if (!x || typeof x !== 'object') return;
    if (x.type === type) out.push(x);
    for (const v of Object.values(x)) walk(v);
  };
  walk(activity.attachments);
  return out;
}
const chatOf = (who: string) => connector.recorded.filter((r) => r.conversationId === `a:${who}`);
const since = (mark: number, who: string) => connector.recorded.slice(mark).filter((r) => r.conversationId === `a:${who}`);
const reads = (r: Recorded, text: string) => lines(r.activity).some((l) => l.includes(text));

interface Chat {
  chatId: string;
  token: string;
  taskId: string;
  name: string;
}

/** A customer starts a Support chat; Bob gets the offer card and accepts it there. */
async function chatWithBob(displayName: string, message?: string): Promise<Chat> {
  const mark = connector.recorded.length;
  const started = (
    await h.call('POST', '/api/interact/support/chats', {
      displayName,
      email: 'c@example.com',
      privacyAccepted: true,
      ...(message ? { message } : {}),
    })
  ).data;
  const offer = await waitFor(`the offer for ${displayName}`, () =>
    since(mark, 'bob').find((r) => JSON.stringify(r.activity).includes('"verb":"accept"')),
  );
  const taskId = offer.activity.attachments[0].content.actions[0].data.taskId as string;
  expect((await invoke('bob', 'accept', { taskId })).data.statusCode).toBe(200);
  return { ...started, taskId, name: displayName };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const history = async (c: Chat) =>
  (await h.call('GET', `/api/interact/chats/${c.chatId}/messages`, undefined, c.token)).data.messages as { text: string; from: string }[];
const agentLines = async (c: Chat) => (await history(c)).filter((m) => m.from === 'agent').map((m) => m.text);
const customerSays = (c: Chat, text: string, id: string) =>
  h.call('POST', `/api/interact/chats/${c.chatId}/messages`, { text, clientMessageId: id }, c.token);

test('customer text reaches Teams as written: TextRuns that are never markdown, no backslashes, a block per line, hostile text inert', async () => {
  const raw = '*not bold* [x](http://evil)';
  const chat = await chatWithBob(raw, `first\n${raw}\nthird`);
  const offer = chatOf('bob').find((r) => JSON.stringify(r.activity).includes(chat.taskId) && r.method === 'POST')!;
  // The name and the first message, verbatim in TextRuns; no TextBlock or FactSet carries them.
  const runs = elements(offer.activity, 'TextRun').map((r) => r.text);
  expect(runs).toContain(raw);
  expect(lines(offer.activity)).toEqual(expect.arrayContaining([`Customer: ${raw}`, 'first', raw, 'third']));
  expect(elements(offer.activity, 'TextBlock').some((b) => b.text.includes('not bold'))).toBe(false);
  expect(elements(offer.activity, 'FactSet')).toEqual([]);

  const mark = connector.recorded.length;
  await customerSays(chat, raw, 'md-1');
  const relayOf = (r: Recorded) => r.method === 'POST' && lines(r.activity)[0] === `${chat.name} ${sessionTag(chat.taskId)}`;
  const one = await waitFor('the relayed markdown', () => since(mark, 'bob').find((r) => relayOf(r) && reads(r, 'not bold')));
  expect(elements(one.activity, 'TextRun').map((r) => r.text)).toEqual([raw, ` ${sessionTag(chat.taskId)}`, raw]);
  expect(lines(one.activity).join('\n')).not.toContain('\\');

  // Three lines stay three lines, a blank line between paragraphs stays one.
  await customerSays(chat, 'line one\nline two\r\n\n\n\nline three', 'md-2');
  const three = await waitFor('the relayed lines', () => since(mark, 'bob').find((r) => reads(r, 'line one')));
  expect(lines(three.activity).slice(1)).toEqual(['line one', 'line two', '\u00a0', 'line three']);

  // 4,000 characters of markdown, HTML and mentions: inert text in runs, a card of sane size, no mention entities.
  const hostile = '<at>Bob Berg</at> <b>x</b> **y** # h\n'.repeat(200).slice(0, 4000);
  await customerSays(chat, hostile, 'md-3');
  const big = await waitFor('the hostile message', () => since(mark, 'bob').find((r) => reads(r, '<at>Bob Berg</at> <b>x</b> **y** # h')));
  expect(JSON.stringify(big.activity).length).toBeLessThan(28_000);
  expect(big.activity.entities ?? []).not.toEqual(expect.arrayContaining([expect.objectContaining({ type: 'mention' })]));
  expect(elements(big.activity, 'TextBlock')).toEqual([]);
  expect(
    elements(big.activity, 'TextRun')
      .map((r) => r.text)
      .join('\n'),
  ).toContain(hostile.split('\n').slice(0, 39).join('\n'));
  await h.call('POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token);
});

test("a two-session agent's typing goes to the session they chose, confirmed; commands are answered and never reach a customer", async () => {
  const jane = await chatWithBob('Jane Doe');
  const joe = await chatWithBob('Joe Roe');
  const tag = (c: Chat) => sessionTag(c.taskId);

  // Accepting Joe last made him current: plain typing goes there, and the bot says so.
  await pause(1100);
  let mark = connector.recorded.length;
  await say('bob', 'Hello Joe');
  await waitFor('the confirmation', () => since(mark, 'bob').some((r) => lines(r.activity).includes(`Sent to Joe Roe ${tag(joe)}`)));
  expect(await agentLines(joe)).toEqual(['Hello Joe']);

  // Answering from Jane's card makes Jane current.
  mark = connector.recorded.length;
  await customerSays(jane, 'Are you there?', 'jane-1');
  const janeCard = await waitFor("Jane's relay card", () => since(mark, 'bob').find((r) => reads(r, 'Are you there?')));
  expect(janeCard.activity.attachments[0].content.actions[0]).toMatchObject({ verb: 'reply', data: { taskId: jane.taskId } });
  expect((await invoke('bob', 'reply', { taskId: jane.taskId, reply: 'Yes, Jane' })).data.statusCode).toBe(200);
  // A second later, as people type: the confirmation is optional and waits for nothing, so it needs room in the chat's budget.
  await pause(1100);
  mark = connector.recorded.length;
  await say('bob', 'One moment please');
  await waitFor('the confirmation for Jane', () =>
    since(mark, 'bob').some((r) => lines(r.activity).includes(`Sent to Jane Doe ${tag(jane)}`)),
  );
  expect(await agentLines(jane)).toEqual(['Yes, Jane', 'One moment please']);

  // switch #tag moves it back; an unknown tag is answered with the tags there are.
  mark = connector.recorded.length;
  await say('bob', `switch ${tag(joe).toUpperCase()}`);
  await waitFor('the switch answer', () =>
    since(mark, 'bob').some((r) => lines(r.activity).includes(`What you type now goes to Joe Roe ${tag(joe)}`)),
  );
  mark = connector.recorded.length;
  await say('bob', '<at>Stratus</at> switch #zzzzz');
  const unknown = await waitFor('the unknown-tag answer', () => since(mark, 'bob').find((r) => reads(r, '#zzzzz')));
  expect(lines(unknown.activity)).toEqual([
    'None of your open chats has the tag #zzzzz. Your open chats:',
    `• Joe Roe ${tag(joe)}`,
    `• Jane Doe ${tag(jane)}`,
  ]);
  for (const text of ['help', 'sessions', '/switch', 'switch #zzzzz']) await say('bob', text);
  // A sentence that merely starts like a command is for the customer.
  await say('bob', 'end of story');
  await waitFor('the sentence at Joe', async () => (await agentLines(joe)).includes('end of story'));

  // end: ends the current chat (Joe), the bot names where typing goes now; Jane's chat is untouched.
  mark = connector.recorded.length;
  await say('bob', 'END');
  await waitFor('the notice of the end', () =>
    since(mark, 'bob').some((r) => lines(r.activity).includes(`Joe Roe ${tag(joe)}: chat ended by you.`)),
  );
  await waitFor('the next chat named', () =>
    since(mark, 'bob').some((r) => lines(r.activity).includes(`What you type now goes to Jane Doe ${tag(jane)}`)),
  );
  expect((await h.call('GET', `/api/interact/chats/${joe.chatId}`, undefined, joe.token)).data.state).toBe('ended');
  await say('bob', 'Back to you, Jane');
  await waitFor('the line at Jane', async () => (await agentLines(jane)).includes('Back to you, Jane'));
  // With one open chat, no confirmation.
  await new Promise((r) => setTimeout(r, 300));
  expect(since(mark, 'bob').some((r) => reads(r, 'Sent to'))).toBe(false);

  // No command ever reached a customer.
  expect(await agentLines(joe)).toEqual(['Hello Joe', 'end of story']);
  expect(await agentLines(jane)).toEqual(['Yes, Jane', 'One moment please', 'Back to you, Jane']);

  // Card actions on Bob's session from Alice's chat are refused; nothing reaches Jane, her chat stays open.
  for (const [verb, data] of [
    ['reply', { taskId: jane.taskId, reply: 'I am not Bob' }],
    ['end', { taskId: jane.taskId }],
    ['transfer', { taskId: jane.taskId, serviceId: 'sales' }],
    ['accept', { taskId: jane.taskId }],
  ] as const) {
    const r = await invoke('alice', verb, data);
    expect([verb, r.data.type, r.data.value]).toEqual([
      verb,
      'application/vnd.microsoft.activity.message',
      expect.stringMatching(/not yours|not offered to you|already accepted/i),
    ]);
  }
  expect(await agentLines(jane)).toEqual(['Yes, Jane', 'One moment please', 'Back to you, Jane']);
  const bobs = (await h.call('GET', '/api/agent/sessions', undefined, bobToken)).data.sessions;
  expect(bobs.find((s: any) => s.id === jane.taskId).state).toBe('connected');

  // The customer leaves: one notice in Bob's chat, none in Alice's.
  mark = connector.recorded.length;
  await h.call('POST', `/api/interact/chats/${jane.chatId}/end`, {}, jane.token);
  await waitFor("Jane's leaving", () => since(mark, 'bob').some((r) => reads(r, 'the customer left the chat.')));
  await new Promise((r) => setTimeout(r, 500));
  expect(since(mark, 'bob').filter((r) => lines(r.activity).includes(`Jane Doe ${tag(jane)}: the customer left the chat.`))).toHaveLength(
    1,
  );
  expect(since(mark, 'alice')).toEqual([]);
  const left = (await h.call('GET', '/api/agent/sessions', undefined, bobToken)).data.sessions.find((s: any) => s.id === jane.taskId);
  expect(left).toMatchObject({ state: 'ended', endedBy: 'customer' });
  // With no open chat, `end` says so.
  mark = connector.recorded.length;
  await say('bob', 'end');
  await waitFor('the answer to end', () => since(mark, 'bob').some((r) => r.activity.text === 'You have no open chat to end.'));
}, 60_000);

test('a transfer is told once in the chat, naming the service; the same ended session seen again adds no notice', async () => {
  const kim = await chatWithBob('Kim');
  const mark = connector.recorded.length;
  const r = await invoke('bob', 'transfer', { taskId: kim.taskId, serviceId: 'sales' });
  expect(r.data.value).toBe('The chat was transferred.');
  await waitFor('the transfer notice', () =>
    since(mark, 'bob').some((x) => lines(x.activity).includes(`Kim ${sessionTag(kim.taskId)}: transferred to Sales.`)),
  );

  // What the durable relay does when it meets the ended session again (a later session event, a re-run): nothing new.
  const session = (await h.call('GET', '/api/agent/sessions', undefined, bobToken)).data.sessions.find((s: any) => s.id === kim.taskId);
  // The tab says where it went.
  expect(session).toMatchObject({
    state: 'ended',
    outcome: 'transferred',
    endedBy: 'agent',
    transferredTo: { serviceId: 'sales', serviceName: 'Sales' },
  });
  const event = { type: 'session' as const, tenantId: 'contoso', userId: 'bob', payload: { session }, id: 0, createdAt: Date.now() };
  const installed = new InstalledAgents();
  for (let i = 0; i < 2; i++) await inTx(h.app.rt, (u) => queueTeamsSends(installed, u, [event, event]));
  const rows = (await h.app.store.db.execute(
    sql`select payload from teams_queue where task_id = ${kim.taskId} and kind = 'sessionEnd'`,
  )) as unknown as { rows: { payload: any }[] };
  expect(rows.rows).toHaveLength(1);
  expect(rows.rows[0]!.payload.end).toEqual({ by: 'agent', outcome: 'transferred', transferredTo: 'Sales' });
  await new Promise((r) => setTimeout(r, 300));
  expect(since(mark, 'bob').filter((x) => reads(x, 'transferred to Sales'))).toHaveLength(1);
});

test("the customer's typing shows as the bot's typing in the agent's chat, at most once per session in 5 s, never queued", async () => {
  const lia = await chatWithBob('Lia');
  // Let the offer, accept and join message settle so the chat's queue is empty.
  await waitFor(
    'an empty queue',
    async () =>
      ((await h.app.store.db.execute(sql`select 1 from teams_queue where done_at is null`)) as unknown as { rows: unknown[] }).rows
        .length === 0,
  );
  await new Promise((r) => setTimeout(r, 1100));
  const mark = connector.recorded.length;
  const typed = () => since(mark, 'bob').filter((r) => r.activity.type === 'typing');
  expect((await h.call('POST', `/api/interact/chats/${lia.chatId}/typing`, {}, lia.token)).status).toBe(202);
  await waitFor('the typing activity', () => typed().length === 1);
  for (let i = 0; i < 3; i++) await h.call('POST', `/api/interact/chats/${lia.chatId}/typing`, {}, lia.token);
  await new Promise((r) => setTimeout(r, 800));
  expect(typed()).toHaveLength(1);
  expect(since(mark, 'alice')).toEqual([]);
  const queued = (await h.app.store.db.execute(sql`select 1 from teams_queue where kind = 'typing'`)) as unknown as { rows: unknown[] };
  expect(queued.rows).toEqual([]);
  await h.call('POST', `/api/interact/chats/${lia.chatId}/end`, {}, lia.token);
});

test('typing is skipped, never queued, when the chat budget would leave no room for a real message', () => {
  const sent: unknown[] = [];
  const port = {
    send: async () => undefined,
    update: async () => undefined,
    typing: async (ref: Record<string, unknown>) => void sent.push(ref),
  };
  const budget = new SendBudget(1);
  const typing = new TeamsTyping(port, budget, createLogger('error'));
  const now = 1_000_000;
  for (let i = 0; i < 6; i++) budget.record('t', 't/u', now);
  expect(typing.hasRoom('t', 't/u', now)).toBe(false);
  typing.send('t', 't/u', 't/s1', { id: 1 }, now);
  expect(sent).toEqual([]);
  expect(typing.due('t/s1', now)).toBe(true);
  // A second later there is room again: one goes out, the next within 5 s does not.
  typing.send('t', 't/u', 't/s1', { id: 2 }, now + 1000);
  typing.send('t', 't/u', 't/s1', { id: 3 }, now + 2000);
  typing.send('t', 't/u', 't/s1', { id: 4 }, now + 6000);
  expect(sent).toEqual([{ id: 2 }, { id: 4 }]);
});

test('commands match the whole message only; notices say who ended the chat', () => {
  expect(['help', ' /Sessions ', '<at>Stratus</at>&nbsp;end', 'switch #AB12C', 'switch'].map(parseCommand)).toEqual([
    { kind: 'help' },
    { kind: 'sessions' },
    { kind: 'end' },
    { kind: 'switch', tag: 'ab12c' },
    { kind: 'switch' },
  ]);
  for (const text of ['end of story', 'the end', 'switch it off', 'switch #a b', 'help me', 'sessions?'])
    expect(parseCommand(text)).toBeUndefined();
  expect(
    [
      { by: 'customer' as const, outcome: 'handled' },
      { by: 'agent' as const, outcome: 'handled' },
      { by: 'system' as const, outcome: 'inactive' },
      { by: 'system' as const, outcome: 'failed' },
      { by: 'workflow' as const, outcome: 'handled' },
      { by: 'agent' as const, outcome: 'transferred', transferredTo: 'Sales' },
      { by: 'supervisor' as const, outcome: 'transferred', supervisor: { displayName: 'Alice\nAnders', action: 'takeover' as const } },
      { by: 'supervisor' as const, outcome: 'transferred', supervisor: { displayName: 'Alice Anders', action: 'reassign' as const } },
      { by: 'supervisor' as const, outcome: 'handled', supervisor: { displayName: 'Alice Anders', action: 'end' as const } },
      {},
    ].map(sessionEndText),
  ).toEqual([
    'the customer left the chat.',
    'chat ended by you.',
    'chat closed by the system: the customer was inactive.',
    'chat closed by the system.',
    'chat ended by the workflow.',
    'transferred to Sales.',
    'taken over by Alice Anders (supervisor).',
    'reassigned to another agent by Alice Anders (supervisor).',
    'chat ended by Alice Anders (supervisor).',
    'the chat has ended.',
  ]);
});

test("the agent's typing in Teams reaches the customer of the chat their typing goes to, at most every 2 s", async () => {
  const una = await chatWithBob('Una');
  const vic = await chatWithBob('Vic');
  const unaLive = await openCustomerSocket(h.url, una.chatId, una.token);
  const vicLive = await openCustomerSocket(h.url, vic.chatId, vic.token);
  // Vic's chat was accepted last: Bob's typing goes there.
  for (let i = 0; i < 3; i++) expect((await post(activity('bob', { type: 'typing' }))).status).toBe(200);
  await waitFor("Vic hears Bob's typing", () => vicLive.frames.some((f) => f.type === 'typing'));
  await new Promise((r) => setTimeout(r, 300));
  expect(vicLive.frames.filter((f) => f.type === 'typing')).toEqual([{ type: 'typing', agentName: 'Bob Berg' }]);
  expect(unaLive.frames.filter((f) => f.type === 'typing')).toEqual([]);
  // Alice has no chat: her typing goes nowhere and fails nothing.
  expect((await post(activity('alice', { type: 'typing' }))).status).toBe(200);
  unaLive.ws.close();
  vicLive.ws.close();
});

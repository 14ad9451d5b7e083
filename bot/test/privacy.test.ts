/**
 * Customer data (issue 15), through the real app with a Teams agent against the Bot Connector
 * stand-in: an erasure by email leaves nothing of that customer in any table and removes exactly
 * the bot's activities that carried them from the agent's Teams chat (replacing one Teams refuses
 * to delete), while another customer's chat goes on untouched; an erasure by phone finds WhatsApp
 * threads; only tenant admins may ask, and bad input is refused. Retention deletes messages older
 * than the tenant's setting, with their Teams copies, and keeps newer ones.
 */
import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { DEMO_ENTRA_TENANT_ID, demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import * as schema from '../store/schema';
import { cardTexts, startConnectorStandIn, type ConnectorStandIn, type Recorded } from './connector-standin';
import { openCustomerSocket, startHarness, waitFor, type Harness } from './harness';

function tenant(): TenantConfig {
  const t = demoTenant();
  return {
    ...t,
    users: [
      ...t.users,
      { id: 'dave', upn: 'dave@contoso.com', displayName: 'Dave Dunn', licenses: ['im'], presence: 'online', onDuty: false },
    ],
    // Dave supervises Support without being a tenant admin; Alice is the admin.
    services: t.services.map((s) => (s.id === 'support' ? { ...s, supervisors: ['alice', 'dave'] } : s)),
  };
}

let h: Harness;
let connector: ConnectorStandIn;
let alice: string;
let bob: string;
let dave: string;
let seq = 0;

beforeAll(async () => {
  connector = await startConnectorStandIn();
  h = await startHarness({ tenants: [tenant()], env: { INTERACT_RATE_LIMIT_SCALE: '0' } });
  expect((await post({ type: 'installationUpdate', action: 'add' })).status).toBe(200);
  alice = await h.devToken('alice@contoso.com');
  bob = await h.devToken('bob@contoso.com');
  dave = await h.devToken('dave@contoso.com');
  // Bob alone takes Support's chats, in Teams.
  await h.call('POST', '/api/agent/me/duty', { onDuty: false }, alice);
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await connector?.close();
});

/** An activity from Bob's Teams client to the bot. */
async function post(extra: Record<string, unknown>): Promise<{ status: number; data: any }> {
  seq += 1;
  const body = {
    id: `privacy-in-${seq}`,
    channelId: 'msteams',
    serviceUrl: connector.url,
    timestamp: new Date().toISOString(),
    from: { id: '29:bob', aadObjectId: '00000000-0000-0000-0000-000000000b0b', name: 'bob' },
    recipient: { id: '28:stratus-bot', name: 'Stratus' },
    conversation: { id: 'a:bob', conversationType: 'personal', tenantId: DEMO_ENTRA_TENANT_ID },
    channelData: { tenant: { id: DEMO_ENTRA_TENANT_ID } },
    ...extra,
  };
  const r = await fetch(`${h.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, data: text ? JSON.parse(text) : undefined };
}

interface Chat {
  chatId: string;
  token: string;
  taskId: string;
}

const bobsChat = () => connector.recorded.filter((r) => r.conversationId === 'a:bob');
const posts = () => bobsChat().filter((r) => r.method === 'POST');
const says = (r: Recorded, text: string) => JSON.stringify(cardTexts(r.activity)).toLowerCase().includes(text.toLowerCase());

/** A customer starts a Support chat with a first message; Bob accepts the offer card in Teams. */
async function chat(displayName: string, email: string, message: string): Promise<Chat> {
  const mark = connector.recorded.length;
  const r = await h.call('POST', '/api/interact/support/chats', { displayName, email, privacyAccepted: true, message });
  expect(r.status).toBe(201);
  const offer = await waitFor(`the offer for ${displayName}`, () =>
    connector.recorded.slice(mark).find((x) => x.method === 'POST' && JSON.stringify(x.activity).includes('"verb":"accept"')),
  );
  const taskId = offer.activity.attachments[0].content.actions[0].data.taskId as string;
  expect(
    (
      await post({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'accept', data: { taskId } } },
      })
    ).data.statusCode,
  ).toBe(200);
  return { chatId: r.data.chatId, token: r.data.token, taskId };
}

async function customerSays(c: Chat, text: string): Promise<void> {
  expect((await h.call('POST', `/api/interact/chats/${c.chatId}/messages`, { text, clientMessageId: `m-${++seq}` }, c.token)).status).toBe(
    201,
  );
}
async function bobSays(c: Chat, text: string): Promise<void> {
  expect((await h.call('POST', `/api/agent/sessions/${c.taskId}/messages`, { text }, bob)).status).toBe(201);
}
const relayed = (text: string) => waitFor(`"${text}" in Bob's Teams chat`, () => posts().find((r) => says(r, text)));

/** Every row of every table of the schema, as text (lower case). */
async function dumpAll(): Promise<string> {
  const tables = Object.values(schema as Record<string, unknown>).filter((t): t is PgTable => is(t, PgTable));
  expect(tables.length).toBeGreaterThanOrEqual(18);
  let out = '';
  for (const t of tables) {
    const res = (await h.app.store.db.execute(sql.raw(`select * from "${getTableName(t)}"`))) as unknown as { rows: unknown[] };
    out += `${getTableName(t)}: ${JSON.stringify(res.rows)}\n`;
  }
  return out.toLowerCase();
}

const rows = async <T = any>(q: ReturnType<typeof sql>): Promise<T[]> =>
  ((await h.app.store.db.execute(q)) as unknown as { rows: T[] }).rows;

test('an erasure by email removes the customer from every table and their copies from Teams; another customer is untouched', async () => {
  // Anna's first chat: both sides, then she leaves (Bob's Teams chat gets the end notice naming her).
  const a1 = await chat('Anna Annerl', 'anna@example.com', 'kiwi-first-4711');
  await customerSays(a1, 'kiwi-second-4712');
  await bobSays(a1, 'mango-answer-for-anna');
  await relayed('kiwi-second-4712');
  expect((await h.call('POST', `/api/interact/chats/${a1.chatId}/end`, {}, a1.token)).status).toBeLessThan(300);
  await waitFor('the end notice', () => posts().find((r) => says(r, 'Anna Annerl') && says(r, 'left the chat')));
  // Her second chat (the same address written otherwise) is open when the erasure comes; Ben chats meanwhile.
  const a2 = await chat('Anna A.', 'Anna@Example.COM', 'kiwi-third-4713');
  await customerSays(a2, 'kiwi-fourth-4714');
  const ben = await chat('Ben Brunner', 'ben@example.com', 'pear-ben-keeps-this');
  await customerSays(ben, 'pear-ben-second');
  await relayed('kiwi-fourth-4714');
  await relayed('pear-ben-second');
  const annaSocket = await openCustomerSocket(h.url, a2.chatId, a2.token);

  // The activities that carried Anna (her name, email or text), as Teams has them now.
  const markers = ['anna annerl', 'anna a.', 'anna@example.com', 'kiwi-'];
  const carriedAnna = new Set(
    posts()
      .filter((r) => markers.some((m) => says(r, m)))
      .map((r) => r.activityId!),
  );
  expect(carriedAnna.size).toBeGreaterThanOrEqual(5); // two offers (with the first messages), two relays, one end notice
  const benCopies = posts().filter((r) => says(r, 'Ben Brunner') || says(r, 'pear-'));
  const mark = connector.recorded.length;
  connector.refuseDeletes = 1;

  const r = await h.call('POST', '/api/admin/privacy/erasure', { email: '  ANNA@example.com ' }, alice);
  expect(r.status).toBe(200);
  expect(r.headers.get('cache-control')).toBe('no-store');
  expect(r.data.endedChats).toBe(1);
  // Every copy Teams had, and any the end of her open chat put there before the erasure ran (its card).
  expect(r.data.removed).toMatchObject({ conversations: 2, tasks: 2 });
  expect(r.data.removed.teamsCopies).toBeGreaterThanOrEqual(carriedAnna.size);
  expect(r.data.removed.messages).toBeGreaterThanOrEqual(5);

  // Her open page is told the chat ended; Bob's Teams chat loses exactly her copies (one replaced: Teams refused its delete).
  await waitFor('the ended state on her page', () => annaSocket.frames.find((f) => f.type === 'state' && f.state === 'ended'));
  annaSocket.ws.close();
  // Every activity that ever carried her: those seen before, and any the end of her open chat put
  // there meanwhile (one in flight while the erasure ran is deleted as soon as it lands).
  const carriedAnnaNow = () =>
    new Set(
      posts()
        .filter((x) => markers.some((m) => says(x, m)))
        .map((x) => x.activityId!),
    );
  const removals = await waitFor('every copy removed', () => {
    const after = bobsChat().slice(mark);
    const deletes = new Set(after.filter((x) => x.method === 'DELETE').map((x) => x.activityId));
    const all = [...carriedAnnaNow()];
    return all.every((id) => deletes.has(id)) && deletes.size >= r.data.removed.teamsCopies && after.some((x) => x.method === 'PUT')
      ? after
      : undefined;
  });
  const deleted = removals.filter((x) => x.method === 'DELETE');
  for (const id of carriedAnna) expect(carriedAnnaNow()).toContain(id);
  expect(new Set(deleted.map((x) => x.activityId))).toEqual(carriedAnnaNow());
  expect(deleted).toHaveLength(carriedAnnaNow().size);
  const refused = deleted.find((x) => x.refused)!;
  const replaced = removals.filter((x) => x.method === 'PUT');
  expect(replaced.map((x) => x.activityId)).toEqual([refused.activityId]);
  expect(cardTexts(replaced[0]!.activity)).toEqual(["Removed at the customer's request"]);
  for (const c of benCopies) expect(deleted.map((x) => x.activityId)).not.toContain(c.activityId);
  // Bob is told why a chat vanished, without a name.
  await waitFor('the erasure notice in Teams', () =>
    bobsChat()
      .slice(mark)
      .find((x) => x.method === 'POST' && says(x, 'asked for their data to be erased')),
  );
  // And none that landed later is left either.
  await waitFor('no copy of her left in Teams', () => {
    const deletes = new Set(
      bobsChat()
        .slice(mark)
        .filter((x) => x.method === 'DELETE')
        .map((x) => x.activityId),
    );
    return [...carriedAnnaNow()].every((id) => deletes.has(id)) || undefined;
  });

  const dump = await dumpAll();
  for (const gone of ['anna@example.com', 'anna annerl', 'anna a.', 'kiwi-', 'mango-answer-for-anna']) expect(dump).not.toContain(gone);
  // Ben's chat goes on, whole.
  for (const kept of ['ben@example.com', 'ben brunner', 'pear-ben-keeps-this', 'pear-ben-second']) expect(dump).toContain(kept);
  await customerSays(ben, 'pear-ben-third');
  await relayed('pear-ben-third');
  const history = await h.call('GET', `/api/interact/chats/${ben.chatId}/messages`, undefined, ben.token);
  expect(history.data.messages.map((m: any) => m.text)).toEqual(
    expect.arrayContaining(['pear-ben-keeps-this', 'pear-ben-second', 'pear-ben-third']),
  );
  // Her token opens nothing any more.
  expect((await h.call('GET', `/api/interact/chats/${a1.chatId}/messages`, undefined, a1.token)).status).toBeGreaterThanOrEqual(400);

  // Audited with counts, without the address; asked again, nothing is left to remove.
  const audit = (await h.call('GET', '/api/admin/audit', undefined, alice)).data;
  const entry = JSON.stringify(audit).toLowerCase();
  expect(entry).toContain('privacy.erasure');
  expect(entry).not.toContain('anna');
  const again = await h.call('POST', '/api/admin/privacy/erasure', { email: 'anna@example.com' }, alice);
  expect(again.status).toBe(200);
  expect(again.data.removed).toEqual({
    conversations: 0,
    messages: 0,
    tasks: 0,
    events: 0,
    jobs: 0,
    reportingSessions: 0,
    teamsCopies: 0,
    teamsUnsent: 0,
  });
  await h.call('POST', `/api/agent/sessions/${ben.taskId}/end`, {}, bob);
}, 60_000);

test('an erasure by phone finds WhatsApp and SMS threads however the number is written', async () => {
  const now = Date.now();
  for (const [id, channel, address] of [
    ['chat_wa_privacy', 'whatsapp', 'whatsapp:+41791234567'],
    ['chat_sms_privacy', 'sms', '+41791234567'],
  ] as const) {
    await h.app.store.db.execute(sql`
      insert into conversations (id, tenant_id, channel, entry, address, customer, open, last_seq, created_at, ended_at)
      values (${id}, 'contoso', ${channel}, 'whatsapp:+15550100', ${address},
        ${JSON.stringify({ displayName: 'Walter Wa', phone: '+41791234567' })}::jsonb, false, 1, ${now}, ${now})`);
    await h.app.store.db.execute(sql`
      insert into messages (id, tenant_id, conversation_id, seq, "from", text, author, created_at)
      values (${`msg_${id}`}, 'contoso', ${id}, 1, 'customer', 'plum-walter-text', 'Walter Wa', ${now})`);
  }
  const r = await h.call('POST', '/api/admin/privacy/erasure', { phone: '0041 79 123 45 67' }, alice);
  expect(r.status).toBe(200);
  expect(r.data.removed).toMatchObject({ conversations: 2, messages: 2 });
  const dump = await dumpAll();
  for (const gone of ['walter', '+41791234567', 'plum-walter-text']) expect(dump).not.toContain(gone);
  const w = await h.call('POST', '/api/admin/privacy/erasure', { phone: 'whatsapp:+41791234567' }, alice);
  expect(w.data.removed.conversations).toBe(0);
});

test('a direct chat (no workflow) is erased like any other', async () => {
  const started = await h.call('POST', '/api/interact/bob/chats', {
    displayName: 'Dora Direct',
    email: 'dora@example.com',
    privacyAccepted: true,
    message: 'quince-dora-text',
  });
  expect(started.status).toBe(201);
  const r = await h.call('POST', '/api/admin/privacy/erasure', { email: 'dora@example.com' }, alice);
  expect(r.status).toBe(200);
  expect(r.data.removed).toMatchObject({ conversations: 1, tasks: 1 });
  const dump = await dumpAll();
  for (const gone of ['Dora Direct', 'dora@example.com', 'quince-dora-text']) expect(dump).not.toContain(gone);
});

test('only tenant admins may ask for an erasure; bad input is a 400 with a JSON error', async () => {
  const url = '/api/admin/privacy/erasure';
  expect((await h.call('POST', url, { email: 'x@example.com' })).status).toBe(401);
  expect((await h.call('POST', url, { email: 'x@example.com' }, 'not-a-token')).status).toBe(401);
  for (const token of [dave, bob]) {
    const r = await h.call('POST', url, { email: 'x@example.com' }, token);
    expect(r.status).toBe(403);
    expect(r.data.error.code).toBe('forbidden');
    // The body's checks come after: a non-admin learns nothing from them.
    expect((await h.call('POST', url, { email: ['x'] }, token)).status).toBe(403);
  }
  const bad: unknown[] = [
    {},
    { email: 'x@example.com', phone: '+41791234567' },
    { email: 'x'.repeat(10_000) },
    { phone: '+41'.repeat(5000) },
    { email: ['x@example.com'] },
    { email: 'not-an-email' },
    { phone: 'call me' },
    { phone: '+0123' },
    { email: 'x@example.com', extra: 1 },
    [1, 2],
    'not json',
  ];
  for (const body of bad) {
    const r = await h.call('POST', url, body, alice);
    expect([r.status, body]).toEqual([400, body]);
    expect(r.data.error.code).toMatch(/^invalid_/);
  }
  const none = await h.call('POST', url, { email: 'nobody@example.com' }, alice);
  expect(none.status).toBe(200);
  expect(none.data.removed.conversations).toBe(0);
});

test('retention deletes messages older than the setting with their Teams copies, keeps newer ones, and follows the configuration', async () => {
  // Dora's chat ended long ago: once its every message is gone, so is she.
  const dora = await chat('Dora Dietz', 'dora@example.com', 'lime-dora-old');
  expect((await h.call('POST', `/api/interact/chats/${dora.chatId}/end`, {}, dora.token)).status).toBeLessThan(300);
  await waitFor('the end notice', () => posts().find((r) => says(r, 'Dora Dietz') && says(r, 'left the chat')));
  const doraCopies = posts()
    .filter((r) => says(r, 'Dora Dietz') || says(r, 'lime-'))
    .map((r) => r.activityId!);
  await h.app.store.db.execute(sql`
    update messages set created_at = ${Date.now() - 50 * 86_400_000}
    where conversation_id = (select conversation_id from tasks where id = ${dora.taskId})`);
  await h.app.store.db.execute(sql`
    update conversations set created_at = ${Date.now() - 50 * 86_400_000} where id = (select conversation_id from tasks where id = ${dora.taskId})`);
  const c = await chat('Carl Cohn', 'carl@example.com', 'fig-old-one');
  await customerSays(c, 'fig-old-two');
  await relayed('fig-old-two');
  await customerSays(c, 'fig-new-three');
  await relayed('fig-new-three');
  const conv = (await rows<{ conversation_id: string }>(sql`select conversation_id from tasks where id = ${c.taskId}`))[0]!.conversation_id;
  // The first two messages (and what was made of them: events, Teams rows, the offer) are 40 days old.
  const old = Date.now() - 40 * 86_400_000;
  const oldIds = (
    await rows<{ id: string }>(sql`select id from messages where conversation_id = ${conv} and text in ('fig-old-one', 'fig-old-two')`)
  ).map((m) => m.id);
  expect(oldIds).toHaveLength(2);
  await h.app.store.db.execute(sql`update conversations set created_at = ${old} where id = ${conv}`);
  await h.app.store.db.execute(
    sql`update messages set created_at = ${old} where id in (${sql.join(
      oldIds.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
  await h.app.store.db.execute(
    sql`update events set created_at = ${old} where payload->'message'->>'id' in (${sql.join(
      oldIds.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
  const oldRows = await rows<{ activity_id: string }>(sql`
    update teams_queue set created_at = ${old}
    where task_id = ${c.taskId} and (kind = 'offer' or payload->'message'->>'id' in (${sql.join(
      oldIds.map((i) => sql`${i}`),
      sql`, `,
    )}))
    returning activity_id`);
  const oldCopies = new Set(oldRows.map((x) => x.activity_id));
  expect(oldCopies.size).toBeGreaterThanOrEqual(2);
  expect(oldCopies.has(null as never)).toBe(false);
  const newCopy = posts().find((r) => says(r, 'fig-new-three'))!.activityId;
  expect(await rows(sql`select id from jobs where kind = 'retention'`)).toEqual([]);

  // An admin sets 30 days: the job is scheduled and runs at once.
  const cur = await h.call('GET', '/api/admin/config', undefined, alice);
  const mark = connector.recorded.length;
  const put = await h.call('PUT', '/api/admin/config', { ...cur.data, retention: { messagesDays: 30 } }, alice, {
    'if-match': cur.headers.get('etag')!,
  });
  expect(put.status).toBe(200);
  await waitFor(
    'the old messages gone',
    async () =>
      (
        await rows(
          sql`select id from messages where id in (${sql.join(
            oldIds.map((i) => sql`${i}`),
            sql`, `,
          )})`,
        )
      ).length === 0,
    15_000,
  );
  const left = await h.call('GET', `/api/interact/chats/${c.chatId}/messages`, undefined, c.token);
  const texts = left.data.messages.map((m: any) => m.text);
  expect(texts).toContain('fig-new-three');
  expect(texts.filter((t: string) => t.startsWith('fig-old'))).toEqual([]);
  const deletes = await waitFor('the old copies deleted', () => {
    const d = bobsChat()
      .slice(mark)
      .filter((x) => x.method === 'DELETE');
    return d.length >= oldCopies.size + doraCopies.length ? d : undefined;
  });
  expect(new Set(deletes.map((x) => x.activityId))).toEqual(new Set([...oldCopies, ...doraCopies]));
  expect(deletes.map((x) => x.activityId)).not.toContain(newCopy);
  expect(
    await rows(
      sql`select id from events where payload->'message'->>'id' in (${sql.join(
        oldIds.map((i) => sql`${i}`),
        sql`, `,
      )})`,
    ),
  ).toEqual([]);
  // Carl's chat is open: he stays until it ends; Dora is gone; the next run is a day later.
  const dump = await dumpAll();
  expect(dump).toContain('carl@example.com');
  for (const gone of ['dora', 'lime-']) expect(dump).not.toContain(gone);
  const job = await waitFor('the next run scheduled', async () => {
    const [j] = await rows<{ due_at: string }>(sql`select due_at from jobs where kind = 'retention' and ref = 'contoso'`);
    return j && Number(j.due_at) > Date.now() + 23 * 3600_000 ? j : undefined;
  });
  expect(Number(job.due_at)).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);

  // Without the setting the tenant has no retention job.
  const cur2 = await h.call('GET', '/api/admin/config', undefined, alice);
  const { retention: _r, ...without } = cur2.data;
  expect((await h.call('PUT', '/api/admin/config', without, alice, { 'if-match': cur2.headers.get('etag')! })).status).toBe(200);
  await waitFor('the job removed', async () => (await rows(sql`select id from jobs where kind = 'retention'`)).length === 0);
}, 60_000);

/**
 * One write path, held to one result: a customer message stored by the hot path's one call
 * (stratus_append_customer_message through Store.call) and by the general path (addMessage in a
 * group commit) gives the same message rows and the same events, in the same order; and the same
 * chat through each store (PGlite always, PostgreSQL when DATABASE_URL is set) gives the same rows,
 * events and order.
 */
import { sql } from 'drizzle-orm';
import { demoTenant } from '@stratus/shared/tenant/demo';
import { postCustomerMessage, storeCustomerMessage } from '../customers/customer-actions';
import { acceptOffer, startHarness, type Harness } from './harness';

type Post = typeof postCustomerMessage;

/** Ids, times and the chat's own names replaced by stable placeholders, in order of first appearance. */
function normalize(value: unknown): unknown {
  const names = new Map<string, string>();
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') {
      if (key && /(^at$|At$)/.test(key)) return 'T';
      const m = /^(conv|task|msg|chat)_[A-Za-z0-9]+$/.exec(v);
      if (m) {
        if (!names.has(v)) names.set(v, `${m[1]}#${[...names.keys()].filter((k) => k.startsWith(m[1]!)).length + 1}`);
        return names.get(v);
      }
      return v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value);
}

async function rows<T>(h: Harness, q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await h.app.store.db.execute(q)) as unknown as { rows: T[] }).rows;
}

/**
 * One chat with Bob, customer messages through `post` (one after another, or all at once: the hot
 * path then stores them in one batch), a retried post, a reply; what it left in the store.
 */
async function chat(h: Harness, bob: string, post: Post, together = false) {
  const started = await h.call('POST', '/api/interact/support/chats', {
    displayName: 'Pia',
    email: 'pia@example.com',
    privacyAccepted: true,
    message: 'hello',
  });
  expect(started.status).toBe(201);
  const chatId: string = started.data.chatId;
  const offer = await acceptOffer(h, bob, (s) => s.firstMessage === 'hello');
  const tenantId = demoTenant().id;
  const texts = ['one', 'two — ünïcode 👋', 'it\'s "quoted"\nand two lines'];
  const send = (text: string, i: number) => post(h.app.rt, tenantId, chatId, { text, clientMessageId: `c${i}` });
  if (together) expect((await Promise.all(texts.map(send))).map((r) => r.duplicate)).toEqual(texts.map(() => false));
  else for (const [i, text] of texts.entries()) expect((await send(text, i)).duplicate).toBe(false);
  const again = await post(h.app.rt, tenantId, chatId, { text: 'one', clientMessageId: 'c0' });
  expect(again).toMatchObject({ duplicate: true, message: { text: 'one', clientMessageId: 'c0' } });
  expect((await post(h.app.rt, tenantId, chatId, { text: 'no client id' })).duplicate).toBe(false);
  expect((await h.call('POST', `/api/agent/sessions/${offer.id}/messages`, { text: 'Hi Pia' }, bob)).status).toBe(201);
  const messages = await rows(
    h,
    sql`select seq, "from", text, author, client_message_id from messages where conversation_id = ${chatId} order by seq`,
  );
  const events = await rows<{ type: string; user_id: string | null; conversation_id: string | null; payload: unknown }>(
    h,
    sql`select type, user_id, conversation_id, payload from events
        where conversation_id = ${chatId} or payload->>'sessionId' = ${offer.id} or payload->'session'->>'id' = ${offer.id}
        order by id`,
  );
  // The relay's bookkeeping (a durable subscriber) takes the same events on every path and store.
  const teams = await rows(h, sql`select kind, payload from teams_queue where task_id = ${offer.id} order by id`);
  return normalize({ messages, events: events.map((e) => ({ ...e, payload: e.payload })), teams });
}

async function harness() {
  const h = await startHarness({ tenants: [demoTenant()], env: { INTERACT_RATE_LIMIT_SCALE: '0' } });
  const bob = await h.devToken('bob@contoso.com');
  expect((await h.call('POST', '/api/agent/me/duty', { onDuty: false }, await h.devToken('alice@contoso.com'))).status).toBe(200);
  return { h, bob };
}

test('the hot path and the general path store the same rows and events', async () => {
  const { h, bob } = await harness();
  try {
    const fast = (await chat(h, bob, postCustomerMessage)) as { events: { type: string; payload: any }[] };
    const general = await chat(h, bob, storeCustomerMessage);
    const customer = fast.events.filter((e) => e.type === 'message' && e.payload.message.from === 'customer');
    expect(customer.map((e) => e.payload.message.text)).toEqual([
      'hello',
      'one',
      'two — ünïcode 👋',
      'it\'s "quoted"\nand two lines',
      'no client id',
    ]);
    expect(general).toEqual(fast);
    // Posted at once, the hot path stores them in one batch (migration 0009): the same again.
    expect(await chat(h, bob, postCustomerMessage, true)).toEqual(fast);
  } finally {
    await h.stop();
  }
}, 60_000);

const onPostgres = process.env.DATABASE_URL ? test : test.skip;
onPostgres(
  'the same chat through PGlite and through PostgreSQL stores the same rows and events',
  async () => {
    const results: unknown[] = [];
    for (const env of [{ DATABASE_URL: '' }, {}] as Record<string, string>[]) {
      const h = await startHarness({ tenants: [demoTenant()], env: { INTERACT_RATE_LIMIT_SCALE: '0', ...env } });
      try {
        expect(h.app.store.kind).toBe(env.DATABASE_URL === '' ? 'pglite' : 'postgres');
        const bob = await h.devToken('bob@contoso.com');
        expect((await h.call('POST', '/api/agent/me/duty', { onDuty: false }, await h.devToken('alice@contoso.com'))).status).toBe(200);
        results.push(await chat(h, bob, postCustomerMessage));
      } finally {
        await h.stop();
      }
    }
    expect(results[1]).toEqual(results[0]);
  },
  90_000,
);

/**
 * Group commit of the chat's hot path (customers/append-lane.ts, migration 0009): customer messages
 * posted while the store is busy commit together, and each still behaves as if it ran alone: its
 * own answer and sequence number, its chat's order kept, nothing lost when a batch fails, and a
 * message the hot path does not take (a retry, an ended chat) handled by the general path in order.
 * Runs on PGlite, and on PostgreSQL with DATABASE_URL.
 */
import { sql } from 'drizzle-orm';
import { demoTenant } from '@stratus/shared/tenant/demo';
import { endByCustomer, postCustomerMessage } from '../customers/customer-actions';
import type { PreparedStatement } from '../store/db';
import { acceptOffer, startHarness, type Harness } from './harness';

let h: Harness;
let bob: string;
/** Every statement the store's `call` ran: its name, how many messages (a batch's), how many rows it answered (undefined: it failed). */
let calls: { name: string; size: number; rows?: number }[] = [];
/** When set, the next batch statement fails as PostgreSQL fails a deadlocked one (and writes nothing). */
let failNextBatch = false;

beforeAll(async () => {
  h = await startHarness({ tenants: [demoTenant()], env: { INTERACT_RATE_LIMIT_SCALE: '0' } });
  bob = await h.devToken('bob@contoso.com');
  expect((await h.call('POST', '/api/agent/me/duty', { onDuty: false }, await h.devToken('alice@contoso.com'))).status).toBe(200);
  const store = h.app.store;
  const call = store.call.bind(store);
  store.call = async (st: PreparedStatement, params: readonly (string | null)[]) => {
    const batch = st.name === 'stratus_append_customer_messages';
    const record: (typeof calls)[number] = { name: st.name, size: batch ? (JSON.parse(params[0]!) as unknown[]).length : 1 };
    calls.push(record);
    if (batch && failNextBatch) {
      failNextBatch = false;
      throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
    }
    const rows = await call(st, params);
    record.rows = rows.length;
    return rows;
  };
}, 60_000);

afterAll(() => h.stop());
/** Chats a test opened: ended after it, so Bob (three chats at most) has room for the next. */
let opened: string[] = [];
beforeEach(() => {
  calls = [];
});
afterEach(async () => {
  for (const chatId of opened) await endByCustomer(h.app.rt, tenantId, chatId);
  opened = [];
});

const tenantId = demoTenant().id;

/** A chat Bob has accepted. */
async function connectedChat(name: string): Promise<string> {
  const started = await h.call('POST', '/api/interact/support/chats', {
    displayName: name,
    email: `${name.toLowerCase()}@example.com`,
    privacyAccepted: true,
    message: 'hi',
  });
  expect(started.status).toBe(201);
  const chatId: string = started.data.chatId;
  await acceptOffer(h, bob, name);
  opened.push(chatId);
  return chatId;
}

async function stored(chatId: string): Promise<{ seq: number; text: string }[]> {
  const r = await h.app.store.db.execute(
    sql`select seq, text from messages where conversation_id = ${chatId} and "from" = 'customer' order by seq`,
  );
  return (r as unknown as { rows: { seq: number; text: string }[] }).rows.map((x) => ({ seq: Number(x.seq), text: x.text }));
}

const post = (chatId: string, text: string, clientMessageId?: string) =>
  postCustomerMessage(h.app.rt, tenantId, chatId, { text, ...(clientMessageId ? { clientMessageId } : {}) });

test('messages posted together commit together, each with its own answer, in order per chat', async () => {
  const a = await connectedChat('Ada');
  const b = await connectedChat('Ben');
  const before = { a: (await stored(a)).length, b: (await stored(b)).length };
  const posted = Array.from({ length: 12 }, (_, i) => ({ chat: i % 2 ? b : a, text: `m${i}` }));
  const answers = await Promise.all(posted.map((p, i) => post(p.chat, p.text, `c${i}`)));

  // Several messages were stored by one call (not each alone after a failed batch): this test is about batches.
  const batches = calls.filter((c) => c.name === 'stratus_append_customer_messages');
  expect(batches.some((c) => c.size > 1 && c.rows === c.size)).toBe(true);
  expect(batches.every((c) => c.rows === c.size)).toBe(true);
  for (const [chat, n] of [
    [a, before.a],
    [b, before.b],
  ] as const) {
    const mine = posted.map((p, i) => ({ ...p, answer: answers[i]! })).filter((p) => p.chat === chat);
    // Gap-free, in the order posted, each answer the row it stored.
    const first = mine[0]!.answer.message.seq;
    expect(mine.map((p) => p.answer.message.seq)).toEqual(mine.map((_, i) => first + i));
    expect(mine.every((p) => !p.answer.duplicate && p.answer.message.text === p.text)).toBe(true);
    const rows = await stored(chat);
    expect(rows).toHaveLength(n + 6);
    expect(rows.slice(n)).toEqual(mine.map((p) => ({ seq: p.answer.message.seq, text: p.text })));
  }
  // Each message's event is in the outbox once, in the order of its chat's sequence numbers.
  const evs = await h.app.store.db.execute(
    sql`select conversation_id, (payload->'message'->>'seq')::int as seq from events
        where type = 'message' and payload->'message'->>'from' = 'customer' and conversation_id in (${a}, ${b}) order by id`,
  );
  const bySeq = (evs as unknown as { rows: { conversation_id: string; seq: number }[] }).rows;
  for (const chat of [a, b]) {
    const seqs = bySeq.filter((e) => e.conversation_id === chat).map((e) => Number(e.seq));
    expect(seqs).toEqual((await stored(chat)).map((r) => r.seq));
  }
}, 60_000);

test('a batch that fails stores nothing, and each of its messages then runs alone', async () => {
  const a = await connectedChat('Cleo');
  const n = (await stored(a)).length;
  failNextBatch = true;
  const answers = await Promise.all(['x1', 'x2', 'x3', 'x4'].map((t, i) => post(a, t, `f${i}`)));
  expect(failNextBatch).toBe(false);
  expect(answers.map((r) => r.message.text)).toEqual(['x1', 'x2', 'x3', 'x4']);
  const rows = await stored(a);
  // Each once: the failed batch left nothing behind to be stored twice.
  expect(rows.map((r) => r.text)).toEqual([...rows.slice(0, n).map((r) => r.text), 'x1', 'x2', 'x3', 'x4']);
  expect(answers.map((r) => r.message.seq)).toEqual(rows.slice(n).map((r) => r.seq));
}, 60_000);

test('a retry and an ended chat in a batch are answered as they would be alone, and the rest of the batch is stored', async () => {
  const a = await connectedChat('Dora');
  const b = await connectedChat('Emil');
  const ended = await connectedChat('Fynn');
  const first = await post(a, 'first', 'k1');
  await endByCustomer(h.app.rt, tenantId, ended);

  const [again, next, other, late] = await Promise.allSettled([
    post(a, 'first', 'k1'), // a retry: answered with the stored message, stored once
    post(a, 'second', 'k2'), // after the retry, in its chat: stored after 'first'
    post(b, 'elsewhere', 'k3'), // another chat in the same batch: the hot path
    post(ended, 'too late', 'k4'), // an ended chat: refused, as alone
  ]);
  expect(again).toMatchObject({ status: 'fulfilled', value: { duplicate: true, message: { seq: first.message.seq, text: 'first' } } });
  expect(next).toMatchObject({ status: 'fulfilled', value: { duplicate: false, message: { seq: first.message.seq + 1 } } });
  expect(other).toMatchObject({ status: 'fulfilled', value: { duplicate: false } });
  expect(late).toMatchObject({ status: 'rejected', reason: { status: 409, code: 'chat_ended' } });
  expect(calls.some((c) => c.name === 'stratus_append_customer_messages' && c.size === 4)).toBe(true);
  expect((await stored(a)).map((r) => r.text).slice(-2)).toEqual(['first', 'second']);
  expect((await stored(ended)).map((r) => r.text)).not.toContain('too late');
}, 60_000);

/**
 * The event seam (shared/contract/events.ts, bot/events/subscribers.ts, durable.ts): a subscriber that fails does not
 * take the event from the others, a durable subscriber that fails handles the same events again
 * (none lost, none twice, in order), and the compiler holds the subscriber list to the event types.
 */
import { demoTenant } from '@stratus/shared/tenant/demo';
import { checkCovered, liveSubscriber, type DurableSubscriber } from '../events/subscribers';
import type { Stored } from '@stratus/shared/contract/events';
import { openAgentStream, openCustomerSocket, startHarness, waitFor, type Harness } from './harness';

let h: Harness;
let bob: string;
const seenByBroken: number[] = [];
const durableSeen: { id: number; text: string }[] = [];
let durableFailures = 0;
let durableRuns = 0;

/** Throws on every message and state event (after noting it). */
const broken = liveSubscriber('broken', {
  message: (e) => {
    seenByBroken.push(e.id);
    throw new Error('this subscriber is broken');
  },
  state: () => {
    throw new Error('this one too');
  },
});

/** Fails its first two runs that have customer messages in them; records what it handled after. */
const flaky: DurableSubscriber<'message'> = {
  kind: 'durable',
  name: 'test-flaky',
  types: ['message'],
  wants: (e) => e.payload.message.from === 'customer',
  async handle(_u, list) {
    const texts = list.filter((e) => e.payload.message.from === 'customer');
    if (texts.length === 0) return;
    durableRuns += 1;
    if (durableFailures < 2) {
      durableFailures += 1;
      throw new Error('database hiccup');
    }
    for (const e of texts) durableSeen.push({ id: e.id, text: e.payload.message.text });
  },
};

beforeAll(async () => {
  h = await startHarness({
    tenants: [demoTenant()],
    env: { INTERACT_RATE_LIMIT_SCALE: '0' },
    app: { subscribers: [broken, flaky] },
  });
  bob = await h.devToken('bob@contoso.com');
  const alice = await h.devToken('alice@contoso.com');
  expect((await h.call('POST', '/api/agent/me/duty', { onDuty: false }, alice)).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

test('a live subscriber that throws does not keep an event from the customer, the agent or the durable subscribers', async () => {
  const started = await h.call('POST', '/api/interact/support/chats', {
    displayName: 'Uma',
    email: 'u@example.com',
    privacyAccepted: true,
    message: 'first',
  });
  expect(started.status).toBe(201);
  const { chatId, token } = started.data;
  const offer = await waitFor('an offer', async () =>
    ((await h.call('GET', '/api/agent/sessions', undefined, bob)).data.sessions as any[]).find((s) => s.state === 'offered'),
  );
  const stream = openAgentStream(h.url, bob);
  await stream.ready;
  expect((await h.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, bob)).status).toBe(200);
  const { ws, frames } = await openCustomerSocket(h.url, chatId, token);

  const texts = ['one', 'two', 'three', 'four'];
  for (const text of texts) {
    const r = await h.call('POST', `/api/interact/chats/${chatId}/messages`, { text }, undefined, { authorization: `Bearer ${token}` });
    expect(r.status).toBe(201);
  }
  // The agent's stream and the customer's socket have every message, though `broken` threw on each.
  await waitFor('the agent stream to have all four', () =>
    texts.every((t) => stream.events.some((e) => e.data.type === 'message' && e.data.message.text === t)),
  );
  await waitFor('the customer socket to have all four', () =>
    texts.every((t) => frames.some((f) => f.type === 'message' && f.message.text === t)),
  );
  expect(seenByBroken.length).toBeGreaterThanOrEqual(texts.length);

  // The durable subscriber failed twice and then handled each customer message once, in outbox order.
  await waitFor('the durable subscriber to catch up', () => texts.every((t) => durableSeen.some((s) => s.text === t)), 10_000);
  expect(durableFailures).toBe(2);
  expect(durableRuns).toBeGreaterThan(2);
  const ids = durableSeen.map((s) => s.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  expect(durableSeen.map((s) => s.text)).toEqual(['first', ...texts].filter((t) => durableSeen.some((s) => s.text === t)));
  expect(durableSeen.map((s) => s.text).slice(-4)).toEqual(texts);
  ws.close();
  stream.close();
});

test('the compiler holds subscribers to the event types', () => {
  const customer = liveSubscriber('c', { message: () => undefined, state: () => undefined });
  const agent = liveSubscriber('a', {
    message: () => undefined,
    session: () => undefined,
    me: () => undefined,
    notice: () => undefined,
    typing: () => undefined,
    read: () => undefined,
  });
  const config = liveSubscriber('t', { config: () => undefined });
  expect(checkCovered([customer, agent, config] as const)).toHaveLength(3);
  // @ts-expect-error: 'session', 'me' and 'notice' have no subscriber
  checkCovered([customer] as const);
  // @ts-expect-error: there is no event type 'mesage'
  liveSubscriber('typo', { mesage: (e: Stored) => e });
  liveSubscriber('payloads are typed', {
    // @ts-expect-error: a state event has no message
    state: (e) => e.payload.message,
  });
});

/**
 * The bus delivers what a commit appended without reading it back when it is next in order, and
 * falls back to reading the outbox when it is not, so no event is delivered twice, late or out of order.
 */
import { EventBus } from './bus';
import { liveSubscriber } from './subscribers';
import { openStore, type Store } from '../store/db';
import { appendEvents, eventsAfter } from '../store/outbox';
import { createLogger } from '../util/log';
import { events, type Stored } from '@stratus/shared/contract/events';

let store: Store;

beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
}, 60_000);

afterAll(async () => {
  await store.close();
});

const message = (n: number) =>
  events.message(
    't1',
    'conv_1',
    { id: `msg_${n}`, seq: n, from: 'customer', text: `hello ${n}`, at: new Date(0).toISOString() },
    { id: 'task_1', agentId: 'u1' },
  );

async function started(): Promise<{ bus: EventBus; got: Stored[] }> {
  const bus = new EventBus(store, createLogger('error'), 60_000);
  const got: Stored[] = [];
  bus.subscribe(liveSubscriber('recorder', { message: (e) => void got.push(e) }));
  await bus.start();
  return { bus, got };
}

test("a commit's events next in order are delivered at once, as the outbox holds them", async () => {
  const { bus, got } = await started();
  const stored = await store.db.transaction((tx) => appendEvents(tx, [message(1), message(2), message(3)], 1_000, true));
  bus.publishedAll(stored);
  // Synchronously: nothing was read back.
  expect(got.map((e) => e.id)).toEqual(stored.map((e) => e.id));
  expect(bus.position).toBe(stored.at(-1)!.id);
  // The same events a poll reads.
  const read = await eventsAfter(store.db, stored[0]!.id - 1, 10);
  expect(got).toEqual(read);
  bus.stop();
});

test('events that do not follow the last delivered one are read from the outbox, the earlier ones first', async () => {
  const { bus, got } = await started();
  // Another writer's commit the bus has not seen yet, then ours.
  const [theirs] = await store.db.transaction((tx) => appendEvents(tx, [message(4)], 2_000, true));
  const ours = await store.db.transaction((tx) => appendEvents(tx, [message(5), message(6)], 2_001, true));
  bus.publishedAll(ours);
  expect(got).toEqual([]);
  for (let i = 0; i < 100 && got.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
  expect(got.map((e) => e.id)).toEqual([theirs!.id, ...ours.map((e) => e.id)]);
  // Told again (a late duplicate): nothing is delivered twice.
  bus.publishedAll(ours);
  await new Promise((r) => setTimeout(r, 50));
  expect(got).toHaveLength(3);
  bus.stop();
});

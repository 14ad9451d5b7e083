/**
 * A durable event subscriber across instances: two servers on one PostgreSQL, each with the same
 * subscriber (one cursor), customers posting on both. Every customer message is handled exactly
 * once for the deployment, in outbox order, whichever instance ran it. Runs in `npm run test:pg`.
 */
import type { DurableSubscriber } from '../events/subscribers';
import { freshDatabase, startHarness, waitFor, type Harness } from './harness';

const url = process.env.DATABASE_URL;
const maybe = url ? describe : describe.skip;
jest.setTimeout(90_000);

const handled: { id: number; text: string; by: string }[] = [];
const recorder = (by: string): DurableSubscriber<'message'> => ({
  kind: 'durable',
  name: 'test-recorder',
  types: ['message'],
  wants: (e) => e.payload.message.from === 'customer',
  async handle(_u, list) {
    for (const e of list) if (e.payload.message.from === 'customer') handled.push({ id: e.id, text: e.payload.message.text, by });
  },
});

maybe('a durable subscriber on two instances', () => {
  let a: Harness;
  let b: Harness;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase(url!);
    const env = { DATABASE_URL: db.url, INTERACT_RATE_LIMIT_SCALE: '0' };
    a = await startHarness({ env, app: { subscribers: [recorder('a')] } });
    b = await startHarness({ env, app: { subscribers: [recorder('b')] } });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  test('handles each event once, in order, with posts on both instances at once', async () => {
    const start = async (h: Harness, name: string) =>
      (await h.call('POST', '/api/interact/support/chats', { displayName: name, email: 'c@example.com', privacyAccepted: true })).data as {
        chatId: string;
        token: string;
      };
    const chats = [await start(a, 'Ana'), await start(b, 'Ben'), await start(a, 'Cy'), await start(b, 'Di')];
    const texts: string[] = [];
    await Promise.all(
      chats.map(async (c, i) => {
        const h = i % 2 ? b : a;
        for (let n = 0; n < 15; n++) {
          const text = `c${i} m${n}`;
          texts.push(text);
          const r = await h.call('POST', `/api/interact/chats/${c.chatId}/messages`, { text }, undefined, {
            authorization: `Bearer ${c.token}`,
          });
          expect(r.status).toBe(201);
        }
      }),
    );
    await waitFor('every message handled', () => texts.every((t) => handled.some((x) => x.text === t)), 20_000);
    // Runs after the last one would show a repeat.
    await new Promise((r) => setTimeout(r, 1500));
    const mine = handled.filter((x) => texts.includes(x.text));
    expect(mine).toHaveLength(texts.length);
    expect(new Set(mine.map((x) => x.id)).size).toBe(texts.length);
    const ids = mine.map((x) => x.id);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
  });
});

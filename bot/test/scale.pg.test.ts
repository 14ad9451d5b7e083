/**
 * Scale-out: two server instances sharing one PostgreSQL. A customer on instance A and the agent
 * on instance B see every message, in order; a task is offered once. Runs in `npm run test:pg`
 * (DATABASE_URL set, as .ci/run does when PostgreSQL answers).
 */
import { freshDatabase, openAgentStream, openCustomerSocket, startHarness, waitFor, type Harness } from './harness';

const url = process.env.DATABASE_URL;
const maybe = url ? describe : describe.skip;
jest.setTimeout(60_000);

maybe('two instances on one PostgreSQL', () => {
  let a: Harness;
  let b: Harness;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase(url!);
    a = await startHarness({ env: { DATABASE_URL: db.url } });
    b = await startHarness({ env: { DATABASE_URL: db.url } });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  test('customer on A, agent on B: every message, in order, both ways', async () => {
    const alice = await b.devToken('alice@contoso.com');
    const bob = await b.devToken('bob@contoso.com');
    const chat = (
      await a.call('POST', '/api/interact/support/chats', {
        displayName: 'Ann',
        email: 'ann@example.com',
        privacyAccepted: true,
        message: 'm0',
      })
    ).data;
    const { ws, frames } = await openCustomerSocket(a.url, chat.chatId, chat.token);
    const offer = await waitFor('an offer seen on B', async () => {
      for (const t of [alice, bob]) {
        const s = (await b.call('GET', '/api/agent/sessions', undefined, t)).data.sessions.find(
          (x: any) => x.state === 'offered' && x.customer.displayName === 'Ann',
        );
        if (s) return { t, id: s.id as string };
      }
      return undefined;
    });
    const stream = openAgentStream(b.url, offer.t);
    await stream.ready;
    expect((await b.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, offer.t)).status).toBe(200);
    for (let i = 1; i <= 20; i++)
      expect(
        (await a.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: `m${i}`, clientMessageId: `c${i}` }, chat.token))
          .status,
      ).toBe(201);
    for (let i = 1; i <= 10; i++)
      expect(
        (await b.call('POST', `/api/agent/sessions/${offer.id}/messages`, { text: `r${i}`, clientMessageId: `a${i}` }, offer.t)).status,
      ).toBe(201);
    await waitFor(
      'all customer messages on B',
      () => stream.events.filter((e) => e.data.type === 'message' && /^m([1-9]|1\d|20)$/.test(e.data.message.text)).length >= 20,
      15_000,
    );
    await waitFor(
      'all replies on A',
      () => frames.filter((f) => f.type === 'message' && /^r\d+$/.test(f.message.text)).length >= 10,
      15_000,
    );
    const onB = stream.events.filter((e) => e.data.type === 'message').map((e) => e.data.message);
    const bSeqs = [...new Map(onB.map((m: any) => [m.seq, m])).keys()];
    expect(bSeqs).toEqual([...bSeqs].sort((x, y) => x - y));
    expect(
      onB
        .filter((m: any) => /^m\d+$/.test(m.text))
        .map((m: any) => m.text)
        .filter((t: string, i: number, arr: string[]) => arr.indexOf(t) === i)
        .slice(-20),
    ).toEqual(Array.from({ length: 20 }, (_, i) => `m${i + 1}`));
    const onA = frames.filter((f) => f.type === 'message').map((f) => f.message);
    const aSeqs = onA.map((m: any) => m.seq);
    expect(aSeqs).toEqual([...aSeqs].sort((x, y) => x - y));
    expect(onA.filter((m: any) => /^r\d+$/.test(m.text)).map((m: any) => m.text)).toEqual(
      Array.from({ length: 10 }, (_, i) => `r${i + 1}`),
    );
    ws.close();
    stream.close();
    await b.call('POST', `/api/agent/sessions/${offer.id}/end`, {}, offer.t);
  });

  test('chats started on both instances at once are each offered once', async () => {
    const starts = Array.from({ length: 6 }, (_, i) =>
      (i % 2 ? a : b).call('POST', '/api/interact/support/chats', {
        displayName: `Par${i}`,
        email: 'p@example.com',
        privacyAccepted: true,
        message: 'hi',
      }),
    );
    const chats = (await Promise.all(starts)).map((r) => r.data.chatId as string);
    await new Promise((r) => setTimeout(r, 2500));
    const counts = await a.app.store.db.execute(
      `select t.conversation_id as c, count(o.*)::int as n from tasks t left join task_offers o on o.task_id = t.id where t.conversation_id in (${chats.map((c) => `'${c}'`).join(',')}) group by t.conversation_id` as never,
    );
    const rows = (counts as unknown as { rows: { c: string; n: number }[] }).rows;
    expect(rows).toHaveLength(6);
    // Direct distribution: at most one open offer per task, never two from two instances.
    for (const r of rows) expect(r.n).toBeLessThanOrEqual(1);
    const alice = await a.devToken('alice@contoso.com');
    const report = (await a.call('GET', '/api/reporting/sessions', undefined, alice)).data.sessions.filter((s: any) =>
      chats.includes(s.conversationId),
    );
    for (const s of report) expect(s.offers).toBeLessThanOrEqual(1);
    // Two agents at capacity 3: all six are offered.
    expect(report.filter((s: any) => s.offers === 1)).toHaveLength(6);
  });
});

/**
 * Lock order on PostgreSQL: accept, decline, transfer, agent reply, agent end, customer post and
 * customer leave, all at once on the same chats, for hundreds of chats. Every answer is a clear
 * one (never a 500: a deadlock or serialization failure that still happens is retried inside the
 * server), and nothing is left stuck: every task ends with a reporting outcome and every
 * conversation is closed. PGlite's single connection cannot show this, so it runs only in
 * `npm run test:pg` (DATABASE_URL set, as .ci/run does when PostgreSQL answers).
 */
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { inTx } from '../runtime/uow';
import { tenantWithAgents } from './agents-tenant';
import { startHarness, waitFor, type Harness } from './harness';

const d = process.env.DATABASE_URL ? describe : describe.skip;
// About 30 s on an idle machine; generous for a loaded CI runner.
jest.setTimeout(300_000);

const ROUNDS = Number(process.env.DEADLOCK_ROUNDS ?? 100);
const CHATS = 4;
const AGENTS = ['a1', 'a2', 'a3', 'a4'];

/** The demo tenant with four agents in both services and room for every chat of a round. */
function tenant(): TenantConfig {
  return { ...tenantWithAgents(AGENTS, { maxConcurrentIm: 50, offerTimeoutSec: 60, objectIdPrefix: 'a' }), admins: ['alice'] };
}

type Call = { route: string; status: number; body: unknown; ms: number };

d('concurrent chat operations on PostgreSQL', () => {
  let h: Harness;
  const tokens = new Map<string, string>();
  beforeAll(async () => {
    h = await startHarness({ tenants: [tenant()], env: { INTERACT_RATE_LIMIT_SCALE: '0' } });
    for (const id of AGENTS) tokens.set(id, await h.devToken(`${id}@contoso.com`));
  });
  afterAll(async () => {
    await h?.stop();
  });

  const rows = async <T>(text: string): Promise<T[]> => ((await h.app.store.db.execute(text as never)) as unknown as { rows: T[] }).rows;

  test('a deadlock that still happens is run again inside the server, not answered 500', async () => {
    await h.app.store.db.execute(
      'create table if not exists deadlock_probe (id int primary key, n int not null default 0); insert into deadlock_probe (id) values (1), (2) on conflict do nothing' as never,
    );
    let attempts = 0;
    let arrived = 0;
    let release!: () => void;
    const bothHoldOne = new Promise<void>((r) => (release = r));
    // Two transactions lock the same two rows in opposite orders; on the first attempt each waits
    // until the other holds its first row, so PostgreSQL must break the circle (40P01).
    const opposite = (first: number, second: number) =>
      inTx(h.app.rt, async (u) => {
        attempts += 1;
        await u.tx.execute(`update deadlock_probe set n = n + 1 where id = ${first}` as never);
        if (arrived < 2) {
          arrived += 1;
          if (arrived === 2) release();
          await bothHoldOne;
        }
        await u.tx.execute(`update deadlock_probe set n = n + 1 where id = ${second}` as never);
      });
    await Promise.all([opposite(1, 2), opposite(2, 1)]);
    expect(attempts).toBe(3);
    expect(await rows('select id, n from deadlock_probe order by id')).toEqual([
      { id: 1, n: 2 },
      { id: 2, n: 2 },
    ]);
  });

  test(`${ROUNDS} rounds of ${CHATS} chats: no 500, no stuck task`, async () => {
    const deadlocksBefore = Number(
      (await rows<{ n: string }>('select deadlocks as n from pg_stat_database where datname = current_database()'))[0]?.n ?? 0,
    );
    const calls: Call[] = [];
    const call = async (route: string, method: string, path: string, body: unknown, token: string): Promise<Call> => {
      const t = Date.now();
      const r = await h.call(method, path, body, token);
      const c = { route, status: r.status, body: r.data, ms: Date.now() - t };
      calls.push(c);
      return c;
    };
    const chatIds: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const t0 = Date.now();
      const chats = await Promise.all(
        Array.from({ length: CHATS }, async (_, i) => {
          const r = await call(
            'start',
            'POST',
            '/api/interact/support/chats',
            { displayName: `R${round}C${i}`, email: 'c@example.com', privacyAccepted: true, message: 'hello' },
            '',
          );
          return r.body as { chatId: string; token: string };
        }),
      );
      chatIds.push(...chats.map((c) => c.chatId).filter(Boolean));
      // Each chat's offer (direct distribution: one agent per task).
      const list = chats.map((c) => `'${c.chatId}'`).join(',');
      const offers = await waitFor(
        'every chat offered',
        async () => {
          const o = await rows<{ conversation_id: string; task_id: string; user_id: string }>(
            `select t.conversation_id, o.task_id, o.user_id from task_offers o join tasks t on t.id = o.task_id where t.conversation_id in (${list})`,
          );
          return o.length >= CHATS ? new Map(o.map((x) => [x.conversation_id, x])) : undefined;
        },
        10_000,
      );

      await Promise.all(
        chats.map(async (chat, i) => {
          const o = offers.get(chat.chatId)!;
          const agent = tokens.get(o.user_id)!;
          const s = `/api/agent/sessions/${o.task_id}`;
          const mix = (round + i) % CHATS;
          const post = () =>
            call(
              'customer post',
              'POST',
              `/api/interact/chats/${chat.chatId}/messages`,
              { text: `m${round}`, clientMessageId: `c${round}-${i}` },
              chat.token,
            );
          const leave = () => call('customer leave', 'POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token);
          // Mostly all at once; in half the chats the customer writes before leaving, which leaves the
          // agent's reply and transfer a chance to land before the chat ends.
          const customer = mix === 0 || mix === 3 ? [post().then(leave)] : [post(), leave()];
          const agentSide: Promise<unknown>[] = [];
          switch (mix) {
            case 0: // accept, reply, end, while an end races them
              agentSide.push(
                (async () => {
                  await call('accept', 'POST', `${s}/accept`, {}, agent);
                  await call('agent post', 'POST', `${s}/messages`, { text: 'hi', clientMessageId: `a${round}-${i}` }, agent);
                  await call('agent end', 'POST', `${s}/end`, {}, agent);
                })(),
                call('agent end', 'POST', `${s}/end`, {}, agent),
              );
              break;
            case 1: // everything at once
              agentSide.push(call('accept', 'POST', `${s}/accept`, {}, agent), call('agent end', 'POST', `${s}/end`, {}, agent));
              break;
            case 2: // decline: the task goes back to the queue and is offered again
              agentSide.push(call('decline', 'POST', `${s}/decline`, {}, agent));
              break;
            default: // accept, then transfer to Sales, while an end races them
              agentSide.push(
                (async () => {
                  await call('accept', 'POST', `${s}/accept`, {}, agent);
                  await call('transfer', 'POST', `${s}/transfer`, { serviceId: 'sales' }, agent);
                })(),
                call('agent end', 'POST', `${s}/end`, {}, agent),
              );
          }
          await Promise.all([...customer, ...agentSide]);
        }),
      );
      if (process.env.DEADLOCK_TEST_VERBOSE) console.log(`round ${round}: ${Date.now() - t0} ms`);
    }

    const deadlocks =
      Number((await rows<{ n: string }>('select deadlocks as n from pg_stat_database where datname = current_database()'))[0]?.n ?? 0) -
      deadlocksBefore;
    const byRoute = new Map<string, Record<number, number>>();
    for (const c of calls) {
      const m = byRoute.get(c.route) ?? {};
      m[c.status] = (m[c.status] ?? 0) + 1;
      m[0] = (m[0] ?? 0) + c.ms;
      byRoute.set(c.route, m);
    }
    const summary = { calls: calls.length, deadlocks, byRoute: Object.fromEntries(byRoute) };
    if (process.env.DEADLOCK_TEST_VERBOSE) console.log(JSON.stringify(summary));

    const errors = calls.filter((c) => c.status >= 500);
    expect({ errors: errors.slice(0, 5), count: errors.length, summary }).toEqual({ errors: [], count: 0, summary });
    expect(chatIds).toHaveLength(ROUNDS * CHATS);

    // Nothing stuck: every conversation closed, every task ended with a reporting outcome.
    const list = chatIds.map((c) => `'${c}'`).join(',');
    const stuck = await waitFor(
      'every chat to be closed and every task ended',
      async () => {
        const open = await rows<{ id: string }>(`select id from conversations where open and id in (${list})`);
        const tasks = await rows<{ id: string; state: string; outcome: string | null }>(
          `select t.id, t.state, r.outcome from tasks t left join reporting_sessions r on r.task_id = t.id where t.conversation_id in (${list})`,
        );
        const notEnded = tasks.filter((t) => t.state !== 'ended' || !t.outcome);
        return open.length === 0 && notEnded.length === 0 ? { ok: true } : undefined;
      },
      10_000,
    ).catch(async () => ({
      ok: false,
      open: await rows(`select id from conversations where open and id in (${list}) limit 5`),
      tasks: await rows(
        `select t.id, t.state, r.outcome from tasks t left join reporting_sessions r on r.task_id = t.id where t.conversation_id in (${list}) and (t.state <> 'ended' or r.outcome is null) limit 5`,
      ),
    }));
    expect(stuck).toEqual({ ok: true });
  });
});

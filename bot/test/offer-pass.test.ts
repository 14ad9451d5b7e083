/**
 * A distribution pass offers the chats it planned with two locking statements and writes their
 * task updates and offer rows together (store/repo.ts tryLockTasksAndConversations,
 * store/offer-writes.ts): every chat of a burst is offered with its offer row, timer and reporting
 * session as one at a time gave them; and, on PostgreSQL, a chat whose conversation another
 * transaction holds is skipped, the others offered, and it is offered once it is free.
 */
import { sql } from 'drizzle-orm';
import type { Task } from '@stratus/shared/task/types';
import type { ReportingSession } from '@stratus/shared/reporting/session';
import { inTx } from '../runtime/uow';
import { lockDistribution } from '../store/locks';
import { tenantWithAgents } from './agents-tenant';
import { startHarness, waitFor, type Harness } from './harness';

const AGENTS = ['p1', 'p2', 'p3'];

/** The demo tenant with three agents in every service, direct distribution, room for many chats each. */
const tenant = () => tenantWithAgents(AGENTS, { maxConcurrentIm: 20, offerTimeoutSec: 120, objectIdPrefix: 'b' });

let h: Harness;
const tokens = new Map<string, string>();
beforeAll(async () => {
  h = await startHarness({ tenants: [tenant()], env: { INTERACT_RATE_LIMIT_SCALE: '0' } });
  for (const id of AGENTS) tokens.set(id, await h.devToken(`${id}@contoso.com`));
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

function rowsOf<T>(r: unknown): T[] {
  return ((r as { rows?: T[] }).rows ?? (r as T[])) as T[];
}

async function startChats(prefix: string, n: number): Promise<string[]> {
  const started = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      h.call('POST', '/api/interact/support/chats', {
        displayName: `${prefix} ${i}`,
        email: `${prefix.toLowerCase()}${i}@example.com`,
        privacyAccepted: true,
        message: `${prefix} needs help ${i}`,
      }),
    ),
  );
  expect(started.map((s) => s.status)).toEqual(Array(n).fill(201));
  return started.map((s) => (s.data as { chatId: string }).chatId);
}

type TaskState = { id: string; conversation_id: string; state: string; data: Task };
async function tasksOf(chatIds: string[]): Promise<TaskState[]> {
  const list = sql.join(
    chatIds.map((id) => sql`${id}`),
    sql`, `,
  );
  return rowsOf<TaskState>(
    await h.app.rt.store.db.execute(sql`select id, conversation_id, state, data from tasks where conversation_id in (${list}) order by id`),
  );
}

/**
 * A transaction that takes what `lock` takes and holds it until released (on PGlite, where one
 * transaction runs at a time, every other transaction waits meanwhile).
 */
function hold(lock: (u: Parameters<Parameters<typeof inTx>[1]>[0]) => Promise<void>) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let held!: () => void;
  const isHeld = new Promise<void>((r) => (held = r));
  const done = inTx(h.app.rt, async (u) => {
    await lock(u);
    held();
    await released;
  });
  return { isHeld, release: () => (release(), done) };
}

/** Holds the tenant's distribution lock: passes wait for it. */
const holdDistribution = () => hold((u) => lockDistribution(u.tx, 'contoso'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('chats waiting together are offered in one pass, each with its offer row, timer and reporting session', async () => {
  // The chats arrive while a pass runs, so the next pass finds them all waiting.
  const passes = holdDistribution();
  await passes.isHeld;
  const starting = startChats('Wave', 8);
  await sleep(300);
  await passes.release();
  const chatIds = await starting;
  const offered = await waitFor('every chat offered', async () => {
    const ts = await tasksOf(chatIds);
    return ts.every((t) => t.state === 'offered') ? ts : undefined;
  });
  const ids = offered.map((t) => t.id);
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  const db = h.app.rt.store.db;
  const offerRows = rowsOf<{ task_id: string; user_id: string; expires_at: string | number }>(
    await db.execute(sql`select task_id, user_id, expires_at from task_offers where task_id in (${list}) order by task_id, user_id`),
  );
  // The rows mirror each task's own offers exactly.
  expect(offerRows.map((r) => [r.task_id, r.user_id, Number(r.expires_at)])).toEqual(
    offered.flatMap((t) => t.data.offers.map((o) => [t.id, o.userId, o.expiresAt])),
  );
  expect(offerRows).toHaveLength(8);
  for (const t of offered) expect(t.data.state).toBe('offered');
  const jobs = rowsOf<{ ref: string; due_at: string | number }>(
    await db.execute(sql`select ref, due_at from jobs where kind = 'offerExpiry' and split_part(ref, '/', 1) in (${list}) order by ref`),
  );
  expect(jobs.map((j) => [j.ref, Number(j.due_at)])).toEqual(
    offered.flatMap((t) => t.data.offers.map((o) => [`${t.id}/${o.userId}`, o.expiresAt])).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
  );
  const sessions = rowsOf<{ task_id: string; data: ReportingSession }>(
    await db.execute(sql`select task_id, data from reporting_sessions where task_id in (${list}) order by task_id`),
  );
  expect(sessions.map((s) => [s.task_id, s.data.offeredUserIds])).toEqual(offered.map((t) => [t.id, t.data.offers.map((o) => o.userId)]));
  // Each agent sees their own offers, each with its chat's first message.
  let seen = 0;
  for (const id of AGENTS) {
    const mine = ((await h.call('GET', '/api/agent/sessions', undefined, tokens.get(id))).data.sessions ?? []) as {
      id: string;
      state: string;
      firstMessage?: string;
      customer: { displayName: string };
    }[];
    for (const s of mine.filter((x) => ids.includes(x.id))) {
      expect(s.state).toBe('offered');
      expect(s.firstMessage).toBe(`Wave needs help ${s.customer.displayName.split(' ')[1]}`);
      seen += 1;
    }
  }
  expect(seen).toBe(8);
});

const pg = process.env.DATABASE_URL ? test : test.skip;

pg('a chat whose conversation another transaction holds is skipped, the others offered, and it is offered once free', async () => {
  const passes = holdDistribution();
  await passes.isHeld;
  const chatIds = await startChats('Held', 5);
  const held = chatIds[2]!;
  // Another transaction (an agent's reply, say) holds one conversation when the pass runs.
  const other = hold(async (u) => {
    await u.tx.execute(sql`select id from conversations where id = ${held} for update`);
  });
  await other.isHeld;
  await passes.release();
  const others = chatIds.filter((id) => id !== held);
  await waitFor('the free chats offered', async () => {
    const ts = await tasksOf(others);
    return ts.every((t) => t.state === 'offered') || undefined;
  });
  expect((await tasksOf([held]))[0]?.state).toBe('queued');
  await other.release();
  await waitFor('the held chat offered once free', async () => (await tasksOf([held]))[0]?.state === 'offered' || undefined, 15_000);
});

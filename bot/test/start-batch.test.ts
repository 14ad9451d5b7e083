/**
 * Chat starts in a burst commit together (runtime/uow.ts, Batcher; the 'starts' lane): every
 * customer still gets their own chat, first message and task, in fewer transactions than starts;
 * and a start that fails inside a batch fails alone, with none of its rows, while the others land.
 */
import { sql } from 'drizzle-orm';
import { demoTenant } from '@stratus/shared/tenant/demo';
import { AppError } from '../errors';
import { Batcher, inTx } from '../runtime/uow';
import { scheduleJob } from '../scheduler/jobs';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tenants: [demoTenant()], env: { INTERACT_RATE_LIMIT_SCALE: '0' } });
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

function rowsOf<T>(r: unknown): T[] {
  return ((r as { rows?: T[] }).rows ?? (r as T[])) as T[];
}

test('a burst of starts: each customer gets their own chat, message and task, in fewer transactions than starts', async () => {
  const db = h.app.rt.store.db;
  const spy = jest.spyOn(db, 'transaction');
  const N = 30;
  let starts: { status: number; data: { chatId: string; token: string } }[];
  try {
    // The server busy with another transaction (on PGlite, one at a time) as the burst arrives, as under load.
    const busy = inTx(h.app.rt, () => new Promise((r) => setTimeout(r, 300)));
    starts = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        h.call('POST', '/api/interact/support/chats', {
          displayName: `Burst ${i}`,
          email: `b${i}@example.com`,
          privacyAccepted: true,
          message: `hello ${i}`,
        }),
      ),
    );
    await busy;
    expect(spy.mock.calls.length).toBeLessThan(N / 2);
  } finally {
    spy.mockRestore();
  }
  expect(starts.map((s) => s.status)).toEqual(Array(N).fill(201));
  const ids = starts.map((s) => s.data.chatId);
  expect(new Set(ids).size).toBe(N);
  for (const [i, s] of starts.entries()) {
    // The customer's own token reads their own chat, with their first message in it.
    const msgs = await h.call('GET', `/api/interact/chats/${s.data.chatId}/messages`, undefined, s.data.token);
    expect(msgs.status).toBe(200);
    const texts = (msgs.data as { messages: { from: string; text: string }[] }).messages.filter((m) => m.from === 'customer');
    expect(texts.map((m) => m.text)).toEqual([`hello ${i}`]);
  }
  const tasks = rowsOf<{ conversation_id: string; state: string }>(
    await db.execute(
      sql`select conversation_id, state from tasks where conversation_id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    ),
  );
  expect(tasks.map((t) => t.conversation_id).sort()).toEqual([...ids].sort());
  for (const t of tasks) expect(['queued', 'offered']).toContain(t.state);
  const sessions = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from reporting_sessions r join tasks t on t.id = r.task_id
      where t.conversation_id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`),
  );
  expect(sessions[0]?.n).toBe(N);
});

test('a start that fails inside a batch fails alone and leaves nothing; the others are committed', async () => {
  const batcher = new Batcher(h.app.rt, { isolateAppErrors: false, gather: true });
  const job = (ref: string) => async (u: Parameters<Parameters<Batcher['run']>[0]>[0]) => {
    // Due in an hour: a job already due could be claimed by the server's job poller (on PostgreSQL, on
    // another connection) and be gone before the test reads it back.
    await scheduleJob(u.tx, { tenantId: 'contoso', kind: 'workflowTimer', ref, dueAt: Date.now() + 3_600_000 });
    if (ref.endsWith('/bad')) throw new AppError(400, 'invalid_request', 'no such thing');
    return ref;
  };
  const results = await Promise.allSettled([batcher.run(job('sb/a')), batcher.run(job('sb/bad')), batcher.run(job('sb/c'))]);
  expect(results[0]).toEqual({ status: 'fulfilled', value: 'sb/a' });
  expect(results[1]).toMatchObject({ status: 'rejected', reason: { status: 400 } });
  expect(results[2]).toEqual({ status: 'fulfilled', value: 'sb/c' });
  const refs = rowsOf<{ ref: string }>(await h.app.rt.store.db.execute(sql`select ref from jobs where ref like 'sb/%' order by ref`));
  expect(refs.map((r) => r.ref)).toEqual(['sb/a', 'sb/c']);
});

test("starts in one batch keep their time of arrival, so the queue keeps their customers' order", async () => {
  let t = 1_000_000;
  const rt = { ...h.app.rt, clock: { now: () => t } };
  const batcher = new Batcher(rt, { isolateAppErrors: false, gather: true, arrivalTime: true });
  const seen = (name: string) => async (u: Parameters<Parameters<Batcher['run']>[0]>[0]) => [name, u.now] as const;
  const runs: Promise<readonly [string, number]>[] = [];
  for (const name of ['first', 'second', 'third']) {
    runs.push(batcher.run(seen(name)));
    t += 5;
  }
  expect(await Promise.all(runs)).toEqual([
    ['first', 1_000_000],
    ['second', 1_000_005],
    ['third', 1_000_010],
  ]);
  // The messages lane keeps one time per batch (a message must not be dated before one already stored).
  const shared = new Batcher(rt, { gather: true });
  const times = [shared.run(async (u) => u.now)];
  t += 5;
  times.push(shared.run(async (u) => u.now));
  const [a, b] = await Promise.all(times);
  expect(a).toBe(b);
});

test('a burst of real starts keeps the order they were sent in their queue times', async () => {
  // One at a time into the batch's queue (each request sent after the last reached the server), while the store is busy.
  const busy = inTx(h.app.rt, () => new Promise((r) => setTimeout(r, 300)));
  const ids: string[] = [];
  const answers: Promise<unknown>[] = [];
  for (let i = 0; i < 5; i++) {
    answers.push(
      h
        .call('POST', '/api/interact/support/chats', { displayName: `Order ${i}`, email: `o${i}@example.com`, privacyAccepted: true })
        .then((r) => {
          ids[i] = (r.data as { chatId: string }).chatId;
        }),
    );
    await new Promise((r) => setTimeout(r, 20));
  }
  await busy;
  await Promise.all(answers);
  const rows = rowsOf<{ conversation_id: string; created: string | number }>(
    await h.app.rt.store.db.execute(
      sql`select conversation_id, (data->>'createdAt')::bigint as created from tasks where conversation_id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    ),
  );
  const created = new Map(rows.map((r) => [r.conversation_id, Number(r.created)]));
  const times = ids.map((id) => created.get(id)!);
  expect(times).toEqual([...times].sort((x, y) => x - y));
  expect(new Set(times).size).toBe(5);
});

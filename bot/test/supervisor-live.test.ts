/**
 * Live operations, the supervisor's stream and actions (issue 15): the queue board moves live, a
 * monitored session streams both sides, a takeover hands the chat to the supervisor (the customer
 * is told, the agent's tab says why, the customer's next message reaches the supervisor only), a
 * reassignment and an end do what they say, waiting chats are moved and prioritised, and a
 * supervisor of another service is refused everywhere.
 */
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { openAgentStream, openStream, startHarness, waitFor, type Harness } from './harness';

function tenant(): TenantConfig {
  const t = demoTenant();
  return {
    ...t,
    users: [
      ...t.users,
      { id: 'dave', upn: 'dave@contoso.com', displayName: 'Dave Dunn', licenses: ['im'], presence: 'online', onDuty: true },
    ],
    // Bob answers Support and supervises Sales only; Alice is a tenant admin; Dave supervises nothing.
    services: t.services.map((s) => (s.id === 'sales' ? { ...s, supervisors: ['bob'] } : s)),
  };
}

let h: Harness;
let alice: string;
let bob: string;
let dave: string;
beforeAll(async () => {
  h = await startHarness({ tenants: [tenant()], env: { INTERACT_RATE_LIMIT_SCALE: '0' } });
  alice = await h.devToken('alice@contoso.com');
  bob = await h.devToken('bob@contoso.com');
  dave = await h.devToken('dave@contoso.com');
  // Alice watches; Bob alone takes Support's chats (offered to him, they keep their place in the queue until he accepts).
  expect((await h.call('POST', '/api/agent/me/duty', { onDuty: false }, alice)).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

const start = async (name: string, message: string, code = 'support') =>
  (
    await h.call('POST', `/api/interact/${code}/chats`, {
      displayName: name,
      email: `${name.toLowerCase()}@example.com`,
      privacyAccepted: true,
      message,
    })
  ).data as { chatId: string; token: string };

type Frame = { id: number; data: any };
/** The newest frame of a type whose data passes `pick`. */
const latest = (events: Frame[], type: string) => [...events].reverse().find((e) => e.data.type === type)?.data;

const queueOf = (events: Frame[]) =>
  (latest(events, 'queue')?.tasks ?? [])
    .filter((t: any) => t.state !== 'workflow')
    .map((t: any) => `${t.customer.displayName}#${t.position}`);

test('the queue board moves live: positions change as a chat ahead leaves', async () => {
  const s = openStream(h.url, '/api/supervisor/events?service=support', alice);
  await s.ready;
  await waitFor('the first snapshots', () => latest(s.events, 'queue') && latest(s.events, 'agents') && latest(s.events, 'sessions'));
  const carol = await start('Carol', 'First in line');
  const dan = await start('Dan', 'Second in line');
  await waitFor('Carol 1st and Dan 2nd', () => queueOf(s.events).join() === 'Carol#1,Dan#2');
  await h.call('POST', `/api/interact/chats/${carol.chatId}/end`, {}, carol.token);
  await waitFor('Dan moves up to 1st', () => queueOf(s.events).join() === 'Dan#1');
  // The agents board names Support's members with their state.
  const agents = latest(s.events, 'agents').agents;
  expect(agents.map((a: any) => [a.userId, a.state])).toEqual(
    expect.arrayContaining([
      ['alice', 'offDuty'],
      ['bob', 'available'],
    ]),
  );
  s.close();
  await h.call('POST', `/api/interact/chats/${dan.chatId}/end`, {}, dan.token);
});

test("one user's streams are capped: a seventh closes the oldest, the others stay", async () => {
  const streams = [];
  for (let i = 0; i < 7; i++) {
    const s = openStream(h.url, '/api/supervisor/events', alice);
    await s.ready;
    streams.push(s);
  }
  await streams[0]!.ended;
  const still = await Promise.race([streams[1]!.ended.then(() => 'ended'), new Promise((r) => setTimeout(() => r('open'), 300))]);
  expect(still).toBe('open');
  for (const s of streams) s.close();
});

test('monitor, take over, reassign, end: the chat goes where the supervisor says, and everyone is told', async () => {
  const erin = await start('Erin', 'My order is late');
  const task = await waitFor('Erin queued', async () => {
    const r = await h.call('GET', '/api/supervisor/queue?service=support', undefined, alice);
    return r.data.tasks.find((t: any) => t.customer.displayName === 'Erin' && t.state !== 'workflow');
  });
  // A waiting chat can be given a higher priority.
  expect((await h.call('POST', `/api/supervisor/tasks/${task.id}/priority`, { priority: 'high' }, alice)).status).toBe(200);
  expect((await h.call('POST', `/api/supervisor/tasks/${task.id}/priority`, { priority: 'urgent!' }, alice)).status).toBe(400);
  const q = (await h.call('GET', '/api/supervisor/queue?service=support', undefined, alice)).data.tasks;
  expect(q.find((t: any) => t.id === task.id).priority).toBe('high');

  // Bob accepts.
  await waitFor('the offer to Bob', async () => {
    const r = await h.call('GET', '/api/agent/sessions', undefined, bob);
    return r.data.sessions.find((x: any) => x.id === task.id && x.state === 'offered');
  });
  expect((await h.call('POST', `/api/agent/sessions/${task.id}/accept`, {}, bob)).status).toBe(200);

  // Alice monitors: both sides' next messages reach her stream.
  const mon = openStream(h.url, `/api/supervisor/events?service=support&monitor=${task.id}`, alice);
  await mon.ready;
  await waitFor('the monitor state', () => latest(mon.events, 'monitor')?.state === 'connected');
  await h.call('POST', `/api/interact/chats/${erin.chatId}/messages`, { text: 'Any news?' }, erin.token);
  expect((await h.call('POST', `/api/agent/sessions/${task.id}/messages`, { text: 'Checking now' }, bob)).status).toBe(201);
  const said = () => mon.events.filter((e) => e.data.type === 'message').map((e) => `${e.data.message.from}: ${e.data.message.text}`);
  await waitFor('both sides in the monitor', () => said().includes('customer: Any news?') && said().includes('agent: Checking now'));

  // Resuming with Last-Event-ID replays what was missed, once.
  const lastId = mon.events.filter((e) => e.data.type === 'message').at(-1)!.id;
  const firstId = mon.events.find((e) => e.data.type === 'message')!.id;
  const resumed = openStream(h.url, `/api/supervisor/events?service=support&monitor=${task.id}`, alice, String(firstId));
  await resumed.ready;
  await waitFor('the missed message replayed', () =>
    resumed.events.some((e) => e.data.type === 'message' && e.data.message.text === 'Checking now'),
  );
  expect(resumed.events.filter((e) => e.data.type === 'message' && e.id <= firstId)).toEqual([]);
  expect(lastId).toBeGreaterThan(firstId);
  resumed.close();

  // Alice takes over.
  const bobStream = openAgentStream(h.url, bob);
  const aliceStream = openAgentStream(h.url, alice);
  await Promise.all([bobStream.ready, aliceStream.ready]);
  const took = await h.call('POST', `/api/supervisor/sessions/${task.id}/takeover`, {}, alice);
  expect(took.status).toBe(200);
  const next = took.data.newTaskId as string;
  expect(next).toMatch(/^task/);
  expect((await h.call('POST', `/api/supervisor/sessions/${task.id}/takeover`, {}, alice)).data.error.code).toBe('not_connected');
  // Bob's tab: the session ended, taken over by Alice.
  const bobs = (await h.call('GET', '/api/agent/sessions', undefined, bob)).data.sessions.find((x: any) => x.id === task.id);
  expect(bobs).toMatchObject({ state: 'ended', outcome: 'transferred', endedBy: 'supervisor' });
  expect(bobs.supervisor).toEqual({ userId: 'alice', displayName: 'Alice Anders', action: 'takeover' });
  // The customer is told who joined; their next message reaches Alice only.
  const seen = await h.call('GET', `/api/interact/chats/${erin.chatId}/messages`, undefined, erin.token);
  expect(seen.data.messages.map((m: any) => m.text)).toContain('Alice Anders joined the chat.');
  await h.call('POST', `/api/interact/chats/${erin.chatId}/messages`, { text: 'Hello Alice?' }, erin.token);
  await waitFor('Alice gets it', () =>
    aliceStream.events.some((e) => e.data.type === 'message' && e.data.sessionId === next && e.data.message.text === 'Hello Alice?'),
  );
  await waitFor('the monitor follows the chat to its new agent', () => latest(mon.events, 'monitor')?.userId === 'alice');
  expect(said()).toContain('customer: Hello Alice?');
  await new Promise((r) => setTimeout(r, 300));
  expect(bobStream.events.some((e) => e.data.type === 'message' && e.data.message?.text === 'Hello Alice?')).toBe(false);
  expect((await h.call('POST', `/api/agent/sessions/${task.id}/messages`, { text: 'still me' }, bob)).status).toBe(409);
  expect((await h.call('POST', `/api/agent/sessions/${next}/messages`, { text: 'Alice here' }, alice)).status).toBe(201);

  // Reassign to Bob: Dave is no member (409 with the reason); Bob is eligible.
  const refused = await h.call('POST', `/api/supervisor/sessions/${next}/reassign`, { userId: 'dave' }, alice);
  expect([refused.status, refused.data.error.code]).toEqual([409, 'not_eligible']);
  expect((await h.call('POST', `/api/supervisor/sessions/${next}/reassign`, { userId: 'alice' }, alice)).data.error.code).toBe(
    'same_agent',
  );
  expect((await h.call('POST', `/api/supervisor/sessions/${next}/reassign`, { userId: ['bob'] }, alice)).status).toBe(400);
  expect((await h.call('POST', `/api/supervisor/sessions/${next}/reassign`, { userId: 'nobody' }, alice)).status).toBe(400);
  const given = await h.call('POST', `/api/supervisor/sessions/${next}/reassign`, { userId: 'bob' }, alice);
  expect(given.status).toBe(200);
  const third = given.data.newTaskId as string;
  await waitFor('Bob has the chat again, told by a notice', () =>
    bobStream.events.some((e) => e.data.type === 'notice' && /gave you the chat with Erin/.test(e.data.text)),
  );
  expect((await h.call('POST', `/api/agent/sessions/${third}/messages`, { text: 'Bob again' }, bob)).status).toBe(201);

  // End: the customer's chat is over and Bob's tab says who ended it.
  expect((await h.call('POST', `/api/supervisor/sessions/${third}/end`, {}, alice)).status).toBe(200);
  const state = await h.call('GET', `/api/interact/chats/${erin.chatId}`, undefined, erin.token);
  expect(state.data.state).toBe('ended');
  const ended = (await h.call('GET', '/api/agent/sessions', undefined, bob)).data.sessions.find((x: any) => x.id === third);
  expect(ended).toMatchObject({ state: 'ended', endedBy: 'supervisor', supervisor: { action: 'end', displayName: 'Alice Anders' } });
  await waitFor('the monitor says ended', () => latest(mon.events, 'monitor')?.state === 'ended');

  // Reporting: each session is right, and the audit names every action.
  const rows = (await h.call('GET', '/api/reporting/sessions?service=support', undefined, alice)).data.sessions as any[];
  const byId = Object.fromEntries(rows.map((r) => [r.taskId, r]));
  expect(byId[task.id]).toMatchObject({ userId: 'bob', outcome: 'transferred', endedBy: 'supervisor', takenOverBy: 'alice' });
  expect(byId[next]).toMatchObject({ userId: 'alice', outcome: 'transferred', transferredFrom: task.id });
  expect(byId[third]).toMatchObject({ userId: 'bob', outcome: 'handled', endedBy: 'supervisor', supervisorId: 'alice' });
  const audit = (await h.call('GET', '/api/admin/audit', undefined, alice)).data.entries.map((e: any) => e.action);
  expect(audit).toEqual(expect.arrayContaining(['supervisor.priority', 'supervisor.takeover', 'supervisor.reassign', 'supervisor.end']));
  for (const s of [mon, bobStream, aliceStream]) s.close();
});

test('a waiting chat is moved to another service; a supervisor of another service is refused everywhere', async () => {
  const finn = await start('Finn', 'Wrong department');
  const task = await waitFor('Finn queued', async () => {
    const r = await h.call('GET', '/api/supervisor/queue?service=support', undefined, alice);
    return r.data.tasks.find((t: any) => t.customer.displayName === 'Finn' && t.state !== 'workflow');
  });
  // Bob supervises Sales: Support's chat, stream and actions are not his.
  for (const [method, path, body] of [
    ['POST', `/api/supervisor/sessions/${task.id}/takeover`, {}],
    ['POST', `/api/supervisor/sessions/${task.id}/end`, {}],
    ['POST', `/api/supervisor/sessions/${task.id}/reassign`, { userId: 'bob' }],
    ['POST', `/api/supervisor/tasks/${task.id}/move`, { serviceId: 'sales' }],
    ['POST', `/api/supervisor/tasks/${task.id}/priority`, { priority: 'high' }],
    ['GET', `/api/supervisor/sessions/${task.id}/messages`, undefined],
    ['GET', '/api/supervisor/agents?service=support', undefined],
    ['GET', '/api/supervisor/events?service=support', undefined],
    ['GET', `/api/supervisor/events?monitor=${task.id}`, undefined],
  ] as const) {
    const r = await h.call(method, path, body, bob);
    expect([path, r.status, r.data?.error?.code]).toEqual([path, 403, 'forbidden']);
    const d = await h.call(method, path, body, dave);
    expect([path, d.status]).toEqual([path, 403]);
    expect([path, (await h.call(method, path, body)).status]).toEqual([path, 401]);
  }
  expect((await h.call('GET', '/api/supervisor/services', undefined, dave)).status).toBe(403);
  expect((await h.call('GET', '/api/supervisor/services', undefined, bob)).data).toEqual({
    admin: false,
    services: [{ id: 'sales', name: expect.any(String), serviceLevelSec: 20, imEnabled: true }],
  });
  // Strange input: clear 4xx answers.
  expect((await h.call('POST', `/api/supervisor/tasks/${task.id}/move`, { serviceId: 'nosuch' }, alice)).status).toBe(400);
  expect((await h.call('POST', `/api/supervisor/tasks/${task.id}/move`, { serviceId: 'support' }, alice)).data.error.code).toBe(
    'same_service',
  );
  expect((await h.call('POST', `/api/supervisor/tasks/${task.id}/move`, 'sales', alice)).status).toBe(400);
  expect((await h.call('POST', `/api/supervisor/sessions/${task.id}/takeover`, {}, alice)).data.error.code).toBe('not_connected');
  expect((await h.call('POST', '/api/supervisor/sessions/no-such-task/end', {}, alice)).status).toBe(404);
  expect((await h.call('POST', `/api/supervisor/sessions/${'x'.repeat(500)}/end`, {}, alice)).status).toBe(404);
  expect((await h.call('GET', '/api/supervisor/events?monitor=../../x', undefined, alice)).status).toBe(404);

  const moved = await h.call('POST', `/api/supervisor/tasks/${task.id}/move`, { serviceId: 'sales' }, alice);
  expect(moved.status).toBe(200);
  // The chat goes on in Sales (whose workflow runs: nobody is on duty there, so it tells Finn and ends).
  const inSales = await waitFor('Finn in Sales', async () => {
    const r = await h.call('GET', '/api/reporting/sessions?service=sales', undefined, bob);
    return r.data.sessions.find((x: any) => x.taskId === moved.data.newTaskId);
  });
  expect(inSales).toMatchObject({ serviceId: 'sales', transferredFrom: task.id });
  const old = (await h.call('GET', '/api/reporting/sessions?service=support', undefined, alice)).data.sessions.find(
    (r: any) => r.taskId === task.id,
  );
  expect(old).toMatchObject({ outcome: 'transferred', transferredTo: 'sales', endedBy: 'supervisor', supervisorId: 'alice' });
  await h.call('POST', `/api/interact/chats/${finn.chatId}/end`, {}, finn.token);
});

/**
 * Live operations, read side (issue 15): a supervisor sees the waiting chats of their services with
 * positions, the open sessions with their agents, and a session's whole conversation; a supervisor
 * of another service, or a user who supervises nothing, is refused everywhere.
 */
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { startHarness, waitFor, type Harness } from './harness';

function tenant(): TenantConfig {
  const t = demoTenant();
  return {
    ...t,
    users: [
      ...t.users,
      { id: 'dave', upn: 'dave@contoso.com', displayName: 'Dave Dunn', licenses: ['im'], presence: 'online', onDuty: true },
    ],
    // Bob answers Support and supervises Sales only; Alice is a tenant admin.
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
  // Alice watches; Bob alone takes Support's chats.
  expect((await h.call('POST', '/api/agent/me/duty', { onDuty: false }, alice)).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

const start = async (name: string, message: string) =>
  (
    await h.call('POST', '/api/interact/support/chats', {
      displayName: name,
      email: 'c@example.com',
      privacyAccepted: true,
      message,
    })
  ).data as { chatId: string; token: string };

test('a supervisor sees the waiting chat with its position, then the session with its agent, then both sides of it', async () => {
  const chat = await start('Carol', 'Where is my parcel?');
  const queued = await waitFor('the chat in the queue', async () => {
    const r = await h.call('GET', '/api/supervisor/queue?service=support', undefined, alice);
    expect(r.status).toBe(200);
    // Offered to Bob (a moment before, it may still be queued: accepting that is refused).
    return r.data.tasks.find((t: any) => t.customer.displayName === 'Carol' && t.state === 'offered');
  });
  expect(queued).toMatchObject({ serviceId: 'support', channel: 'interact', position: 1, firstMessage: 'Where is my parcel?' });
  expect(queued.waitingSec).toBeGreaterThanOrEqual(0);
  expect(queued.id).toMatch(/^task/);

  // Bob accepts and answers: the chat leaves the queue and shows as his session.
  expect((await h.call('POST', `/api/agent/sessions/${queued.id}/accept`, {}, bob)).status).toBe(200);
  expect((await h.call('POST', `/api/agent/sessions/${queued.id}/messages`, { text: 'On its way' }, bob)).status).toBe(201);
  const q = await h.call('GET', '/api/supervisor/queue', undefined, alice);
  expect(q.data.tasks.map((t: any) => t.id)).not.toContain(queued.id);
  const sessions = (await h.call('GET', '/api/supervisor/sessions?service=support', undefined, alice)).data.sessions;
  expect(sessions).toEqual([
    expect.objectContaining({
      id: queued.id,
      state: 'connected',
      serviceId: 'support',
      channel: 'interact',
      userId: 'bob',
      agentName: 'Bob Berg',
      customer: { displayName: 'Carol' },
    }),
  ]);
  const messages = (await h.call('GET', `/api/supervisor/sessions/${queued.id}/messages`, undefined, alice)).data.messages;
  const texts = messages.map((m: any) => `${m.from}: ${m.text}`);
  expect(texts).toContain('customer: Where is my parcel?');
  expect(texts).toContain('agent: On its way');
  const later = (await h.call('GET', `/api/supervisor/sessions/${queued.id}/messages?after=${messages.at(-1).seq}`, undefined, alice)).data;
  expect(later.messages).toEqual([]);
  await h.call('POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token);
});

test("a supervisor of another service sees none of Support's, and a user who supervises nothing is refused everywhere", async () => {
  const chat = await start('Erin', 'Hello?');
  const task = await waitFor('Erin in the queue', async () => {
    const r = await h.call('GET', '/api/supervisor/queue', undefined, alice);
    return r.data.tasks.find((t: any) => t.customer.displayName === 'Erin' && t.state !== 'workflow');
  });
  // Each waiting chat shows its own first message (read for the whole board at once).
  const finn = await start('Finn', 'A second question');
  const board = await waitFor('both chats waiting', async () => {
    const r = await h.call('GET', '/api/supervisor/queue?service=support', undefined, alice);
    const names = r.data.tasks.filter((t: any) => t.state !== 'workflow').map((t: any) => t.customer.displayName);
    return names.includes('Erin') && names.includes('Finn') ? r.data.tasks : undefined;
  });
  expect(Object.fromEntries(board.map((t: any) => [t.customer.displayName, t.firstMessage]))).toMatchObject({
    Erin: 'Hello?',
    Finn: 'A second question',
  });
  await h.call('POST', `/api/interact/chats/${finn.chatId}/end`, {}, finn.token);
  // Bob supervises Sales: his view holds Sales only.
  expect((await h.call('GET', '/api/supervisor/queue?service=support', undefined, bob)).status).toBe(403);
  expect((await h.call('GET', '/api/supervisor/sessions?service=support', undefined, bob)).status).toBe(403);
  const own = await h.call('GET', '/api/supervisor/queue', undefined, bob);
  expect(own.status).toBe(200);
  expect(own.data.tasks.every((t: any) => t.serviceId === 'sales')).toBe(true);
  expect((await h.call('GET', '/api/supervisor/sessions?service=sales', undefined, bob)).status).toBe(200);
  expect((await h.call('GET', `/api/supervisor/sessions/${task.id}/messages`, undefined, bob)).status).toBe(403);

  for (const path of ['/api/supervisor/queue', '/api/supervisor/sessions', `/api/supervisor/sessions/${task.id}/messages`]) {
    const r = await h.call('GET', path, undefined, dave);
    expect([path, r.status, r.data.error.code]).toEqual([path, 403, 'forbidden']);
    expect((await h.call('GET', path)).status).toBe(401);
  }
  // Strange input: a clear 400, never a 500.
  expect((await h.call('GET', '/api/supervisor/queue?service=../../etc', undefined, alice)).status).toBe(400);
  expect((await h.call('GET', `/api/supervisor/sessions/${task.id}/messages?after=-1`, undefined, alice)).status).toBe(400);
  expect((await h.call('GET', '/api/supervisor/sessions/nope/messages', undefined, alice)).status).toBe(404);
  expect((await h.call('GET', '/api/supervisor/queue?service=nosuch', undefined, alice)).status).toBe(403);
  await h.call('POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token);
});

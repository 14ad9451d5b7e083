/**
 * Routing through the real server, pinned before bot/ is reshaped (issue 12): an agent's transfer,
 * a decline passing the offer on, the per-service Active switch, and queue priority. Each test
 * names who is offered what, so a move that routes differently fails here.
 */
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import type { WorkflowDefinition } from '@stratus/shared/workflow/definition';
import { openCustomerSocket, startHarness, waitFor, type Harness } from './harness';

/** Accept, raise the priority of customers whose name says VIP, queue; Disconnect as Handled after the session. */
const vipWorkflow: WorkflowDefinition = {
  id: 'vip-first',
  name: 'VIP first',
  start: 'accept',
  nodes: {
    accept: { activity: 'accept', exits: { next: 'vip' } },
    vip: {
      activity: 'checkParameter',
      params: { parameter: 'Customer.DisplayName', conditions: [{ op: 'contains', value: 'VIP', exit: 'raise' }] },
      exits: { raise: 'raise', noMatch: 'queue' },
    },
    raise: { activity: 'distributionPriority', params: { priority: 'high' }, exits: { next: 'queue' } },
    queue: { activity: 'queue', exits: { connectedEnded: 'done', timeout: 'bye', nobodyEligible: 'bye', customerLeft: 'bye' } },
    bye: { activity: 'disconnect' },
    done: { activity: 'disconnectAsHandled' },
  },
};

function tenant(): TenantConfig {
  const t = demoTenant();
  const support = t.services[0]!;
  return {
    ...t,
    users: [
      ...t.users,
      {
        id: 'dana',
        upn: 'dana@contoso.com',
        displayName: 'Dana Diaz',
        licenses: ['im'],
        presence: 'online',
        onDuty: true,
        inBlockingCall: false,
      },
    ],
    services: [
      ...t.services,
      // Dana alone, room for one chat: every other chat waits in the queue, in queue order.
      JSON.parse(
        JSON.stringify({
          ...support,
          id: 'desk',
          name: 'Desk',
          members: [{ userId: 'dana', active: true }],
          supervisors: [],
          im: {
            ...support.im,
            workflowId: vipWorkflow.id,
            interact: { code: 'desk', allowedOrigins: [] },
            whatsapp: undefined,
            distribution: { ...support.im.distribution, maxConcurrentIm: 1 },
          },
        }),
      ),
      // Dana's second service: every chat there starts at High priority.
      JSON.parse(
        JSON.stringify({
          ...support,
          id: 'urgent',
          name: 'Urgent',
          members: [{ userId: 'dana', active: true }],
          supervisors: [],
          im: {
            ...support.im,
            interact: { code: 'urgent', allowedOrigins: [] },
            whatsapp: undefined,
            distribution: { ...support.im.distribution, maxConcurrentIm: 1, defaultPriority: 'high' },
          },
        }),
      ),
    ],
    workflows: [...t.workflows, vipWorkflow],
  };
}

let h: Harness;
let alice: string;
let bob: string;
let dana: string;
beforeAll(async () => {
  h = await startHarness({ tenants: [tenant()], env: { INTERACT_RATE_LIMIT_SCALE: '0' } });
  alice = await h.devToken('alice@contoso.com');
  bob = await h.devToken('bob@contoso.com');
  dana = await h.devToken('dana@contoso.com');
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

type Chat = { chatId: string; token: string };
const start = async (code: string, name: string, message = 'Hello'): Promise<Chat> => {
  const r = await h.call('POST', `/api/interact/${code}/chats`, {
    displayName: name,
    email: 'c@example.com',
    privacyAccepted: true,
    message,
  });
  expect(r.status).toBe(201);
  return r.data;
};
const sessionsOf = async (token: string): Promise<any[]> => (await h.call('GET', '/api/agent/sessions', undefined, token)).data.sessions;
const sessionFor = async (token: string, customer: string) =>
  (await sessionsOf(token)).find((s) => s.customer.displayName === customer && s.state !== 'ended');
const offerTo = (token: string, customer: string) =>
  waitFor(`an offer for ${customer}`, async () =>
    (await sessionsOf(token)).find((s) => s.state === 'offered' && s.customer.displayName === customer),
  );
/** Whichever of the agents is offered the customer's chat. */
const offerToAny = (agents: Record<string, string>, customer: string) =>
  waitFor(`an offer for ${customer}`, async () => {
    for (const [name, token] of Object.entries(agents)) {
      const s = (await sessionsOf(token)).find((x) => x.state === 'offered' && x.customer.displayName === customer);
      if (s) return { name, token, id: s.id as string };
    }
    return undefined;
  });
const act = (token: string, id: string, verb: 'accept' | 'decline' | 'end') =>
  h.call('POST', `/api/agent/sessions/${id}/${verb}`, {}, token);
const duty = async (token: string, onDuty: boolean) =>
  expect((await h.call('POST', '/api/agent/me/duty', { onDuty }, token)).status).toBe(200);
const setActive = (token: string, serviceId: string, active: boolean) =>
  h.call('POST', `/api/agent/me/services/${serviceId}/active`, { active }, token);
const chatState = async (chat: Chat) => (await h.call('GET', `/api/interact/chats/${chat.chatId}`, undefined, chat.token)).data;
const reportOf = async (chatId: string): Promise<any[]> =>
  ((await h.call('GET', '/api/reporting/sessions', undefined, alice)).data.sessions as any[])
    .filter((s) => s.conversationId === chatId)
    .sort((a, b) => a.createdAt - b.createdAt);
/** Long enough for a few distribution passes (every 500 ms here, and one after each change). */
const settle = () => new Promise((r) => setTimeout(r, 800));

test('an agent transfers a connected chat: the customer is told and queued again, the old session ends as transferred, the target service is offered it', async () => {
  await duty(alice, false);
  const chat = await start('support', 'Tara');
  const offer = await offerTo(bob, 'Tara');
  expect((await act(bob, offer.id, 'accept')).status).toBe(200);
  const { ws, frames } = await openCustomerSocket(h.url, chat.chatId, chat.token);

  const unknown = await h.call('POST', `/api/agent/sessions/${offer.id}/transfer`, { serviceId: 'nowhere' }, bob);
  expect(unknown.status).toBe(400);
  expect(unknown.data.error.code).toBe('unknown_service');
  const same = await h.call('POST', `/api/agent/sessions/${offer.id}/transfer`, { serviceId: 'support' }, bob);
  expect(same.status).toBe(400);
  expect(same.data.error.code).toBe('same_service');
  expect((await chatState(chat)).state).toBe('connected');

  await duty(alice, true);
  const moved = await h.call('POST', `/api/agent/sessions/${offer.id}/transfer`, { serviceId: 'sales' }, bob);
  expect(moved.status).toBe(200);
  expect(moved.data.session).toMatchObject({ id: offer.id, state: 'ended', outcome: 'transferred', serviceId: 'support' });

  // Sales has Alice alone: she is offered a new task of the same conversation.
  const salesOffer = await offerTo(alice, 'Tara');
  expect(salesOffer).toMatchObject({ serviceId: 'sales', state: 'offered' });
  expect(salesOffer.id).not.toBe(offer.id);
  const notice = await waitFor(
    'the transfer notice',
    () => frames.findIndex((f) => f.type === 'message' && f.message.text === 'You are being transferred to Sales.') + 1,
  );
  await waitFor('the customer to be queued again', () => frames.slice(notice).some((f) => f.type === 'state' && f.state === 'queued'));
  expect((await chatState(chat)).state).toBe('queued');

  // Bob's session is over: it cannot be transferred again; Alice's offer cannot be transferred before she accepts.
  expect((await sessionsOf(bob)).find((s) => s.id === offer.id)).toMatchObject({ state: 'ended', outcome: 'transferred' });
  const again = await h.call('POST', `/api/agent/sessions/${offer.id}/transfer`, { serviceId: 'sales' }, bob);
  expect(again.status).toBe(409);
  expect(again.data.error.code).toBe('not_connected');
  const early = await h.call('POST', `/api/agent/sessions/${salesOffer.id}/transfer`, { serviceId: 'support' }, alice);
  expect(early.status).toBe(409);
  expect(early.data.error.code).toBe('not_connected');

  const [old, next] = await reportOf(chat.chatId);
  expect(old).toMatchObject({
    taskId: offer.id,
    serviceId: 'support',
    userId: 'bob',
    outcome: 'transferred',
    endedBy: 'agent',
    transferredTo: 'sales',
  });
  expect(next).toMatchObject({ taskId: salesOffer.id, serviceId: 'sales', transferredFrom: offer.id, offeredUserIds: ['alice'] });
  expect(next.outcome).toBeUndefined();

  expect((await act(alice, salesOffer.id, 'accept')).status).toBe(200);
  await waitFor('connected to Alice', () =>
    frames.slice(notice).some((f) => f.type === 'state' && f.state === 'connected' && f.agentName === 'Alice Anders'),
  );
  expect((await act(alice, salesOffer.id, 'end')).status).toBe(200);
  expect((await reportOf(chat.chatId)).map((s) => s.outcome)).toEqual(['transferred', 'handled']);
  ws.close();
});

test('a declined offer goes to the other eligible agent, and reporting records the decline', async () => {
  const agents = { alice, bob };
  const chat = await start('support', 'Dina');
  const first = await offerToAny(agents, 'Dina');
  const declined = await act(first.token, first.id, 'decline');
  expect(declined.status).toBe(200);
  expect(declined.data.session).toMatchObject({ id: first.id, state: 'ended' });

  const otherName = first.name === 'alice' ? 'bob' : 'alice';
  const other = agents[otherName];
  const second = await offerTo(other, 'Dina');
  expect(second.id).toBe(first.id);
  // The declined offer leaves the decliner's list.
  expect((await sessionsOf(first.token)).some((s) => s.id === first.id)).toBe(false);
  expect((await act(other, second.id, 'accept')).status).toBe(200);
  // Declining a chat one has accepted: the offer is gone.
  const own = await act(other, second.id, 'decline');
  expect(own.status).toBe(409);
  expect(own.data.error.code).toBe('offer_gone');

  expect((await act(other, second.id, 'end')).status).toBe(200);
  const [session] = await reportOf(chat.chatId);
  expect(session).toMatchObject({
    offeredUserIds: [first.name, otherName],
    offers: 2,
    declines: 1,
    misses: 0,
    userId: otherName,
    outcome: 'handled',
  });
});

// Fails today: the decliner no longer holds an offer row, so lockMine answers 403 not_your_session
// ("This session is not yours.", which the Teams card shows too) instead of 409 offer_gone.
test('declining an offer that is gone (declined already, then taken by the other agent) answers 409 offer_gone', async () => {
  const agents = { alice, bob };
  const chat = await start('support', 'Gina');
  const first = await offerToAny(agents, 'Gina');
  expect((await act(first.token, first.id, 'decline')).status).toBe(200);
  const other = first.name === 'alice' ? bob : alice;
  const second = await offerTo(other, 'Gina');
  try {
    const again = await act(first.token, first.id, 'decline');
    expect([again.status, again.data.error?.code]).toEqual([409, 'offer_gone']);
    expect((await act(other, second.id, 'accept')).status).toBe(200);
    const taken = await act(first.token, first.id, 'decline');
    expect([taken.status, taken.data.error?.code]).toEqual([409, 'offer_gone']);
  } finally {
    await h.call('POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token);
  }
});

test('an agent who switches Active off for a service gets none of its chats, the other agent does; switching it on resumes them', async () => {
  const off = await setActive(alice, 'support', false);
  expect(off.status).toBe(200);
  expect(off.data.services.find((s: any) => s.id === 'support')).toMatchObject({ active: false });
  try {
    const ava = await start('support', 'Ava');
    const toBob = await offerTo(bob, 'Ava');
    // Bob declines: with Alice inactive he is the only one left, so it comes back to him, never to her.
    expect((await act(bob, toBob.id, 'decline')).status).toBe(200);
    await waitFor('Ava offered to Bob again', async () => (await sessionFor(bob, 'Ava'))?.state === 'offered');
    await settle();
    expect((await sessionsOf(alice)).some((s) => s.customer.displayName === 'Ava')).toBe(false);
    expect((await reportOf(ava.chatId))[0].offeredUserIds).toEqual(['bob']);
    expect((await h.call('POST', `/api/interact/chats/${ava.chatId}/end`, {}, ava.token)).status).toBe(200);

    // Alice on again, Bob off for support: the next chat is hers.
    expect((await setActive(bob, 'support', false)).status).toBe(200);
    const on = await setActive(alice, 'support', true);
    expect(on.data.services.find((s: any) => s.id === 'support')).toMatchObject({ active: true });
    expect((await h.call('GET', '/api/agent/me', undefined, alice)).data.services.find((s: any) => s.id === 'support').active).toBe(true);
    const avi = await start('support', 'Avi');
    const toAlice = await offerTo(alice, 'Avi');
    await settle();
    expect((await sessionsOf(bob)).some((s) => s.customer.displayName === 'Avi')).toBe(false);
    expect((await act(alice, toAlice.id, 'accept')).status).toBe(200);
    expect((await act(alice, toAlice.id, 'end')).status).toBe(200);
    expect((await reportOf(avi.chatId))[0]).toMatchObject({ offeredUserIds: ['alice'], outcome: 'handled' });
  } finally {
    await setActive(alice, 'support', true);
    await setActive(bob, 'support', true);
  }
});

test('with the one agent at capacity, a chat whose workflow raised its priority is offered before chats queued earlier', async () => {
  const anna = await start('desk', 'Anna');
  const annaOffer = await offerTo(dana, 'Anna');
  expect((await act(dana, annaOffer.id, 'accept')).status).toBe(200);
  const waiting: Record<string, Chat> = {};
  for (const name of ['Ben', 'Cleo', 'VIP Vera']) {
    waiting[name] = await start('desk', name);
    await waitFor(`${name} queued`, async () => (await chatState(waiting[name]!)).state === 'queued');
  }
  // Queue positions already put Vera first, then the others by time queued.
  expect((await chatState(waiting['VIP Vera']!)).position).toBe(1);
  expect((await chatState(waiting.Ben!)).position).toBe(2);
  expect((await chatState(waiting.Cleo!)).position).toBe(3);
  await settle();
  expect((await sessionsOf(dana)).filter((s) => s.state === 'offered')).toEqual([]);

  const served: string[] = [];
  let current = annaOffer.id as string;
  for (let i = 0; i < 3; i++) {
    expect((await act(dana, current, 'end')).status).toBe(200);
    const next = await waitFor('the next offer', async () => (await sessionsOf(dana)).find((s) => s.state === 'offered'));
    served.push(next.customer.displayName);
    expect((await act(dana, next.id, 'accept')).status).toBe(200);
    current = next.id;
  }
  expect(served).toEqual(['VIP Vera', 'Ben', 'Cleo']);
  expect((await act(dana, current, 'end')).status).toBe(200);
  expect((await reportOf(anna.chatId))[0].outcome).toBe('handled');
});

// Priority across an agent's services: a pass serves the queues in the order of their next tasks
// (serviceOrder), so her free slot goes to the High chat of her other service.
test('an agent in two services is offered the High chat of one before the Normal chats queued earlier in the other', async () => {
  const first = await start('desk', 'Finn');
  const firstOffer = await offerTo(dana, 'Finn');
  expect((await act(dana, firstOffer.id, 'accept')).status).toBe(200);
  const waiting = [await start('desk', 'Nell'), await start('desk', 'Nico')];
  await settle();
  const urgent = await start('urgent', 'Hugo');
  try {
    await waitFor('Hugo queued', async () => (await chatState(urgent)).state === 'queued');
    expect((await act(dana, firstOffer.id, 'end')).status).toBe(200);
    const next = await waitFor('the next offer', async () => (await sessionsOf(dana)).find((s) => s.state === 'offered'));
    expect(next).toMatchObject({ serviceId: 'urgent', customer: { displayName: 'Hugo' } });
  } finally {
    for (const c of [first, ...waiting, urgent]) await h.call('POST', `/api/interact/chats/${c.chatId}/end`, {}, c.token);
  }
});

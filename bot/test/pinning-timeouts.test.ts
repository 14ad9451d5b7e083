/**
 * Timers through the real server, pinned before bot/ is reshaped (issue 12): an offer nobody
 * answers is redirected and, with persistent RONA, parks the agent until they reset it; a Cancel
 * Task activity withdraws the offer and ends the task; a chat queued past its maximum time takes
 * the workflow's timeout path. The server's clock is the wall clock plus an offset the tests move,
 * so each test leaves no chat open that a later jump could touch.
 */
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import type { WorkflowDefinition } from '@stratus/shared/workflow/definition';
import { startHarness, waitFor, type Harness } from './harness';

let offsetMs = 0;
const clock = { now: () => Date.now() + offsetMs };
const advance = (sec: number) => {
  offsetMs += sec * 1000;
};

/** Queue, and if nobody has taken the chat 20 s later, cancel it with a message. */
const callbackWorkflow: WorkflowDefinition = {
  id: 'callback',
  name: 'Callback after 20 s',
  start: 'accept',
  nodes: {
    accept: { activity: 'accept', exits: { next: 'queue' } },
    queue: {
      activity: 'queueTask',
      exits: { next: 'hold', connectedEnded: 'done', timeout: 'bye', nobodyEligible: 'bye', customerLeft: 'bye' },
    },
    hold: { activity: 'delay', params: { seconds: 20 }, exits: { next: 'cancel' } },
    cancel: { activity: 'cancelTask', exits: { next: 'sorry' } },
    sorry: {
      activity: 'message',
      params: { text: 'Sorry, {{Customer.DisplayName}}, nobody is free. We will call you back.' },
      exits: { next: 'bye' },
    },
    bye: { activity: 'disconnect' },
    done: { activity: 'disconnectAsHandled' },
  },
};

function tenant(): TenantConfig {
  const t = demoTenant();
  const [support] = t.services;
  const service = (id: string, userId: string, extra: Record<string, unknown> = {}) =>
    JSON.parse(
      JSON.stringify({
        ...support,
        id,
        name: id[0]!.toUpperCase() + id.slice(1),
        members: [{ userId, active: true }],
        supervisors: [],
        im: { ...support!.im, interact: { code: id, allowedOrigins: [] }, whatsapp: undefined, ...extra },
      }),
    );
  const user = (id: string, presence: 'online' | 'busy') => ({
    id,
    upn: `${id}@contoso.com`,
    displayName: id,
    licenses: ['im' as const],
    presence,
    onDuty: true,
    inBlockingCall: false,
  });
  return {
    ...t,
    users: [...t.users, user('cy', 'online'), user('pat', 'busy')],
    services: [
      {
        ...support!,
        im: {
          ...support!.im,
          distribution: { ...support!.im.distribution, offerTimeoutSec: 30, persistentRona: { enabled: true, resetSec: 600 } },
        },
      },
      // Cy is offered the chat; the workflow cancels it before the 60 s offer runs out.
      service('callback', 'cy', { workflowId: callbackWorkflow.id, distribution: { ...support!.im.distribution, offerTimeoutSec: 60 } }),
      // Pat is on duty but Busy, which the service does not count as available: chats wait, never offered.
      service('patient', 'pat'),
    ],
    workflows: [...t.workflows, callbackWorkflow],
  };
}

let h: Harness;
let alice: string;
let bob: string;
let cy: string;
beforeAll(async () => {
  h = await startHarness({ tenants: [tenant()], env: { INTERACT_RATE_LIMIT_SCALE: '0' }, app: { clock } });
  alice = await h.devToken('alice@contoso.com');
  bob = await h.devToken('bob@contoso.com');
  cy = await h.devToken('cy@contoso.com');
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

type Chat = { chatId: string; token: string };
const start = async (code: string, name: string): Promise<Chat> => {
  const r = await h.call('POST', `/api/interact/${code}/chats`, {
    displayName: name,
    email: 'c@example.com',
    privacyAccepted: true,
    message: 'Hello',
  });
  expect(r.status).toBe(201);
  return r.data;
};
const sessionsOf = async (token: string): Promise<any[]> => (await h.call('GET', '/api/agent/sessions', undefined, token)).data.sessions;
const offerTo = (token: string, customer: string) =>
  waitFor(`an offer for ${customer}`, async () =>
    (await sessionsOf(token)).find((s) => s.state === 'offered' && s.customer.displayName === customer),
  );
const offered = async (token: string, customer: string) =>
  (await sessionsOf(token)).some((s) => s.state === 'offered' && s.customer.displayName === customer);
const act = (token: string, id: string, verb: 'accept' | 'decline' | 'end') =>
  h.call('POST', `/api/agent/sessions/${id}/${verb}`, {}, token);
const me = async (token: string) => (await h.call('GET', '/api/agent/me', undefined, token)).data;
const chatState = async (chat: Chat): Promise<string> =>
  (await h.call('GET', `/api/interact/chats/${chat.chatId}`, undefined, chat.token)).data.state;
const customerTexts = async (chat: Chat): Promise<string[]> =>
  (await h.call('GET', `/api/interact/chats/${chat.chatId}/messages`, undefined, chat.token)).data.messages.map(
    (m: { text: string }) => m.text,
  );
const reportOf = async (chatId: string): Promise<any> =>
  ((await h.call('GET', '/api/reporting/sessions', undefined, alice)).data.sessions as any[]).find((s) => s.conversationId === chatId);
/** Long enough for a few distribution passes (every 500 ms here, and one after each change). */
const settle = () => new Promise((r) => setTimeout(r, 800));

test('an offer nobody answers goes to the other agent; with persistent RONA the silent agent gets no offers until they reset it', async () => {
  const agents: Record<string, string> = { alice, bob };
  const rita = await start('support', 'Rita');
  const first = await waitFor('an offer for Rita', async () => {
    for (const [name, token] of Object.entries(agents)) if (await offered(token, 'Rita')) return name;
    return undefined;
  });
  const otherName = first === 'alice' ? 'bob' : 'alice';
  const [silent, other] = [agents[first]!, agents[otherName]!];
  expect((await me(silent)).ronaUntil).toBeUndefined();

  advance(31);
  const redirected = await offerTo(other, 'Rita');
  const rona = Date.parse((await me(silent)).ronaUntil);
  expect(rona - clock.now()).toBeGreaterThan(590_000);
  expect(rona - clock.now()).toBeLessThanOrEqual(600_000);
  expect((await sessionsOf(silent)).some((s) => s.customer.displayName === 'Rita')).toBe(false);
  expect(await reportOf(rita.chatId)).toMatchObject({ offeredUserIds: [first, otherName], offers: 2, misses: 1 });
  expect((await act(other, redirected.id, 'accept')).status).toBe(200);

  // In RONA, the silent agent is passed over although they have room.
  const remy = await start('support', 'Remy');
  const toOther = await offerTo(other, 'Remy');
  await settle();
  expect(await offered(silent, 'Remy')).toBe(false);
  // A decline with persistent RONA parks the other agent too: now nobody is offered Remy.
  expect((await act(other, toOther.id, 'decline')).status).toBe(200);
  expect((await me(other)).ronaUntil).toBeDefined();
  await settle();
  expect(await offered(silent, 'Remy')).toBe(false);
  expect(await offered(other, 'Remy')).toBe(false);
  expect(await chatState(remy)).toBe('queued');

  const reset = await h.call('POST', '/api/agent/me/rona/reset', {}, silent);
  expect(reset.status).toBe(200);
  expect(reset.data.ronaUntil).toBeUndefined();
  const toSilent = await offerTo(silent, 'Remy');
  expect((await reportOf(remy.chatId)).offeredUserIds).toEqual([otherName, first]);

  expect((await act(silent, toSilent.id, 'accept')).status).toBe(200);
  expect((await act(silent, toSilent.id, 'end')).status).toBe(200);
  expect((await act(other, redirected.id, 'end')).status).toBe(200);
  expect((await h.call('POST', '/api/agent/me/rona/reset', {}, other)).status).toBe(200);
  expect((await me(other)).ronaUntil).toBeUndefined();
});

test('a workflow that cancels the task withdraws the offer, tells the customer and ends the task as missed', async () => {
  const chat = await start('callback', 'Carla');
  const offer = await offerTo(cy, 'Carla');
  expect(await chatState(chat)).toBe('queued');

  advance(21);
  await waitFor('the chat to end', async () => (await chatState(chat)) === 'ended');
  expect(await customerTexts(chat)).toContain('Sorry, Carla, nobody is free. We will call you back.');
  expect(await offered(cy, 'Carla')).toBe(false);
  const late = await act(cy, offer.id, 'accept');
  expect([late.status, late.data.error.code]).toEqual([409, 'offer_gone']);
  expect(await reportOf(chat.chatId)).toMatchObject({
    serviceId: 'callback',
    outcome: 'missed',
    endedBy: 'workflow',
    offers: 1,
    misses: 0,
    declines: 0,
  });
  expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'hello?' }, chat.token)).status).toBe(409);
});

test('a chat queued past its maximum queue time takes the timeout path: the message, outcome timedOut, the chat closed', async () => {
  const chat = await start('patient', 'Quinn');
  await waitFor('queued', async () => (await chatState(chat)) === 'queued');
  await settle();
  expect(await chatState(chat)).toBe('queued');

  // The default workflow queues for at most 1800 s.
  advance(1801);
  await waitFor('the chat to end', async () => (await chatState(chat)) === 'ended');
  expect(await customerTexts(chat)).toContain('Sorry, Quinn, nobody could take your chat in time. Please try again later.');
  expect(await reportOf(chat.chatId)).toMatchObject({ serviceId: 'patient', outcome: 'timedOut', endedBy: 'workflow', offers: 0 });
  expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'hello?' }, chat.token)).status).toBe(409);
});

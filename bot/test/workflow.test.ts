/**
 * The IM workflow through the real server: closed hours answer with a message and never queue;
 * a customer who leaves while queued ends the task as abandoned and nobody is offered it after.
 */
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { openCustomerSocket, startHarness, waitFor, type Harness } from './harness';

function tenant(): TenantConfig {
  const t = demoTenant();
  const support = t.services[0]!;
  return {
    ...t,
    services: [
      // One agent with room for one chat: a second chat has to wait.
      {
        ...support,
        members: [{ userId: 'alice', active: true }],
        im: { ...support.im, distribution: { ...support.im.distribution, maxConcurrentIm: 1 } },
      },
      {
        ...support,
        id: 'night',
        name: 'Night desk',
        im: { ...support.im, interact: { code: 'night', allowedOrigins: [] }, whatsapp: undefined },
        openingHours: { timeZone: 'UTC', weekly: [], exceptions: [] },
      },
    ].map((s) => JSON.parse(JSON.stringify(s))),
  };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tenants: [tenant()] });
});
afterAll(async () => {
  await h?.stop();
});

const start = async (code: string, name: string) => {
  const r = await h.call('POST', `/api/interact/${code}/chats`, {
    displayName: name,
    email: 'c@example.com',
    privacyAccepted: true,
    message: 'hello',
  });
  expect(r.status).toBe(201);
  return r.data as { chatId: string; token: string };
};

test('a chat outside opening hours gets the closed message and is never offered', async () => {
  const alice = await h.devToken('alice@contoso.com');
  const chat = await start('night', 'Nora');
  const { frames, ws } = await openCustomerSocket(h.url, chat.chatId, chat.token);
  await waitFor('ended', () => frames.some((f) => f.type === 'state' && f.state === 'ended'));
  const texts = frames.filter((f) => f.type === 'message').map((f) => f.message.text);
  expect(texts.some((t: string) => /Hello Nora, .*Night desk is closed right now/.test(t))).toBe(true);
  await new Promise((r) => setTimeout(r, 700));
  const sessions = (await h.call('GET', '/api/agent/sessions', undefined, alice)).data.sessions;
  expect(sessions.some((s: any) => s.customer.displayName === 'Nora')).toBe(false);
  const report = (await h.call('GET', '/api/reporting/sessions?service=night', undefined, alice)).data.sessions;
  expect(report[0]).toMatchObject({ serviceId: 'night', outcome: 'closedHours', offers: 0 });
  ws.close();
});

test('a customer who leaves while queued ends the task as abandoned, with no further offers', async () => {
  const alice = await h.devToken('alice@contoso.com');
  const first = await start('support', 'Fiona');
  const offer = await waitFor('the first offer', async () =>
    (await h.call('GET', '/api/agent/sessions', undefined, alice)).data.sessions.find((s: any) => s.state === 'offered'),
  );
  expect((await h.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, alice)).status).toBe(200);
  // Alice is at capacity: the second chat waits in the queue.
  const second = await start('support', 'Gary');
  const { frames, ws } = await openCustomerSocket(h.url, second.chatId, second.token);
  await waitFor('queued with a position', () => frames.some((f) => f.type === 'state' && f.state === 'queued' && f.position === 1));
  expect((await h.call('POST', `/api/interact/chats/${second.chatId}/end`, {}, second.token)).status).toBe(200);
  // Alice frees her slot: the abandoned chat must not reach her.
  expect((await h.call('POST', `/api/agent/sessions/${offer.id}/end`, {}, alice)).status).toBe(200);
  await new Promise((r) => setTimeout(r, 1200));
  const sessions = (await h.call('GET', '/api/agent/sessions', undefined, alice)).data.sessions;
  expect(sessions.some((s: any) => s.customer.displayName === 'Gary' && s.state === 'offered')).toBe(false);
  const report = (await h.call('GET', '/api/reporting/sessions?service=support', undefined, alice)).data.sessions;
  const gary = report.find((s: any) => s.conversationId === second.chatId);
  expect(gary).toMatchObject({ outcome: 'abandoned', offers: 0, endedBy: 'customer' });
  expect(report.find((s: any) => s.conversationId === first.chatId)).toMatchObject({ outcome: 'handled' });
  ws.close();
});

test('once enough chats were accepted, a waiting customer gets an estimated wait with the position', async () => {
  const alice = await h.devToken('alice@contoso.com');
  const takeNext = async () => {
    const offer = await waitFor('an offer', async () =>
      (await h.call('GET', '/api/agent/sessions', undefined, alice)).data.sessions.find((s: any) => s.state === 'offered'),
    );
    expect((await h.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, alice)).status).toBe(200);
    return offer.id as string;
  };
  for (let i = 0; i < 5; i++) {
    await start('support', `Early ${i}`);
    const id = await takeNext();
    await h.call('POST', `/api/agent/sessions/${id}/end`, {}, alice);
  }
  await start('support', 'Busy maker');
  const busy = await takeNext();
  const waiting = await start('support', 'Wes');
  const { frames, ws } = await openCustomerSocket(h.url, waiting.chatId, waiting.token);
  const state = await waitFor('queued with an estimate', () =>
    frames.find((f) => f.type === 'state' && f.state === 'queued' && f.position === 1 && f.estimatedWaitSec > 0),
  );
  expect(state.estimatedWaitSec).toBeLessThan(3600);
  ws.close();
  await h.call('POST', `/api/interact/chats/${waiting.chatId}/end`, {}, waiting.token);
  await h.call('POST', `/api/agent/sessions/${busy}/end`, {}, alice);
});

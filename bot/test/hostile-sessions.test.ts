/**
 * Sessions that must close, through the real server: an agent who transferred a chat reads and
 * receives nothing the customer writes afterwards; a direct chat (a user's own Interact code) that
 * its user does not take ends with a customer message, a final state and a reporting outcome,
 * whether the wait ran out, the user declined, or the user was off duty to begin with.
 */
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { openAgentStream, startHarness, waitFor, type Harness } from './harness';

/** The wall clock plus an offset a test can move forward (the server's timers follow it). */
let offsetMs = 0;
const clock = { now: () => Date.now() + offsetMs };
const WAIT_SEC = 10;

function tenant(): TenantConfig {
  return { ...demoTenant(), directChatWaitSec: WAIT_SEC };
}

let h: Harness;
let alice: string;
let bob: string;
beforeAll(async () => {
  h = await startHarness({ tenants: [tenant()], app: { clock } });
  alice = await h.devToken('alice@contoso.com');
  bob = await h.devToken('bob@contoso.com');
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

const start = async (code: string, name: string, message = 'Hello') => {
  const r = await h.call('POST', `/api/interact/${code}/chats`, {
    displayName: name,
    email: 'c@example.com',
    privacyAccepted: true,
    message,
  });
  expect(r.status).toBe(201);
  return r.data as { chatId: string; token: string };
};
const customerTexts = async (chat: { chatId: string; token: string }): Promise<string[]> =>
  (await h.call('GET', `/api/interact/chats/${chat.chatId}/messages`, undefined, chat.token)).data.messages.map(
    (m: { text: string }) => m.text,
  );
const chatState = async (chat: { chatId: string; token: string }): Promise<string> =>
  (await h.call('GET', `/api/interact/chats/${chat.chatId}`, undefined, chat.token)).data.state;
const reportOf = async (chatId: string) =>
  ((await h.call('GET', '/api/reporting/sessions', undefined, alice)).data.sessions as any[]).filter((s) => s.conversationId === chatId);
const offerTo = (token: string, customer: string) =>
  waitFor(`an offer for ${customer}`, async () =>
    ((await h.call('GET', '/api/agent/sessions', undefined, token)).data.sessions as any[]).find(
      (s) => s.state === 'offered' && s.customer.displayName === customer,
    ),
  );
const duty = async (token: string, onDuty: boolean) =>
  expect((await h.call('POST', '/api/agent/me/duty', { onDuty }, token)).status).toBe(200);

describe('a transferred chat', () => {
  test('the agent who transferred it reads the conversation up to the transfer, and nothing the customer writes after', async () => {
    // Bob takes the support chat (Alice off duty), then transfers it to Sales, where only Alice works.
    await duty(alice, false);
    const chat = await start('support', 'Tara', 'Before the transfer');
    const offer = await offerTo(bob, 'Tara');
    expect((await h.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, bob)).status).toBe(200);
    await h.call(
      'POST',
      `/api/interact/chats/${chat.chatId}/messages`,
      { text: 'My account number is 1234', clientMessageId: 't-1' },
      chat.token,
    );
    await duty(alice, true);
    const stream = openAgentStream(h.url, bob);
    await stream.ready;
    expect((await h.call('POST', `/api/agent/sessions/${offer.id}/transfer`, { serviceId: 'sales' }, bob)).status).toBe(200);

    const later = await h.call(
      'POST',
      `/api/interact/chats/${chat.chatId}/messages`,
      { text: 'Secret for Sales only', clientMessageId: 't-2' },
      chat.token,
    );
    expect(later.status).toBe(201);
    const salesOffer = await offerTo(alice, 'Tara');

    // Bob's old session: the history up to and including the transfer notice, not a word after.
    const mine = await h.call('GET', `/api/agent/sessions/${offer.id}/messages`, undefined, bob);
    expect(mine.status).toBe(200);
    const texts = mine.data.messages.map((m: { text: string }) => m.text);
    expect(texts).toEqual(
      expect.arrayContaining(['Before the transfer', 'My account number is 1234', 'You are being transferred to Sales.']),
    );
    expect(texts).not.toContain('Secret for Sales only');
    expect(mine.data.messages.every((m: { seq: number }) => m.seq < later.data.seq)).toBe(true);
    // Paging past the span gives nothing either.
    const past = await h.call('GET', `/api/agent/sessions/${offer.id}/messages?after=${later.data.seq - 1}`, undefined, bob);
    expect(past.data.messages).toEqual([]);
    // The new task is not his.
    expect((await h.call('GET', `/api/agent/sessions/${salesOffer.id}/messages`, undefined, bob)).status).toBe(403);
    // Nor does his live stream or his session list carry it (no unread count from it).
    await new Promise((r) => setTimeout(r, 400));
    expect(stream.events.some((e) => e.data.type === 'message' && e.data.message.text === 'Secret for Sales only')).toBe(false);
    const listed = ((await h.call('GET', '/api/agent/sessions', undefined, bob)).data.sessions as any[]).find((s) => s.id === offer.id);
    expect(listed.lastSeq).toBeLessThan(later.data.seq);
    stream.close();

    // Alice, offered the new task, reads the whole conversation: the history is her context.
    const hers = (await h.call('GET', `/api/agent/sessions/${salesOffer.id}/messages`, undefined, alice)).data.messages.map(
      (m: { text: string }) => m.text,
    );
    expect(hers).toEqual(expect.arrayContaining(['Before the transfer', 'Secret for Sales only']));
    await h.call('POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token);
  });
});

describe('a direct chat', () => {
  test('that waits past the direct-chat wait ends as timed out, and the customer is told', async () => {
    const chat = await start('bob', 'Wanda');
    await offerTo(bob, 'Wanda');
    expect(await chatState(chat)).toBe('queued');
    offsetMs += (WAIT_SEC + 1) * 1000;
    await waitFor('the chat to end', async () => (await chatState(chat)) === 'ended');
    expect(await customerTexts(chat)).toContain('Bob Berg could not take your chat. Please try again later.');
    const [session] = await reportOf(chat.chatId);
    expect(session).toMatchObject({ direct: true, outcome: 'timedOut', serviceId: 'direct:bob' });
    const s = ((await h.call('GET', '/api/agent/sessions', undefined, bob)).data.sessions as any[]).find(
      (x) => x.customer.displayName === 'Wanda',
    );
    expect(s?.state ?? 'ended').toBe('ended');
    expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'hello?' }, chat.token)).status).toBe(409);
  });

  test('that its user declines ends at once, is not offered again, and the customer is told', async () => {
    const chat = await start('bob', 'Dora');
    const offer = await offerTo(bob, 'Dora');
    expect((await h.call('POST', `/api/agent/sessions/${offer.id}/decline`, {}, bob)).status).toBe(200);
    await waitFor('the chat to end', async () => (await chatState(chat)) === 'ended');
    expect(await customerTexts(chat)).toContain('Bob Berg cannot take your chat right now. Please try again later.');
    const [session] = await reportOf(chat.chatId);
    expect(session).toMatchObject({ direct: true, outcome: 'declined', offers: 1, declines: 1 });
    // Distribution passes run every half second here: none offers it again.
    await new Promise((r) => setTimeout(r, 1200));
    const sessions = (await h.call('GET', '/api/agent/sessions', undefined, bob)).data.sessions as any[];
    expect(sessions.some((s) => s.customer.displayName === 'Dora' && s.state === 'offered')).toBe(false);
  });

  test('to a user who is off duty ends at once with a message, and is never offered', async () => {
    await duty(bob, false);
    try {
      const chat = await start('bob', 'Olga');
      expect(await chatState(chat)).toBe('ended');
      expect(await customerTexts(chat)).toEqual(['Hello', 'Bob Berg is not available right now. Please try again later.']);
      const [session] = await reportOf(chat.chatId);
      expect(session).toMatchObject({ direct: true, outcome: 'missed', offers: 0, endedBy: 'system' });
      expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'anyone?' }, chat.token)).status).toBe(409);
    } finally {
      await duty(bob, true);
    }
    await new Promise((r) => setTimeout(r, 700));
    const sessions = (await h.call('GET', '/api/agent/sessions', undefined, bob)).data.sessions as any[];
    expect(sessions.some((s) => s.customer.displayName === 'Olga' && s.state === 'offered')).toBe(false);
  });
});

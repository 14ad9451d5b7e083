/**
 * State that outlives a request is bounded by what is live: the queue positions remembered by the
 * distributor hold the waiting chats and nothing that has left the queue.
 */
import { ChatIdentities } from '../channels/interact/interact';
import { startHarness, waitFor, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { INTERACT_RATE_LIMIT_SCALE: '0' } });
});
afterAll(async () => {
  await h?.stop();
});

test('queue positions are remembered for waiting chats only, and forgotten once they leave the queue', async () => {
  // One agent on duty who does not answer: a few chats are offered to her, the rest wait in the
  // queue and are told their position.
  expect((await h.call('POST', '/api/agent/me/duty', { onDuty: false }, await h.devToken('bob@contoso.com'))).status).toBe(200);
  const chats = [];
  for (let i = 0; i < 12; i++) {
    chats.push(
      (await h.call('POST', '/api/interact/support/chats', { displayName: `Wait ${i}`, email: `w${i}@example.com`, privacyAccepted: true }))
        .data,
    );
  }
  const last = chats.at(-1);
  const waiting = await waitFor(
    'the last chat queued with a position',
    async () => (await h.call('GET', `/api/interact/chats/${last.chatId}`, undefined, last.token)).data.position as number | undefined,
  );
  await waitFor('the waiting chats remembered', () => h.app.distributor.sentPositions.size >= waiting);
  for (const c of chats) expect((await h.call('POST', `/api/interact/chats/${c.chatId}/end`, {}, c.token)).status).toBe(200);
  await waitFor('nothing remembered once the queue is empty', () => h.app.distributor.sentPositions.size === 0);
});

test('the chat identity cache holds at most its bound, dropping the least recently loaded chat first', () => {
  const cache = new ChatIdentities(3);
  const identity = (id: string) => ({ id, tenantId: 't', entry: 'support', channel: 'interact', tokenHash: 'h', loadedAt: 0 });
  for (const id of ['a', 'b', 'c']) cache.put(identity(id));
  cache.put(identity('a')); // reloaded: now the newest
  cache.put(identity('d'));
  expect(cache.size).toBe(3);
  expect(['a', 'b', 'c', 'd'].filter((id) => cache.get(id))).toEqual(['a', 'c', 'd']);
});

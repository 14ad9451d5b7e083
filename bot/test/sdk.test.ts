/**
 * The Interact SDK (what the chat page and customers' own UIs use) drives a whole chat against
 * the real server: start, live state and messages, send, agent reply, end.
 */
import WebSocket from 'ws';
import { StratusChat, type ChatMessage, type ChatStateEvent } from '../../widget/src/sdk';
import { acceptOffer, startHarness, waitFor, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('the SDK drives a full chat', async () => {
  const chat = new StratusChat({ code: 'support', baseUrl: h.url, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  const messages: ChatMessage[] = [];
  const states: ChatStateEvent[] = [];
  chat.on('message', (m) => messages.push(m));
  chat.on('state', (s) => states.push(s));
  expect(await chat.info()).toMatchObject({ kind: 'service', name: 'Support' });
  await chat.start({ displayName: 'Sid', email: 'sid@example.com', privacyAccepted: true, message: 'Hello from the SDK' });
  await waitFor('my first message', () => messages.some((m) => m.text === 'Hello from the SDK' && m.from === 'customer'));

  const tokens = [await h.devToken('alice@contoso.com'), await h.devToken('bob@contoso.com')];
  const offer = await acceptOffer(h, tokens, 'Sid');
  await waitFor('connected with the agent name', () => states.some((s) => s.state === 'connected' && s.agentName));

  const sent = await chat.send('Is my order on its way?');
  expect(sent.seq).toBeGreaterThan(1);
  await h.call('POST', `/api/agent/sessions/${offer.id}/messages`, { text: 'Yes, tomorrow.', clientMessageId: 'sdk-a1' }, offer.token);
  await waitFor('the agent reply', () => messages.some((m) => m.from === 'agent' && m.text === 'Yes, tomorrow.'));
  const seqs = messages.map((m) => m.seq);
  expect(new Set(seqs).size).toBe(seqs.length);

  await chat.end();
  expect(chat.isEnded).toBe(true);
  const list = (await h.call('GET', '/api/agent/sessions', undefined, offer.token)).data.sessions;
  await waitFor(
    'the session to end for the agent',
    async () =>
      (await h.call('GET', '/api/agent/sessions', undefined, offer.token)).data.sessions.find((s: any) => s.id === offer.id)?.state ===
      'ended',
  );
  expect(list).toBeDefined();
});

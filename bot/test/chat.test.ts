/**
 * The whole chat over the real server: a customer starts a chat on the demo tenant's `support`
 * code, an agent is offered it and accepts, both write, the agent ends it, and the reporting
 * session records it. Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.
 */
import { openAgentStream, openCustomerSocket, startHarness, waitFor, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function startChat(message = 'Hello, I need help') {
  const r = await h.call('POST', '/api/interact/support/chats', {
    displayName: 'Carol',
    email: 'carol@example.com',
    privacyAccepted: true,
    message,
  });
  expect(r.status).toBe(201);
  return r.data as { chatId: string; token: string };
}

async function offeredTo(tokens: Record<string, string>): Promise<{ upn: string; token: string; id: string }> {
  return waitFor('an offer', async () => {
    for (const [upn, token] of Object.entries(tokens)) {
      const r = await h.call('GET', '/api/agent/sessions', undefined, token);
      const s = r.data.sessions?.find((x: { state: string }) => x.state === 'offered');
      if (s) return { upn, token, id: s.id as string };
    }
    return undefined;
  });
}

test('a customer and an agent complete a chat, and the reporting session records it as handled', async () => {
  const tokens = { alice: await h.devToken('alice@contoso.com'), bob: await h.devToken('bob@contoso.com') };
  const chat = await startChat();
  const { ws, frames } = await openCustomerSocket(h.url, chat.chatId, chat.token);
  const offer = await offeredTo(tokens);
  const other = offer.upn === 'alice' ? tokens.bob : tokens.alice;
  const stream = openAgentStream(h.url, offer.token);
  await stream.ready;

  const accepted = await h.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, offer.token);
  expect(accepted.status).toBe(200);
  expect(accepted.data.session.state).toBe('connected');
  expect(accepted.data.session.customer.displayName).toBe('Carol');
  await waitFor('the customer to see connected', () => frames.some((f) => f.type === 'state' && f.state === 'connected' && f.agentName));

  // The other agent cannot act on it.
  expect((await h.call('POST', `/api/agent/sessions/${offer.id}/messages`, { text: 'hi' }, other)).status).toBe(403);

  const sent = await h.call(
    'POST',
    `/api/interact/chats/${chat.chatId}/messages`,
    { text: 'Where is my parcel?', clientMessageId: 'c-1' },
    chat.token,
  );
  expect(sent.status).toBe(201);
  await waitFor('the agent stream to get the message', () =>
    stream.events.some((e) => e.data.type === 'message' && e.data.message.text === 'Where is my parcel?'),
  );
  const history = await h.call('GET', `/api/agent/sessions/${offer.id}/messages`, undefined, offer.token);
  expect(history.data.messages.map((m: { text: string }) => m.text)).toEqual(
    expect.arrayContaining(['Hello, I need help', 'Where is my parcel?']),
  );

  const reply = await h.call(
    'POST',
    `/api/agent/sessions/${offer.id}/messages`,
    { text: 'On its way, Carol', clientMessageId: 'a-1' },
    offer.token,
  );
  expect(reply.status).toBe(201);
  await waitFor('the customer to get the reply', () =>
    frames.some((f) => f.type === 'message' && f.message.text === 'On its way, Carol' && f.message.from === 'agent'),
  );

  const ended = await h.call('POST', `/api/agent/sessions/${offer.id}/end`, {}, offer.token);
  expect(ended.status).toBe(200);
  await waitFor('the customer to see ended', () => frames.some((f) => f.type === 'state' && f.state === 'ended'));
  expect((await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'still there?' }, chat.token)).status).toBe(409);

  const seqs = frames.filter((f) => f.type === 'message').map((f) => f.message.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(seqs).size).toBe(seqs.length);

  const report = await h.call('GET', '/api/reporting/sessions?channel=interact', undefined, tokens.alice);
  const session = report.data.sessions.find((s: { taskId: string }) => s.taskId === offer.id);
  expect(session).toMatchObject({ channel: 'interact', serviceId: 'support', outcome: 'handled' });
  expect(session.acceptedAt).toBeGreaterThanOrEqual(session.createdAt);
  const csv = await h.call('GET', '/api/reporting/sessions', undefined, tokens.alice, { accept: 'text/csv' });
  expect(csv.headers.get('content-type')).toContain('text/csv');
  expect(String(csv.data)).toContain(offer.id);
  ws.close();
  stream.close();
});

test('a retried post with the same client message id stores one message', async () => {
  const chat = await startChat();
  const a = await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'once', clientMessageId: 'same' }, chat.token);
  const b = await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'once', clientMessageId: 'same' }, chat.token);
  expect(a.status).toBe(201);
  expect(b.status).toBe(200);
  expect(b.data).toEqual(a.data);
  const list = await h.call('GET', `/api/interact/chats/${chat.chatId}/messages`, undefined, chat.token);
  expect(list.data.messages.filter((m: { text: string }) => m.text === 'once')).toHaveLength(1);
  // The repeat did not use up a sequence number: the next message follows without a gap.
  const next = await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'then', clientMessageId: 'other' }, chat.token);
  expect(next.data.seq).toBe(a.data.seq + 1);
  await h.call('POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token);
});

test('in a connected session a retried post is stored and relayed once, and the agent sees messages in order', async () => {
  const tokens = { alice: await h.devToken('alice@contoso.com'), bob: await h.devToken('bob@contoso.com') };
  const chat = await startChat();
  const offer = await offeredTo(tokens);
  const stream = openAgentStream(h.url, offer.token);
  await stream.ready;
  expect((await h.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, offer.token)).status).toBe(200);
  const a = await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'retried', clientMessageId: 'r-1' }, chat.token);
  const b = await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'retried', clientMessageId: 'r-1' }, chat.token);
  const c = await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'next', clientMessageId: 'r-2' }, chat.token);
  expect([a.status, b.status, c.status]).toEqual([201, 200, 201]);
  expect(b.data).toEqual(a.data);
  expect(c.data.seq).toBe(a.data.seq + 1);
  await waitFor('the agent stream to get the next message', () =>
    stream.events.some((e) => e.data.type === 'message' && e.data.message.text === 'next'),
  );
  const relayed = stream.events.filter(
    (e) => e.data.type === 'message' && e.data.sessionId === offer.id && e.data.message.from === 'customer',
  );
  expect(relayed.map((e) => e.data.message.text).filter((t: string) => t !== 'Hello, I need help')).toEqual(['retried', 'next']);
  expect(relayed.find((e) => e.data.message.text === 'retried')?.data.message.author).toBe('Carol');
  const history = await h.call('GET', `/api/agent/sessions/${offer.id}/messages`, undefined, offer.token);
  expect(history.data.messages.filter((m: { text: string }) => m.text === 'retried')).toHaveLength(1);
  stream.close();
  await h.call('POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token);
});

test('a reconnecting customer resumes after its last sequence number without loss or duplicates', async () => {
  const chat = await startChat('first');
  for (const t of ['two', 'three']) await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: t }, chat.token);
  const first = await openCustomerSocket(h.url, chat.chatId, chat.token);
  await waitFor('replay', () => first.frames.filter((f) => f.type === 'message').length >= 3);
  const lastSeq = Math.max(...first.frames.filter((f) => f.type === 'message').map((f) => f.message.seq));
  first.ws.close();
  await h.call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'while away' }, chat.token);
  const second = await openCustomerSocket(h.url, chat.chatId, chat.token, lastSeq);
  await waitFor('the missed message', () => second.frames.some((f) => f.type === 'message' && f.message.text === 'while away'));
  const texts = second.frames.filter((f) => f.type === 'message').map((f) => f.message.text);
  expect(texts).not.toContain('two');
  expect(texts.filter((t) => t === 'while away')).toHaveLength(1);
  second.ws.close();
  await h.call('POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token);
});

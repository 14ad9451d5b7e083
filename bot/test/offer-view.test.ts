/**
 * The offer an agent sees carries the chat's own first customer message (a distribution pass reads
 * them for all the chats it offers at once): several chats started together, each offer with its
 * own text, and a chat started without a message offered without one. Runs on PGlite, and on
 * PostgreSQL when DATABASE_URL is set.
 */
import { getConversation } from '../store/repo';
import { startHarness, waitFor, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { INTERACT_RATE_LIMIT_SCALE: '0' } });
});
afterAll(async () => {
  await h?.stop();
});

test('chats offered in one pass each show their own first message', async () => {
  const tokens = await Promise.all(['alice@contoso.com', 'bob@contoso.com'].map((upn) => h.devToken(upn)));
  const chats: Record<string, string | undefined> = {
    Pia: 'pia-first-text',
    Quinn: 'quinn-first-text',
    Rui: 'rui-first-text',
    Sam: undefined,
  };
  const started = await Promise.all(
    Object.entries(chats).map(([name, message]) =>
      h.call('POST', '/api/interact/support/chats', {
        displayName: name,
        email: `${name.toLowerCase()}@example.com`,
        privacyAccepted: true,
        ...(message ? { message } : {}),
      }),
    ),
  );
  expect(started.map((r) => r.status)).toEqual([201, 201, 201, 201]);
  const offers = await waitFor('every chat offered', async () => {
    const all = [];
    for (const t of tokens) {
      const sessions = ((await h.call('GET', '/api/agent/sessions', undefined, t)).data.sessions ?? []) as any[];
      all.push(...sessions.filter((s) => s.state === 'offered'));
    }
    const names = new Set(all.map((s) => s.customer.displayName));
    return Object.keys(chats).every((n) => names.has(n)) ? all : undefined;
  });
  for (const s of offers) expect([s.customer.displayName, s.firstMessage]).toEqual([s.customer.displayName, chats[s.customer.displayName]]);
});

test("a chat's first message is stored with it and counted: seq 1, later ones after it without a gap, the customer's last time", async () => {
  const started = await h.call('POST', '/api/interact/support/chats', {
    displayName: 'Tove',
    email: 'tove@example.com',
    privacyAccepted: true,
    message: 'tove-first-text',
    clientMessageId: 'tove-1',
  });
  expect(started.status).toBe(201);
  const { chatId, token } = started.data as { chatId: string; token: string };
  const conv = await getConversation(h.app.store.db, 'contoso', chatId);
  expect(conv?.lastCustomerAt).toBe(conv?.createdAt);
  const lastSeq = conv!.lastSeq; // 1, or more with the workflow's welcome
  // The same client message id again is the first message, not a second one.
  const again = await h.call(
    'POST',
    `/api/interact/chats/${chatId}/messages`,
    { text: 'tove-first-text', clientMessageId: 'tove-1' },
    token,
  );
  expect([again.status, again.data.seq]).toEqual([200, 1]);
  const next = await h.call('POST', `/api/interact/chats/${chatId}/messages`, { text: 'tove-second-text' }, token);
  expect([next.status, next.data.seq]).toEqual([201, lastSeq + 1]);
  const read = await h.call('GET', `/api/interact/chats/${chatId}/messages`, undefined, token);
  const messages = read.data.messages as { seq: number; text: string; from: string }[];
  expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: lastSeq + 1 }, (_, i) => i + 1));
  expect(messages.filter((m) => m.from === 'customer').map((m) => [m.seq, m.text])).toEqual([
    [1, 'tove-first-text'],
    [lastSeq + 1, 'tove-second-text'],
  ]);
});

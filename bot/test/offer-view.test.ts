/**
 * The offer an agent sees carries the chat's own first customer message (a distribution pass reads
 * them for all the chats it offers at once): several chats started together, each offer with its
 * own text, and a chat started without a message offered without one. Runs on PGlite, and on
 * PostgreSQL when DATABASE_URL is set.
 */
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

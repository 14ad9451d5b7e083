/**
 * The offer an agent sees carries the chat's own first customer message (a distribution pass reads
 * them for all the chats it offers at once): several chats started together, each offer with its
 * own text, and a chat started without a message offered without one. Runs on PGlite, and on
 * PostgreSQL when DATABASE_URL is set.
 */
import { sql } from 'drizzle-orm';
import { getConversation } from '../store/repo';
import { openAgentStream, startHarness, waitFor, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { INTERACT_RATE_LIMIT_SCALE: '0' } });
});
afterAll(async () => {
  await h?.stop();
});

test('chats offered in one pass each show their own first message', async () => {
  const tokens = await Promise.all(['alice@contoso.com', 'bob@contoso.com'].map((upn) => h.devToken(upn)));
  // What the tab and the Teams card show: the offer as it arrives on the agent's stream.
  const streams = tokens.map((t) => openAgentStream(h.url, t));
  await Promise.all(streams.map((s) => s.ready));
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
  const live = await waitFor('every offer on a stream', () => {
    const all = streams.flatMap((s) => s.events.map((e) => e.data)).filter((d) => d.type === 'session' && d.session.state === 'offered');
    const names = new Set(all.map((d) => d.session.customer.displayName));
    return Object.keys(chats).every((n) => names.has(n)) ? all : undefined;
  });
  for (const d of live) {
    const s = d.session;
    expect([s.customer.displayName, s.firstMessage]).toEqual([s.customer.displayName, chats[s.customer.displayName]]);
  }
  for (const s of streams) s.close();
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

describe('on agents with room (a harness of its own)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { INTERACT_RATE_LIMIT_SCALE: '0' } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('offer rows follow the offer: the offered agent only while it stands, then the next one, none once accepted', async () => {
    const tokens: Record<string, string> = {
      alice: await h.devToken('alice@contoso.com'),
      bob: await h.devToken('bob@contoso.com'),
    };
    const started = await h.call('POST', '/api/interact/support/chats', {
      displayName: 'Uma',
      email: 'uma@example.com',
      privacyAccepted: true,
      message: 'uma-first-text',
    });
    expect(started.status).toBe(201);
    const { chatId } = started.data as { chatId: string };
    const rows = async (): Promise<string[]> => {
      const r = await h.app.store.db.execute(
        sql`select o.user_id from task_offers o join tasks t on t.id = o.task_id where t.conversation_id = ${chatId} order by o.user_id`,
      );
      return (r as unknown as { rows: { user_id: string }[] }).rows.map((x) => x.user_id);
    };
    const offeredTo = async (): Promise<{ userId: string; taskId: string } | undefined> => {
      for (const [userId, token] of Object.entries(tokens)) {
        const sessions = ((await h.call('GET', '/api/agent/sessions', undefined, token)).data.sessions ?? []) as any[];
        const s = sessions.find((x) => x.state === 'offered' && x.customer.displayName === 'Uma');
        if (s) return { userId, taskId: s.id };
      }
      return undefined;
    };
    const first = await waitFor('the chat offered', offeredTo);
    expect(await rows()).toEqual([first.userId]);
    const declined = await h.call('POST', `/api/agent/sessions/${first.taskId}/decline`, {}, tokens[first.userId]);
    expect(declined.status).toBeLessThan(300);
    const second = await waitFor('the chat offered to the other agent', async () => {
      const o = await offeredTo();
      return o && o.userId !== first.userId ? o : undefined;
    });
    expect(await rows()).toEqual([second.userId]);
    const accepted = await h.call('POST', `/api/agent/sessions/${second.taskId}/accept`, {}, tokens[second.userId]);
    expect(accepted.status).toBeLessThan(300);
    expect(await rows()).toEqual([]);
  });
});

/**
 * Teams presence from Microsoft Graph (a local stand-in) deciding who gets offers: a change reaches
 * distribution within a poll, an offered agent who goes Offline has the offer redirected at once,
 * throttling keeps the last known presence, and dev mode sets presence by hand.
 */
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { setPresence, startGraphStandIn, type GraphStandIn } from '../graph/graph-standin';
import { startHarness, waitFor, type Harness } from './harness';

jest.setTimeout(60_000);

const ALICE = '00000000-0000-0000-0000-0000000a11ce';
const BOB = '00000000-0000-0000-0000-000000000b0b';

function tenant(): TenantConfig {
  const t = demoTenant();
  // Support only, Direct distribution, no direct codes: one offer at a time, to the longest idle.
  return { ...t, services: [t.services[0]!], users: t.users.map((u) => ({ ...u, interact: undefined, licenses: ['im'] })) };
}

let graph: GraphStandIn;
let h: Harness;
beforeAll(async () => {
  graph = await startGraphStandIn({ clientSecret: 'graph-secret' });
  setPresence(graph.presences, ALICE, 'Available', 'Available');
  setPresence(graph.presences, BOB, 'Available', 'Available');
  h = await startHarness({
    tenants: [tenant()],
    env: {
      GRAPH_CLIENT_ID: 'stratus',
      SECRET_GRAPH_CLIENT_SECRET: 'graph-secret',
      GRAPH_API_BASE_URL: graph.url,
      ENTRA_AUTHORITY: graph.url,
    },
    app: { presencePollMs: 150 },
  });
});
afterAll(async () => {
  await h?.stop();
  await graph?.close();
});

const start = async (name: string) =>
  (await h.call('POST', '/api/interact/support/chats', { displayName: name, email: 'c@example.com', privacyAccepted: true })).data as {
    chatId: string;
  };
const offeredTo = async (name: string): Promise<string | undefined> => {
  for (const upn of ['alice@contoso.com', 'bob@contoso.com']) {
    const s = await h.call('GET', '/api/agent/sessions', undefined, await h.devToken(upn));
    if (
      s.data.sessions.some(
        (x: { state: string; customer: { displayName: string } }) => x.state === 'offered' && x.customer.displayName === name,
      )
    )
      return upn;
  }
  return undefined;
};
const presenceOf = async (upn: string) => (await h.call('GET', '/api/agent/me', undefined, await h.devToken(upn))).data.presence;

test('a Teams presence change decides who gets the next offer within a poll', async () => {
  setPresence(graph.presences, ALICE, 'Busy', 'InAMeeting');
  await waitFor('Alice busy', async () => (await presenceOf('alice@contoso.com')) === 'busy', 3000);
  await start('Una');
  expect(await waitFor('the offer', () => offeredTo('Una'))).toBe('bob@contoso.com');

  setPresence(graph.presences, ALICE, 'Available', 'Available');
  setPresence(graph.presences, BOB, 'DoNotDisturb', 'Presenting');
  await waitFor('Bob in Do not disturb', async () => (await presenceOf('bob@contoso.com')) === 'doNotDisturb', 3000);
  await start('Vic');
  expect(await waitFor('the offer', () => offeredTo('Vic'))).toBe('alice@contoso.com');
  expect(graph.requests.some((r) => r.path.endsWith('/communications/getPresencesByUserId'))).toBe(true);
  // The tab is told how fresh the presence is: the tenant's last poll, seconds ago.
  const me = (await h.call('GET', '/api/agent/me', undefined, await h.devToken('bob@contoso.com'))).data;
  expect(Date.now() - Date.parse(me.presenceAsOf)).toBeLessThan(3000);
});

test('an offer to an agent who goes Offline is redirected at once, not after its 30 s timeout', async () => {
  setPresence(graph.presences, ALICE, 'Busy', 'InACall');
  setPresence(graph.presences, BOB, 'Available', 'Available');
  await waitFor('Alice in a call', async () => (await presenceOf('alice@contoso.com')) === 'busy', 3000);
  await start('Wes');
  expect(await waitFor('the offer to Bob', () => offeredTo('Wes'))).toBe('bob@contoso.com');
  setPresence(graph.presences, BOB, 'Offline', 'OffWork');
  setPresence(graph.presences, ALICE, 'Available', 'Available');
  const t0 = Date.now();
  expect(
    await waitFor('the offer to move to Alice', async () => ((await offeredTo('Wes')) === 'alice@contoso.com' ? 'moved' : undefined), 5000),
  ).toBe('moved');
  expect(Date.now() - t0).toBeLessThan(5000);
});

test('Graph throttling keeps the last known presence: offers go on', async () => {
  setPresence(graph.presences, ALICE, 'Available', 'Available');
  setPresence(graph.presences, BOB, 'Available', 'Available');
  await waitFor('both available', async () => (await presenceOf('bob@contoso.com')) === 'online', 3000);
  for (let i = 0; i < 5; i++) graph.failNext.push({ status: 429, retryAfter: 30 });
  // What Graph would say now is never read: the stand-in answers 429.
  setPresence(graph.presences, ALICE, 'Offline', 'OffWork');
  setPresence(graph.presences, BOB, 'Offline', 'OffWork');
  await new Promise((r) => setTimeout(r, 800));
  expect(await presenceOf('alice@contoso.com')).toBe('online');
  await start('Xia');
  expect(await waitFor('an offer despite the throttling', () => offeredTo('Xia'))).toBeDefined();
});

test('dev mode sets presence by hand in Graph terms; bad values get a clear error', async () => {
  const r = await h.call('POST', '/api/dev/presence', { upn: 'bob@contoso.com', availability: 'BeRightBack', activity: 'BeRightBack' });
  expect(r.status).toBe(200);
  expect(r.data).toMatchObject({ presence: 'beRightBack', inBlockingCall: false });
  expect((await h.call('POST', '/api/dev/presence', { upn: 'bob@contoso.com', availability: 'Sleeping' })).status).toBe(400);
  expect((await h.call('POST', '/api/dev/presence', { upn: 'nobody@contoso.com', availability: 'Available' })).status).toBe(404);
});

/**
 * The Teams app installed through Graph (a local stand-in) for every licensed service member, and
 * the activity-feed notification of a new offer, through the real server and the real CloudAdapter
 * against a local Bot Connector stand-in: an agent who never opened the bot gets their first offer
 * card in the chat Graph named, a 409 is resolved by the lookup, a refusal reaches the admin audit
 * once, the admin route is for tenant admins, and the feed honours the tenant option and an open tab.
 */
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig, UserConfig } from '@stratus/shared/tenant/model';
import {
  installForUser,
  setPresence,
  startGraphStandIn,
  STANDIN_CATALOG_APP,
  type GraphStandIn,
  type GraphStandInRequest,
} from '../graph/graph-standin';
import { botInstallation } from '../store/teams';
import { classify } from '../teams/install';
import { offerNotification } from '../teams/activity-feed';
import { startConnectorStandIn, type ConnectorStandIn } from './connector-standin';
import { openAgentStream, startHarness, waitFor, type Harness } from './harness';

jest.setTimeout(60_000);

const OID = {
  alice: '00000000-0000-0000-0000-0000000a11ce',
  bob: '00000000-0000-0000-0000-000000000b0b',
  carol: '3f2c9a41-7b6e-4d0a-9c51-0000000ca201',
  dave: '8d1e5b27-2c4f-4a93-b6e0-00000000da7e',
};

function tenant(): TenantConfig {
  const t = demoTenant();
  const base = t.users[0]!;
  const user = (id: string, displayName: string, entraObjectId?: string): UserConfig => ({
    ...base,
    // Only Bob takes offers.
    onDuty: id === 'bob',
    id,
    upn: `${id}@contoso.com`,
    displayName,
    licenses: ['im'],
    interact: undefined,
    entraObjectId,
  });
  const users = [
    user('alice', 'Alice Anders', OID.alice),
    user('bob', 'Bob Berg', OID.bob),
    user('carol', 'Carol Castillo', OID.carol),
    user('dave', 'Dave Dunmore', OID.dave),
    user('frank', 'Frank Fischer'),
  ];
  const support = t.services[0]!;
  return {
    ...t,
    users,
    services: [{ ...support, members: users.map((u) => ({ userId: u.id, active: true })) }],
    teams: { installForMembers: true, activityFeed: false },
  };
}

let graph: GraphStandIn;
let connector: ConnectorStandIn;
let h: Harness;
let daveChat: string;

beforeAll(async () => {
  connector = await startConnectorStandIn();
  graph = await startGraphStandIn({ clientSecret: 'graph-secret' });
  setPresence(graph.presences, OID.bob, 'Available', 'Available');
  // Carol's installation is refused; Dave has the app already (installed by hand in Teams).
  graph.userFailures.set(OID.carol, { status: 403 });
  daveChat = installForUser(graph.installedApps, OID.dave, STANDIN_CATALOG_APP.id).chatId;
  h = await startHarness({
    tenants: [tenant()],
    env: {
      GRAPH_CLIENT_ID: 'stratus',
      SECRET_GRAPH_CLIENT_SECRET: 'graph-secret',
      GRAPH_API_BASE_URL: graph.url,
      ENTRA_AUTHORITY: graph.url,
      TEAMS_APP_ID: STANDIN_CATALOG_APP.externalId!,
      TEAMS_SERVICE_URL: connector.url,
      INTERACT_RATE_LIMIT_SCALE: '0',
    },
    app: { presencePollMs: 150, teamsInstall: { tickMs: 100, afterConfigMs: 50 } },
  });
});
afterAll(async () => {
  await h?.stop();
  await graph?.close();
  await connector?.close();
});

const pathOf = (r: GraphStandInRequest) => new URL(r.path, 'http://x').pathname;
const installation = (userId: string) => botInstallation(h.app.store.db, 'contoso', userId);
const chatOf = async (userId: string) =>
  ((await installation(userId))?.reference as { conversation?: { id?: string } } | undefined)?.conversation?.id;
const start = async (name: string) =>
  (await h.call('POST', '/api/interact/support/chats', { displayName: name, email: 'c@example.com', privacyAccepted: true })).data as {
    chatId: string;
    token: string;
  };
const end = (chat: { chatId: string; token: string }) => h.call('POST', `/api/interact/chats/${chat.chatId}/end`, {}, chat.token);
const offerCardFor = (name: string, chatId: string) =>
  connector.recorded.find(
    (r) =>
      r.conversationId === chatId && JSON.stringify(r.activity).includes('"verb":"accept"') && JSON.stringify(r.activity).includes(name),
  );
const notifications = () => graph.requests.filter((r) => r.method === 'POST' && pathOf(r).endsWith('/teamwork/sendActivityNotification'));
const auditOf = async (token: string) =>
  (await h.call('GET', '/api/admin/audit?limit=200', undefined, token)).data.entries as {
    action: string;
    target: string;
    summary: string;
    changes: { after?: { reason?: string } }[];
  }[];

test('an agent who never opened the bot gets the app installed, and their first offer card arrives in the chat Graph named', async () => {
  await waitFor('Bob installed', () => chatOf('bob'));
  const [bobInstall] = graph.installedApps.get(OID.bob) ?? [];
  expect(await chatOf('bob')).toBe(bobInstall!.chatId);
  const reference = (await installation('bob'))!.reference as Record<string, any>;
  expect(reference).toMatchObject({
    serviceUrl: connector.url,
    conversation: { id: bobInstall!.chatId, conversationType: 'personal', tenantId: demoTenant().entraTenantId },
    user: { aadObjectId: OID.bob },
  });
  // The org catalog's id was looked up by the manifest id, and bound in the install.
  const post = graph.requests.find((r) => r.method === 'POST' && pathOf(r) === `/v1.0/users/${OID.bob}/teamwork/installedApps`);
  expect(post!.body).toEqual({ 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${STANDIN_CATALOG_APP.id}` });
  expect(
    graph.requests.some(
      (r) =>
        pathOf(r) === '/v1.0/appCatalogs/teamsApps' &&
        new URL(r.path, 'http://x').searchParams.get('$filter') === `externalId eq '${STANDIN_CATALOG_APP.externalId}'`,
    ),
  ).toBe(true);

  const chat = await start('Quinn');
  const card = await waitFor('the offer card in the installed chat', () => offerCardFor('Quinn', bobInstall!.chatId));
  expect(card.method).toBe('POST');
  await end(chat);
});

test('an app Teams already has for the user (409) is found by the lookup and its chat saved', async () => {
  await waitFor('Dave installed', () => chatOf('dave'));
  expect(await chatOf('dave')).toBe(daveChat);
  const calls = graph.requests.filter((r) => pathOf(r).startsWith(`/v1.0/users/${OID.dave}/`)).map((r) => `${r.method} ${pathOf(r)}`);
  expect(calls.slice(0, 3)).toEqual([
    `POST /v1.0/users/${OID.dave}/teamwork/installedApps`,
    `GET /v1.0/users/${OID.dave}/teamwork/installedApps`,
    `GET /v1.0/users/${OID.dave}/teamwork/installedApps/${encodeURIComponent(graph.installedApps.get(OID.dave)![0]!.id)}/chat`,
  ]);
  expect(graph.installedApps.get(OID.dave)).toHaveLength(1);
});

test('agents it could not reach are in the admin audit with the reason, once each, and the route reports every member', async () => {
  const alice = await h.devToken('alice@contoso.com');
  const failed = await waitFor('the failures audited', async () => {
    const entries = (await auditOf(alice)).filter((e) => e.action === 'teams.install.failed');
    return entries.length >= 2 ? entries : undefined;
  });
  const carol = failed.find((e) => e.target === 'user:carol')!;
  expect(carol.summary).toContain('carol@contoso.com');
  expect(carol.changes[0]!.after!.reason).toMatch(/Graph refused: the app needs TeamsAppInstallation\.ReadWriteSelfForUser\.All/);
  expect(failed.find((e) => e.target === 'user:frank')!.changes[0]!.after!.reason).toBe('no Entra object id configured');
  expect((await auditOf(alice)).some((e) => e.action === 'teams.install' && e.target === 'user:bob')).toBe(true);

  const r = await h.call('POST', '/api/admin/teams/install', {}, alice);
  expect(r.status).toBe(200);
  const byUser = Object.fromEntries((r.data.results as { userId: string; status: string; reason?: string }[]).map((x) => [x.userId, x]));
  expect(Object.keys(byUser).sort()).toEqual(['alice', 'bob', 'carol', 'dave', 'frank']);
  expect(byUser.bob!.status).toBe('alreadyInstalled');
  expect(byUser.dave!.status).toBe('alreadyInstalled');
  expect(byUser.carol).toMatchObject({ status: 'failed', reason: expect.stringContaining('TeamsAppInstallation') });
  expect(byUser.frank).toMatchObject({ status: 'failed', reason: 'no Entra object id configured' });
  // Carol was tried again (the admin asked), and the audit did not grow: same user, same reason.
  const after = (await auditOf(alice)).filter((e) => e.action === 'teams.install.failed');
  expect(after.filter((e) => e.target === 'user:carol')).toHaveLength(1);
  expect(after.filter((e) => e.target === 'user:frank')).toHaveLength(1);
});

test('a member added by a config change gets the app at once; a user refused within the hour is not asked again', async () => {
  const alice = await h.devToken('alice@contoso.com');
  const carolCalls = () => graph.requests.filter((r) => pathOf(r).startsWith(`/v1.0/users/${OID.carol}/`)).length;
  const calls = carolCalls();
  const read = await h.call('GET', '/api/admin/config', undefined, alice);
  const config = read.data as TenantConfig;
  const grace = { ...config.users.find((u) => u.id === 'frank')!, id: 'grace', upn: 'grace@contoso.com', displayName: 'Grace Gupta' };
  const put = await h.call(
    'PUT',
    '/api/admin/config',
    {
      ...config,
      users: [...config.users, { ...grace, entraObjectId: '6e9c2f15-8b47-4d3a-a0c2-000000009ace' }],
      services: config.services.map((s) => ({ ...s, members: [...s.members, { userId: 'grace', active: true }] })),
    },
    alice,
    { 'if-match': read.headers.get('etag') ?? '' },
  );
  expect(put.status).toBe(200);
  await waitFor('Grace installed', () => chatOf('grace'));
  expect(carolCalls()).toBe(calls);
});

test('a 429 pauses the tenant for its Retry-After: the next run asks Graph nothing for the user', async () => {
  const alice = await h.devToken('alice@contoso.com');
  graph.userFailures.set(OID.carol, { status: 429, retryAfter: 30 });
  const carolCalls = () => graph.requests.filter((r) => pathOf(r).startsWith(`/v1.0/users/${OID.carol}/`)).length;
  const first = await h.call('POST', '/api/admin/teams/install', {}, alice);
  const carol = (first.data.results as { userId: string }[]).find((x) => x.userId === 'carol');
  expect(carol).toMatchObject({ status: 'skipped', reason: 'Graph is throttling: retry in 30 s' });
  const calls = carolCalls();
  const again = await h.call('POST', '/api/admin/teams/install', {}, alice);
  expect((again.data.results as { userId: string; status: string }[]).find((x) => x.userId === 'carol')!.status).toBe('skipped');
  expect(carolCalls()).toBe(calls);
  graph.userFailures.set(OID.carol, { status: 403 });
});

test('only a tenant admin may run the installation', async () => {
  const bob = await h.devToken('bob@contoso.com');
  const r = await h.call('POST', '/api/admin/teams/install', {}, bob);
  expect(r.status).toBe(403);
  expect(r.data.error.code).toBe('forbidden');
  expect((await h.call('POST', '/api/admin/teams/install', {})).status).toBe(401);
});

async function setActivityFeed(on: boolean): Promise<void> {
  const alice = await h.devToken('alice@contoso.com');
  const read = await h.call('GET', '/api/admin/config', undefined, alice);
  const put = await h.call('PUT', '/api/admin/config', { ...read.data, teams: { ...read.data.teams, activityFeed: on } }, alice, {
    'if-match': read.headers.get('etag') ?? '',
  });
  expect(put.status).toBe(200);
  await waitFor('the option live', () => h.app.rt.tenants.tenant('contoso')?.teams?.activityFeed === on);
}

/** Starts a chat offered to Bob, waits for its card in his chat and a moment for the feed, ends it. */
async function offerToBob(name: string): Promise<void> {
  const chat = await start(name);
  const bobChat = (await chatOf('bob'))!;
  await waitFor(`the offer of ${name}`, () => offerCardFor(name, bobChat));
  await new Promise((r) => setTimeout(r, 800));
  await end(chat);
}

describe('the activity feed', () => {
  test('with the option on, an offer to Bob sends one notification to his Entra id, naming the customer', async () => {
    await setActivityFeed(true);
    const before = notifications().length;
    await offerToBob('Nora Nightingale');
    const sent = notifications().slice(before);
    expect(sent).toHaveLength(1);
    expect(pathOf(sent[0]!)).toBe(`/v1.0/users/${OID.bob}/teamwork/sendActivityNotification`);
    const body = sent[0]!.body as Record<string, any>;
    expect(body.activityType).toBe('chatOffered');
    expect(body.previewText.content).toBe('Nora Nightingale is waiting (Support)');
    expect(body.topic).toMatchObject({ source: 'text', value: 'Nora Nightingale (Support)' });
    expect(body.topic.webUrl).toMatch(
      new RegExp(`^https://teams\\.microsoft\\.com/l/entity/${STANDIN_CATALOG_APP.externalId}/mysessions\\?`),
    );
    expect(body.templateParameters).toEqual([
      { name: 'customer', value: 'Nora Nightingale' },
      { name: 'service', value: 'Support' },
    ]);
  });

  test('with Bob’s My Sessions stream open, none; once he closes it, one again', async () => {
    const stream = openAgentStream(h.url, await h.devToken('bob@contoso.com'));
    await stream.ready;
    try {
      const before = notifications().length;
      await offerToBob('Otto Tabwatcher');
      expect(notifications().slice(before)).toHaveLength(0);
    } finally {
      stream.close();
    }
    // The server notices the closed stream on its next write or at once; give it a moment.
    await new Promise((r) => setTimeout(r, 300));
    const before = notifications().length;
    await offerToBob('Rita Returns');
    expect(notifications().slice(before)).toHaveLength(1);
  });

  test('with the option off, none', async () => {
    await setActivityFeed(false);
    const before = notifications().length;
    await offerToBob('Pia Off');
    expect(notifications().slice(before)).toHaveLength(0);
  });
});

test('a Graph that answers garbage or nothing stops the tenant’s round; a 429 pauses it; a refusal is about the user', () => {
  expect(classify(new Error('Unexpected token < in JSON'))).toMatchObject({ permanent: false, tenantWide: 'stop' });
  expect(classify({ message: 'Graph did not answer within 10 s' })).toMatchObject({ tenantWide: 'stop' });
  expect(classify({ status: 429, retryAfterSec: 7 })).toMatchObject({ tenantWide: 'throttled', retryAfterSec: 7 });
  expect(classify({ status: 503 })).toMatchObject({ permanent: false });
  expect(classify({ status: 503 })).not.toHaveProperty('tenantWide');
  expect(classify({ status: 404 })).toMatchObject({
    kind: 'notFound',
    permanent: true,
    reason: expect.stringMatching(/^user not found in Entra/),
  });
  expect(classify({ status: 403, graphMessage: 'The user does not have a valid Teams license' })).toMatchObject({
    kind: 'noTeamsLicense',
    permanent: true,
  });
});

test('the notification keeps a hostile customer name on one line and within Graph’s limits', () => {
  const n = offerNotification('6b0e2c4d-5b7a-4f0e-9d2a-3c1b8e7f0a11', {
    sessionId: 'task_1',
    customer: `Eve\n\u0000<b>${'x'.repeat(300)}`,
    service: 'Support',
  });
  expect(n.previewText.content.length).toBeLessThanOrEqual(150);
  expect(n.previewText.content).not.toMatch(/[\n\u0000]/);
  expect(n.topic.webUrl).toContain(encodeURIComponent('"subEntityId":"task_1"'));
});

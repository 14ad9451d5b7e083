import { createServer, type IncomingMessage, type Server } from 'node:http';
import { demoTenant } from '@stratus/shared/tenant/demo';
import { createLogger } from '../util/log';
import { GraphApi } from './graph-client';
import {
  DEV_DIRECTORY,
  graphStandInHandler,
  parseSearch,
  installForUser,
  setPresence,
  STANDIN_CATALOG_APP,
  startGraphStandIn,
  type GraphStandIn,
  type GraphStandInRequest,
} from './graph-standin';

const TENANT = '00000000-0000-0000-0000-00000000c0de';
const quiet = createLogger('error', () => undefined);

describe('the stand-in on its own port', () => {
  let standIn: GraphStandIn;
  let token: string;
  beforeEach(async () => {
    standIn = await startGraphStandIn();
    const r = await fetch(`${standIn.url}/${TENANT}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'app',
        client_secret: 's',
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
    });
    token = ((await r.json()) as { access_token: string }).access_token;
  });
  afterEach(() => standIn.close());

  const users = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${standIn.url}/v1.0/users?${query}`, { headers: { authorization: `Bearer ${token}`, ...headers } });

  test('refuses $search without ConsistencyLevel: eventual, as Graph does', async () => {
    const r = await users(`$search=${encodeURIComponent('"displayName:alice"')}`);
    expect(r.status).toBe(400);
    expect(((await r.json()) as any).error.code).toBe('Request_UnsupportedQuery');
    const ok = await users(`$search=${encodeURIComponent('"displayName:alice"')}`, { ConsistencyLevel: 'eventual' });
    expect(((await ok.json()) as any).value.map((u: any) => u.userPrincipalName)).toEqual(['alice@contoso.com']);
  });

  test('refuses a call without a bearer token it issued', async () => {
    const none = await fetch(`${standIn.url}/v1.0/users`);
    expect([none.status, ((await none.json()) as any).error.code]).toEqual([401, 'InvalidAuthenticationToken']);
    const forged = await fetch(`${standIn.url}/v1.0/users`, { headers: { authorization: 'Bearer eyJhbGciOi.forged' } });
    expect(forged.status).toBe(401);
  });

  test('honours $top and $select, and refuses an unknown property', async () => {
    const r = (await (await users('$top=2&$select=id,displayName&$orderby=displayName')).json()) as any;
    expect(r.value).toEqual([
      { id: '00000000-0000-0000-0000-0000000a11ce', displayName: 'Alice Anders' },
      { id: '00000000-0000-0000-0000-000000000b0b', displayName: 'Bob Berg' },
    ]);
    expect((await users('$select=id,jobTitle')).status).toBe(400);
    expect((await users('$top=1000')).status).toBe(400);
  });

  test('answers a failure it is told to, with Retry-After, then serves again', async () => {
    standIn.failNext.push({ status: 429, retryAfter: 7 });
    const r = await users('');
    expect([r.status, r.headers.get('retry-after'), ((await r.json()) as any).error.code]).toEqual([429, '7', 'TooManyRequests']);
    expect((await users('')).status).toBe(200);
  });

  const presences = (body: unknown, auth = `Bearer ${token}`) =>
    fetch(`${standIn.url}/v1.0/communications/getPresencesByUserId`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const ALICE = '00000000-0000-0000-0000-0000000a11ce';

  test('answers presences from its map by lower-case id, PresenceUnknown for the rest, and records the ids', async () => {
    setPresence(standIn.presences, ALICE.toUpperCase(), 'DoNotDisturb', 'Presenting');
    const r = await presences({ ids: [ALICE, 'someone-else'] });
    expect(((await r.json()) as any).value).toEqual([
      { id: ALICE, availability: 'DoNotDisturb', activity: 'Presenting' },
      { id: 'someone-else', availability: 'PresenceUnknown', activity: 'PresenceUnknown' },
    ]);
    expect(standIn.requests.at(-1)!.body).toEqual({ ids: [ALICE, 'someone-else'] });
  });

  test('refuses more than 650 ids, ids that are not an array, and a call without its token', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expect((await presences({ ids: ids(650) })).status).toBe(200);
    expect((await presences({ ids: ids(651) })).status).toBe(400);
    expect((await presences({ ids: ALICE })).status).toBe(400);
    expect((await presences({})).status).toBe(400);
    expect((await presences({ ids: [ALICE] }, 'Bearer eyJhbGciOi.forged')).status).toBe(401);
  });

  const teamwork = (method: string, path: string, body?: unknown) =>
    fetch(`${standIn.url}/v1.0/users/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const bind = { 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${STANDIN_CATALOG_APP.id}` };

  test('installs a catalog app for a user once (then 409), lists it by teamsApp id or externalId, and names its chat', async () => {
    expect((await teamwork('POST', `${ALICE}/teamwork/installedApps`, bind)).status).toBe(201);
    expect((await teamwork('POST', `${ALICE}/teamwork/installedApps`, bind)).status).toBe(409);
    const byId = await teamwork(
      'GET',
      `${ALICE}/teamwork/installedApps?$expand=teamsApp&$filter=${encodeURIComponent(`teamsApp/id eq '${STANDIN_CATALOG_APP.id}'`)}`,
    );
    const [inst] = ((await byId.json()) as any).value;
    expect(inst.teamsApp).toMatchObject({ id: STANDIN_CATALOG_APP.id, externalId: STANDIN_CATALOG_APP.externalId });
    const byExternal = await teamwork(
      'GET',
      `${ALICE}/teamwork/installedApps?$expand=teamsApp&$filter=${encodeURIComponent(`teamsApp/externalId eq '${STANDIN_CATALOG_APP.externalId}'`)}`,
    );
    expect(((await byExternal.json()) as any).value.map((i: any) => i.id)).toEqual([inst.id]);
    const chat = await teamwork('GET', `${ALICE}/teamwork/installedApps/${encodeURIComponent(inst.id)}/chat`);
    expect(((await chat.json()) as any).id).toBe(standIn.installedApps.get(ALICE)![0]!.chatId);
    expect(standIn.requests.find((r) => r.method === 'POST' && r.path.includes('/teamwork/'))!.body).toEqual(bind);
  });

  test('refuses an app outside the catalog, a user outside the directory, and a filter without $expand', async () => {
    const other = { 'teamsApp@odata.bind': 'https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/not-in-catalog' };
    expect((await teamwork('POST', `${ALICE}/teamwork/installedApps`, other)).status).toBe(404);
    expect((await teamwork('POST', `${ALICE}/teamwork/installedApps`, { id: 'x' })).status).toBe(400);
    expect((await teamwork('POST', '99999999-0000-0000-0000-000000000000/teamwork/installedApps', bind)).status).toBe(404);
    expect((await teamwork('GET', `${ALICE}/teamwork/installedApps?$filter=${encodeURIComponent("teamsApp/id eq 'x'")}`)).status).toBe(400);
  });

  test('answers a user’s failure as told, as often as told', async () => {
    standIn.userFailures.set(ALICE, { status: 429, retryAfter: 2, times: 1 });
    const r = await teamwork('POST', `${ALICE}/teamwork/installedApps`, bind);
    expect([r.status, r.headers.get('retry-after')]).toEqual([429, '2']);
    expect((await teamwork('POST', `${ALICE}/teamwork/installedApps`, bind)).status).toBe(201);
    standIn.userFailures.set(ALICE, { status: 404 });
    expect((await teamwork('GET', `${ALICE}/teamwork/installedApps`)).status).toBe(404);
    expect((await teamwork('GET', `${ALICE}/teamwork/installedApps`)).status).toBe(404);
  });

  test('takes an activity notification for a user who has the app, with a topic, type and preview', async () => {
    const n = {
      topic: { source: 'text', value: 'Carol', webUrl: 'https://teams.microsoft.com/l/entity/a/b' },
      activityType: 't',
      previewText: { content: 'hi' },
    };
    expect((await teamwork('POST', `${ALICE}/teamwork/sendActivityNotification`, n)).status).toBe(403);
    installForUser(standIn.installedApps, ALICE, STANDIN_CATALOG_APP.id);
    expect((await teamwork('POST', `${ALICE}/teamwork/sendActivityNotification`, n)).status).toBe(204);
    expect((await teamwork('POST', `${ALICE}/teamwork/sendActivityNotification`, { ...n, previewText: undefined })).status).toBe(400);
    expect(standIn.requests.at(-2)!.body).toEqual(n);
  });

  test('answers a queued 429 to a presence request too', async () => {
    standIn.failNext.push({ status: 429, retryAfter: 3 });
    const r = await presences({ ids: [ALICE] });
    expect([r.status, r.headers.get('retry-after')]).toEqual([429, '3']);
    expect((await presences({ ids: [ALICE] })).status).toBe(200);
  });
});

test("$search is parsed as Graph's clauses: quoted, escaped, AND binding tighter than OR", () => {
  expect(parseSearch('"displayName:al" OR "userPrincipalName:al"')).toEqual([
    [{ field: 'displayName', value: 'al' }],
    [{ field: 'userPrincipalName', value: 'al' }],
  ]);
  expect(parseSearch('"displayName:a\\"b\\\\" AND "mail:x" OR "displayName:y"')).toEqual([
    [
      { field: 'displayName', value: 'a"b\\' },
      { field: 'mail', value: 'x' },
    ],
    [{ field: 'displayName', value: 'y' }],
  ]);
  for (const bad of ['displayName:al', '"displayName:a"b"', '"displayName:al', '"displayName:al" OR', '"jobTitle:x"', '"displayName:a\\'])
    expect(typeof parseSearch(bad)).toBe('string');
});

test("the dev directory holds the demo tenant's users under their Entra ids", () => {
  for (const u of demoTenant().users) {
    expect(DEV_DIRECTORY).toContainEqual(expect.objectContaining({ id: u.entraObjectId, upn: u.upn, displayName: u.displayName }));
  }
  expect(new Set(DEV_DIRECTORY.map((u) => u.id)).size).toBe(DEV_DIRECTORY.length);
  for (const u of DEV_DIRECTORY) expect(u.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
});

describe('the handler mounted under a path, as dev mode mounts it', () => {
  let server: Server;
  let base: string;
  const requests: GraphStandInRequest[] = [];
  const presenceMap = new Map([['00000000-0000-0000-0000-000000000b0b', { availability: 'Away', activity: 'Away' }]]);
  beforeAll(async () => {
    const handler = graphStandInHandler({ prefix: '/api/dev/graph', requests, presences: presenceMap });
    // Like restify, read (and parse) the body before the handler runs.
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (d) => (text += d));
      req.on('end', () => {
        if (text)
          (req as IncomingMessage & { body?: unknown }).body =
            req.headers['content-type'] === 'application/json' ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
        void handler(req, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  test('serves the token and the search below the prefix', async () => {
    const api = new GraphApi({
      clientId: 'app',
      clientSecret: 's',
      baseUrl: `${base}/api/dev/graph`,
      authorityHost: `${base}/api/dev/graph`,
      log: quiet,
    });
    expect((await api.searchUsers(TENANT, 'erin')).map((u) => u.upn)).toEqual(['erin@contoso.com']);
    expect(requests.map((r) => `${r.method} ${new URL(r.path, 'http://x').pathname}`)).toEqual([
      `POST /${TENANT}/oauth2/v2.0/token`,
      'GET /v1.0/users',
    ]);
  });

  test('serves presences below the prefix from the map it was given', async () => {
    const api = new GraphApi({
      clientId: 'app',
      clientSecret: 's',
      baseUrl: `${base}/api/dev/graph`,
      authorityHost: `${base}/api/dev/graph`,
      log: quiet,
    });
    expect(await api.getPresences(TENANT, ['00000000-0000-0000-0000-000000000b0b'])).toEqual([
      { id: '00000000-0000-0000-0000-000000000b0b', availability: 'Away', activity: 'Away' },
    ]);
  });

  test('answers 404 outside the prefix', async () => {
    expect((await fetch(`${base}/v1.0/users`)).status).toBe(404);
    expect((await fetch(`${base}/api/dev/graphical/v1.0/users`)).status).toBe(404);
  });
});

import { createServer, type Server } from 'node:http';
import { createLogger } from '../util/log';
import { GraphApi, searchExpression, type GraphApiOptions } from './graph-client';
import { GraphError } from './graph-error';
import { installForUser, setPresence, STANDIN_CATALOG_APP, startGraphStandIn, type GraphStandIn } from './graph-standin';

const TENANT = '00000000-0000-0000-0000-00000000c0de';
const OTHER_TENANT = 'fabrikam.onmicrosoft.com';
const SECRET = 'graph-client-secret-value-1234';

let standIn: GraphStandIn;
let lines: string[];

beforeEach(async () => {
  standIn = await startGraphStandIn({ clientSecret: SECRET });
  lines = [];
});
afterEach(() => standIn.close());

function graph(over: Partial<GraphApiOptions> = {}): GraphApi {
  return new GraphApi({
    clientId: 'app-client-id',
    clientSecret: SECRET,
    baseUrl: standIn.url,
    authorityHost: standIn.url,
    log: createLogger('debug', (l) => lines.push(l)),
    ...over,
  });
}

const pathOf = (path: string) => new URL(path, 'http://x').pathname;
const tokenCalls = () => standIn.requests.filter((r) => r.method === 'POST' && pathOf(r.path).endsWith('/oauth2/v2.0/token'));
const userCalls = () => standIn.requests.filter((r) => r.path.startsWith('/v1.0/users'));
const searchOf = (path: string) => new URL(path, 'http://x').searchParams.get('$search');
const presenceCalls = () => standIn.requests.filter((r) => r.path === '/v1.0/communications/getPresencesByUserId');
/** The ids of each presence request, in order. */
const sentIds = () => presenceCalls().map((r) => (r.body as { ids: string[] }).ids);
/** A GUID per number, for lists of agents. */
const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

async function failure(p: Promise<unknown>): Promise<GraphError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(GraphError);
  return e as GraphError;
}

test('finds people by display name and by UPN, asking Graph with ConsistencyLevel and a bearer token', async () => {
  const api = graph();
  expect(await api.searchUsers(TENANT, 'alice')).toEqual([
    { id: '00000000-0000-0000-0000-0000000a11ce', upn: 'alice@contoso.com', displayName: 'Alice Anders', mail: 'alice@contoso.com' },
  ]);
  expect((await api.searchUsers(TENANT, 'mallory.nak')).map((u) => u.displayName)).toEqual(['Mallory Nakamura']);
  expect((await api.searchUsers(TENANT, 'BERG')).map((u) => u.upn)).toEqual(['bob@contoso.com']);

  const [first] = userCalls();
  expect(first!.headers.consistencylevel).toBe('eventual');
  expect(first!.headers.authorization).toMatch(/^Bearer graph-standin\./);
  const q = new URL(first!.path, 'http://x').searchParams;
  expect(q.get('$search')).toBe('"displayName:alice" OR "userPrincipalName:alice"');
  expect(q.get('$select')).toBe('id,displayName,userPrincipalName,mail');
  expect(q.get('$top')).toBe('20');
});

test('an empty query lists the first users by display name, without $search', async () => {
  const users = await graph().searchUsers(TENANT, '   ', 3);
  expect(users.map((u) => u.displayName)).toEqual(['Alice Anders', 'Bob Berg', 'Carol Castillo']);
  const q = new URL(userCalls()[0]!.path, 'http://x').searchParams;
  expect([q.get('$search'), q.get('$orderby'), q.get('$top')]).toEqual([null, 'displayName', '3']);
});

test('a user without mail comes back without it', async () => {
  expect(await graph().searchUsers(TENANT, 'sales desk')).toEqual([
    { id: 'f1d4a7c9-3b8e-4a52-9e6d-000000005a1e', upn: 'sales-desk@contoso.com', displayName: 'Sales Desk' },
  ]);
});

test('the token is fetched once per Entra tenant and reused for the next searches', async () => {
  const api = graph();
  await api.searchUsers(TENANT, 'alice');
  await api.searchUsers(TENANT, 'bob');
  expect(tokenCalls().map((r) => pathOf(r.path))).toEqual([`/${TENANT}/oauth2/v2.0/token`]);
  const [a, b] = userCalls();
  expect(a!.headers.authorization).toBe(b!.headers.authorization);
  // msal asked for nothing else: no instance discovery, no OpenID metadata (it all runs offline).
  expect(standIn.requests).toHaveLength(3);

  await api.searchUsers(OTHER_TENANT, 'carol');
  expect(tokenCalls().map((r) => pathOf(r.path))).toEqual([`/${TENANT}/oauth2/v2.0/token`, `/${OTHER_TENANT}/oauth2/v2.0/token`]);
  expect(userCalls()[2]!.headers.authorization).not.toBe(a!.headers.authorization);
});

test('quotes and backslashes in the query are escaped for $search and do not break the request', async () => {
  standIn.users.push({ id: '11111111-2222-4333-8444-555555555555', upn: 'sam@contoso.com', displayName: 'Sam "The Rock" St\\one' });
  expect(searchExpression('a"b\\c')).toBe('"displayName:a\\"b\\\\c" OR "userPrincipalName:a\\"b\\\\c"');
  expect((await graph().searchUsers(TENANT, '"The Rock" St\\o')).map((u) => u.upn)).toEqual(['sam@contoso.com']);
  expect(searchOf(userCalls()[0]!.path)).toBe('"displayName:\\"The Rock\\" St\\\\o" OR "userPrincipalName:\\"The Rock\\" St\\\\o"');
  // Characters that mean something in a URL reach Graph as written.
  expect(await graph().searchUsers(TENANT, "o'donnell & co #1 100%")).toEqual([]);
  expect(searchOf(userCalls()[1]!.path)).toBe(`"displayName:o'donnell & co #1 100%" OR "userPrincipalName:o'donnell & co #1 100%"`);
});

test('a 429 becomes a GraphError that says how long to wait', async () => {
  standIn.failNext.push({ status: 429, retryAfter: 12 });
  const e = await failure(graph().searchUsers(TENANT, 'alice'));
  expect(e.message).toBe('Graph is throttling (429): retry in 12 s');
  expect([e.status, e.code, e.retryAfterSec]).toEqual([429, 'TooManyRequests', 12]);
  expect(userCalls()).toHaveLength(1); // told, not retried behind the admin's back
});

test("401 and 403 say in plain words what is wrong with the app's access", async () => {
  standIn.failNext.push({ status: 401 }, { status: 403 });
  const api = graph();
  const e401 = await failure(api.searchUsers(TENANT, 'alice'));
  expect(e401.message).toBe("Graph refused the app's credentials (401 InvalidAuthenticationToken)");
  expect([e401.status, e401.code]).toEqual([401, 'InvalidAuthenticationToken']);
  const e403 = await failure(api.searchUsers(TENANT, 'alice'));
  expect(e403.message).toBe('the app lacks the User.Read.All application permission (403 Authorization_RequestDenied)');
  expect(e403.status).toBe(403);
});

test('Entra ID refusing the client secret is reported as such', async () => {
  const e = await failure(graph({ clientSecret: 'wrong-secret-value' }).searchUsers(TENANT, 'alice'));
  expect(e.message).toMatch(/^Entra ID refused the app's credentials \(invalid_client, AADSTS7000215\)/);
  expect(e.code).toBe('invalid_client');
  expect(userCalls()).toHaveLength(0);
});

test('an unreachable Graph gives "could not reach Graph"', async () => {
  const closed = await freePort();
  const e = await failure(graph({ baseUrl: `http://127.0.0.1:${closed}` }).searchUsers(TENANT, 'alice'));
  expect(e.message).toBe('could not reach Graph: ECONNREFUSED');
  expect(e.status).toBeUndefined();
});

test('an unreachable Entra ID gives "could not reach Entra ID"', async () => {
  const closed = await freePort();
  const e = await failure(graph({ authorityHost: `http://127.0.0.1:${closed}` }).searchUsers(TENANT, 'alice'));
  expect(e.message).toBe('could not reach Entra ID: ECONNREFUSED');
});

test('a Graph that does not answer times out at the deadline', async () => {
  const silent: Server = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    const e = await failure(graph({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 300 }).searchUsers(TENANT, 'alice'));
    expect(e.message).toBe('Graph did not answer within 0.3 s');
    expect(Date.now() - started).toBeLessThan(3000);
  } finally {
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  }
});

test('a tenant id that is neither a GUID nor a domain never reaches a URL', async () => {
  const e = await failure(graph().searchUsers('../common/oauth2', 'alice'));
  expect(e.message).toMatch(/is not an Entra tenant id/);
  expect(standIn.requests).toHaveLength(0);
});

test('neither the client secret nor a token is ever logged', async () => {
  const api = graph();
  await api.searchUsers(TENANT, 'alice');
  standIn.failNext.push({ status: 401 });
  await failure(api.searchUsers(TENANT, 'alice'));
  await failure(graph({ clientSecret: 'another-wrong-secret' }).searchUsers(OTHER_TENANT, 'alice'));
  const token = userCalls()[0]!.headers.authorization!.slice('Bearer '.length);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line).not.toContain(SECRET);
    expect(line).not.toContain('another-wrong-secret');
    expect(line).not.toContain(token);
  }
});

describe('presence', () => {
  const ALICE = '00000000-0000-0000-0000-0000000a11ce';
  const BOB = '00000000-0000-0000-0000-000000000b0b';
  const NOBODY = '9a9a9a9a-0000-4000-8000-000000000000';

  test('reads the presence of a list of users in one POST, an unknown user as PresenceUnknown', async () => {
    setPresence(standIn.presences, ALICE, 'Available', 'Available');
    setPresence(standIn.presences, BOB, 'Busy', 'InACall');
    expect(await graph().getPresences(TENANT, [ALICE, BOB.toUpperCase(), NOBODY])).toEqual([
      { id: ALICE, availability: 'Available', activity: 'Available' },
      { id: BOB.toUpperCase(), availability: 'Busy', activity: 'InACall' },
      { id: NOBODY, availability: 'PresenceUnknown', activity: 'PresenceUnknown' },
    ]);
    const [call] = presenceCalls();
    expect(call!.method).toBe('POST');
    expect(call!.headers.authorization).toMatch(/^Bearer graph-standin\./);
    expect(sentIds()).toEqual([[ALICE, BOB.toUpperCase(), NOBODY]]);
  });

  test('an availability Graph adds later reads as PresenceUnknown, its activity kept', async () => {
    setPresence(standIn.presences, ALICE, 'FocusMode', 'Focusing');
    expect(await graph().getPresences(TENANT, [ALICE])).toEqual([{ id: ALICE, availability: 'PresenceUnknown', activity: 'Focusing' }]);
  });

  test('1,300 users are asked for in two requests of 650, one after the other, with one token', async () => {
    const ids = Array.from({ length: 1300 }, (_, i) => guid(i + 1));
    setPresence(standIn.presences, ids[1299]!, 'Away', 'Away');
    const presences = await graph().getPresences(TENANT, ids);
    expect(presences.map((p) => p.id)).toEqual(ids);
    expect(presences[1299]).toEqual({ id: ids[1299], availability: 'Away', activity: 'Away' });
    expect(sentIds()).toEqual([ids.slice(0, 650), ids.slice(650)]);
    expect(tokenCalls()).toHaveLength(1);
  });

  test('an id that is not a GUID is never sent, nor a repeated one; none at all sends nothing', async () => {
    const api = graph();
    const odd = ['alice@contoso.com', `${ALICE}"]}`, '../users', ''];
    expect((await api.getPresences(TENANT, [...odd, ALICE, ALICE.toUpperCase()])).map((p) => p.id)).toEqual([ALICE.toUpperCase()]);
    expect(sentIds()).toEqual([[ALICE.toUpperCase()]]);
    expect(await api.getPresences(TENANT, odd)).toEqual([]);
    expect(await api.getPresences(TENANT, [])).toEqual([]);
    expect(presenceCalls()).toHaveLength(1);
  });

  test('a 429 becomes a GraphError with retryAfterSec, and the read is not retried behind the caller', async () => {
    standIn.failNext.push({ status: 429, retryAfter: 30 });
    const e = await failure(graph().getPresences(TENANT, [ALICE, BOB]));
    expect([e.status, e.code, e.retryAfterSec]).toEqual([429, 'TooManyRequests', 30]);
    expect(e.message).toBe('Graph is throttling (429): retry in 30 s');
    expect(presenceCalls()).toHaveLength(1);
  });

  test('a 403 names the Presence.Read.All permission, a 401 the credentials', async () => {
    standIn.failNext.push({ status: 403 }, { status: 401 });
    const api = graph();
    const e403 = await failure(api.getPresences(TENANT, [ALICE]));
    expect(e403.message).toBe('the app lacks the Presence.Read.All application permission (403 Authorization_RequestDenied)');
    expect([e403.status, e403.code]).toEqual([403, 'Authorization_RequestDenied']);
    const e401 = await failure(api.getPresences(TENANT, [ALICE]));
    expect(e401.message).toBe("Graph refused the app's credentials (401 InvalidAuthenticationToken)");
    expect(lines.some((l) => l.includes('graph: presence read failed'))).toBe(true);
  });

  test('an unreachable Graph gives "could not reach Graph"', async () => {
    const closed = await freePort();
    const e = await failure(graph({ baseUrl: `http://127.0.0.1:${closed}` }).getPresences(TENANT, [ALICE]));
    expect(e.message).toBe('could not reach Graph: ECONNREFUSED');
  });
});

describe('the Teams app for a user', () => {
  const BOB = '00000000-0000-0000-0000-000000000b0b';
  const APP = STANDIN_CATALOG_APP;

  test('finds the org catalog id by the manifest id; an app the catalog lacks answers undefined', async () => {
    const api = graph();
    expect(await api.catalogAppId(TENANT, APP.externalId!)).toBe(APP.id);
    expect(await api.catalogAppId(TENANT, "it's-not-there")).toBeUndefined();
    const filters = standIn.requests.map((r) => new URL(r.path, 'http://x').searchParams.get('$filter')).filter(Boolean);
    expect(filters).toEqual([`externalId eq '${APP.externalId}'`, "externalId eq 'it''s-not-there'"]);
  });

  test('installs, answers alreadyInstalled on the 409 of a second install, and finds the installation and its chat', async () => {
    const api = graph();
    expect(await api.installAppForUser(TENANT, BOB, APP.id)).toBe('installed');
    expect(await api.installAppForUser(TENANT, BOB, APP.id)).toBe('alreadyInstalled');
    const installation = await api.findUserInstallation(TENANT, BOB, APP.id);
    expect(installation).toBe(standIn.installedApps.get(BOB)![0]!.id);
    expect(await api.installationChatId(TENANT, BOB, installation!)).toBe(standIn.installedApps.get(BOB)![0]!.chatId);
    expect(await api.findUserInstallation(TENANT, '00000000-0000-0000-0000-0000000a11ce', APP.id)).toBeUndefined();
    const post = standIn.requests.find((r) => r.method === 'POST' && r.path.endsWith('/teamwork/installedApps'));
    expect(post!.body).toEqual({ 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${APP.id}` });
    const lookup = standIn.requests.find((r) => r.method === 'GET' && r.path.includes('/teamwork/installedApps?'));
    const q = new URL(lookup!.path, 'http://x').searchParams;
    expect([q.get('$expand'), q.get('$filter')]).toEqual(['teamsApp', `teamsApp/id eq '${APP.id}'`]);
    expect(lines.some((l) => l.includes('app installation failed'))).toBe(false);
  });

  test('a refusal names the permission; an id that is not a GUID never reaches a URL', async () => {
    const api = graph();
    standIn.userFailures.set(BOB, { status: 403 });
    const e = await failure(api.installAppForUser(TENANT, BOB, APP.id));
    expect([e.status, e.message]).toEqual([
      403,
      'the app lacks the TeamsAppInstallation.ReadWriteSelfForUser.All (or TeamsAppInstallation.ReadWriteForUser.All) application permission (403 Authorization_RequestDenied)',
    ]);
    expect(e.graphMessage).toBe('Insufficient privileges to complete the operation.');
    const before = standIn.requests.length;
    expect((await failure(api.installAppForUser(TENANT, '../../me', APP.id))).message).toMatch(/is not an Entra object id/);
    expect((await failure(api.installAppForUser(TENANT, BOB, 'a/../b'))).message).toMatch(/is not a Teams catalog app id/);
    expect(standIn.requests.length).toBe(before);
  });

  test('sends an activity notification to an installed user', async () => {
    installForUser(standIn.installedApps, BOB, APP.id);
    const body = {
      topic: { source: 'text' as const, value: 'Carol (Support)', webUrl: 'https://teams.microsoft.com/l/entity/x/mysessions' },
      activityType: 'chatOffered',
      previewText: { content: 'Carol is waiting (Support)' },
      templateParameters: [{ name: 'customer', value: 'Carol' }],
    };
    await graph().sendActivityNotification(TENANT, BOB, body);
    expect(standIn.requests.at(-1)!.body).toEqual(body);
  });

  test('an answer that is not JSON, or none within the deadline, is a GraphError without a status', async () => {
    const odd: Server = createServer((req, res) => {
      if (req.url?.includes('/oauth2/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: 'graph-standin.x' }));
      } else if (req.url?.includes('/chat'))
        return; // never answers
      else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"value": [ garbage');
      }
    });
    await new Promise<void>((r) => odd.listen(0, '127.0.0.1', () => r()));
    try {
      const base = `http://127.0.0.1:${(odd.address() as { port: number }).port}`;
      const api = graph({ baseUrl: base, authorityHost: base, timeoutMs: 300 });
      const garbage = await failure(api.findUserInstallation(TENANT, BOB, APP.id));
      expect([garbage.status, garbage.message]).toEqual([undefined, expect.stringMatching(/^Graph's answer could not be read \(200\)/)]);
      const started = Date.now();
      const silent = await failure(api.installationChatId(TENANT, BOB, 'inst'));
      expect([silent.status, silent.message]).toEqual([undefined, 'Graph did not answer within 0.3 s']);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      odd.closeAllConnections();
      await new Promise((r) => odd.close(r));
    }
  });
});

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

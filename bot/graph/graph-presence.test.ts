import { createLogger } from '../util/log';
import { GraphApi } from './graph-client';
import { GraphError } from './graph-error';
import { setPresence, startGraphStandIn, type GraphStandIn } from './graph-standin';

const TENANT = '00000000-0000-0000-0000-00000000c0de';
const SECRET = 'graph-client-secret-value-1234';
let standIn: GraphStandIn;

beforeEach(async () => {
  standIn = await startGraphStandIn({ clientSecret: SECRET });
});
afterEach(() => standIn.close());

const graph = () =>
  new GraphApi({ clientId: 'app', clientSecret: SECRET, baseUrl: standIn.url, authorityHost: standIn.url, log: createLogger('error') });
const guid = (n: number) => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
const presenceCalls = () => standIn.requests.filter((r) => r.path === '/v1.0/communications/getPresencesByUserId');

test('presences come back for each id; an unknown one is PresenceUnknown', async () => {
  setPresence(standIn.presences, guid(1), 'Busy', 'InACall');
  const r = await graph().getPresences(TENANT, [guid(1), guid(2)]);
  expect(r).toEqual([
    { id: guid(1), availability: 'Busy', activity: 'InACall' },
    { id: guid(2), availability: 'PresenceUnknown', activity: 'PresenceUnknown' },
  ]);
});

test('1,300 users are read in two requests of 650 (Graph limit); an id that is not a GUID is never sent', async () => {
  const ids = Array.from({ length: 1300 }, (_, i) => guid(i + 1));
  const r = await graph().getPresences(TENANT, [...ids, 'alice@contoso.com', '../../me']);
  expect(r).toHaveLength(1300);
  expect(presenceCalls()).toHaveLength(2);
});

test('throttling gives Retry-After; a missing permission says which', async () => {
  standIn.failNext.push({ status: 429, retryAfter: 12 });
  const throttled = await graph()
    .getPresences(TENANT, [guid(1)])
    .catch((e: unknown) => e);
  expect(throttled).toBeInstanceOf(GraphError);
  expect((throttled as GraphError).retryAfterSec).toBe(12);
  standIn.failNext.push({ status: 403 });
  const denied = await graph()
    .getPresences(TENANT, [guid(1)])
    .catch((e: unknown) => e);
  expect((denied as GraphError).message).toMatch(/Presence\.Read\.All/);
});

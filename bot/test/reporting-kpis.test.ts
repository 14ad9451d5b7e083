/**
 * KPIs through the real route and database: a scripted day of reporting sessions (each folded
 * from its task events by the real reducer, written as tasks write them) against figures worked
 * out by hand below; who may read which rows; the query's limits; the CSV; and, through the real
 * workflow, chats that end as closed hours and as nobody available counted as such.
 *
 * The day (2026-12-01 UTC; support's threshold 20 s, sales' 60 s), waits in seconds:
 *   S1  support interact  queued 09:00, accepted by bob after 10, handled 300 s, rated 5
 *   S2  support whatsapp  queued 09:30, accepted by bob after 30, handled 600 s, rated 3
 *   S3  support           queued 10:00, abandoned after 5 (within the threshold)
 *   S4  support           queued 10:10, abandoned after 60
 *   S5  support           queued 11:00, offer missed, ended missed after 120
 *   S6  support           queued 11:30, offer declined, ended declined after 40
 *   S7  support           queued 12:00, accepted by bob after 15, transferred after 60 s
 *   S8  support           13:00, closed hours (never queued)
 *   S9  support           13:05, queued and back at once: nobody available (wait 0)
 *   S10 sales             queued 14:00, accepted by alice after 45 (within sales' 60), handled 120 s
 *   S11 direct:bob        queued 15:00, accepted by bob after 4, handled 100 s
 *   S12 support, 2026-12-02 08:00, accepted by bob after 3, handled 120 s, rated 4
 *   S13 support, 2026-11-20 (outside every range asked below)
 */
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { sessionFromEvents } from '@stratus/shared/reporting/session';
import type { Outcome, Task, TaskEvent } from '@stratus/shared/task/types';
import type { ChannelKind } from '@stratus/shared/tenant/model';
import { saveReportingSession } from '../store/reporting';
import { openCustomerSocket, startHarness, waitFor, type Harness } from './harness';

const user = (id: string, extra: object = {}) => ({
  id,
  upn: `${id}@contoso.com`,
  displayName: id,
  licenses: ['im' as const],
  presence: 'online' as const,
  onDuty: true,
  inBlockingCall: false,
  ...extra,
});

function tenant(): TenantConfig {
  const t = demoTenant();
  const [support, sales] = t.services as [TenantConfig['services'][number], TenantConfig['services'][number]];
  const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x));
  return {
    ...t,
    users: [...t.users, user('sue'), user('carl'), user('ann')],
    services: [
      { ...copy(support), supervisors: ['alice', 'sue'] },
      { ...copy(sales), supervisors: ['carl'], im: { ...copy(sales.im), serviceLevelSec: 60 } },
      {
        ...copy(support),
        id: 'night',
        name: 'Night desk',
        supervisors: [],
        im: { ...copy(support.im), interact: { code: 'night', allowedOrigins: [] }, whatsapp: undefined },
        openingHours: { timeZone: 'UTC', weekly: [], exceptions: [] },
      },
      {
        ...copy(support),
        id: 'empty',
        name: 'Empty desk',
        supervisors: [],
        members: [],
        im: { ...copy(support.im), interact: { code: 'empty', allowedOrigins: [] }, whatsapp: undefined },
      },
    ],
  };
}

const at = (iso: string) => Date.parse(iso);

/** One scripted session: its events, from creation; times are offsets in seconds from `start`. */
function session(
  id: string,
  serviceId: string,
  start: string,
  steps: (
    [number, 'queued'] | [number, 'offered' | 'accepted' | 'declined' | 'missed', string] | [number, 'back'] | [number, 'ended', Outcome]
  )[],
  opts: { channel?: ChannelKind; direct?: string; csat?: 1 | 2 | 3 | 4 | 5 } = {},
) {
  const t0 = at(start);
  const channel = opts.channel ?? 'interact';
  const events: TaskEvent[] = [
    {
      type: 'created',
      taskId: id,
      at: t0,
      serviceId,
      channel,
      conversationId: `c-${id}`,
      ...(opts.direct ? { directUserId: opts.direct } : {}),
    },
  ];
  for (const s of steps) {
    const when = t0 + s[0] * 1000;
    if (s[1] === 'queued') events.push({ type: 'queued', taskId: id, at: when, priority: 'normal', requeue: false });
    else if (s[1] === 'offered') events.push({ type: 'offered', taskId: id, at: when, userIds: [s[2]], expiresAt: when + 30_000 });
    else if (s[1] === 'accepted') events.push({ type: 'accepted', taskId: id, at: when, userId: s[2] });
    else if (s[1] === 'declined') events.push({ type: 'offerDeclined', taskId: id, at: when, userId: s[2] });
    else if (s[1] === 'missed') events.push({ type: 'offerMissed', taskId: id, at: when, userId: s[2] });
    else if (s[1] === 'back') events.push({ type: 'returnedToWorkflow', taskId: id, at: when, reason: 'nobodyEligible' });
    else events.push({ type: 'ended', taskId: id, at: when, outcome: s[2] as Outcome, by: s[2] === 'abandoned' ? 'customer' : 'workflow' });
  }
  const s = sessionFromEvents(events, { tenantId: 'contoso' })!;
  if (opts.csat) s.csat = { rating: opts.csat, at: s.endedAt! + 5000 };
  return { task: { id, tenantId: 'contoso', serviceId, channel } as Task, session: s };
}

const DAY = [
  session(
    'S1',
    'support',
    '2026-12-01T09:00:00Z',
    [
      [0, 'queued'],
      [2, 'offered', 'bob'],
      [10, 'accepted', 'bob'],
      [310, 'ended', 'handled'],
    ],
    {
      csat: 5,
    },
  ),
  session(
    'S2',
    'support',
    '2026-12-01T09:30:00Z',
    [
      [0, 'queued'],
      [5, 'offered', 'bob'],
      [30, 'accepted', 'bob'],
      [630, 'ended', 'handled'],
    ],
    { channel: 'whatsapp', csat: 3 },
  ),
  session('S3', 'support', '2026-12-01T10:00:00Z', [
    [0, 'queued'],
    [5, 'ended', 'abandoned'],
  ]),
  session('S4', 'support', '2026-12-01T10:10:00Z', [
    [0, 'queued'],
    [60, 'ended', 'abandoned'],
  ]),
  session('S5', 'support', '2026-12-01T11:00:00Z', [
    [0, 'queued'],
    [1, 'offered', 'bob'],
    [31, 'missed', 'bob'],
    [120, 'ended', 'missed'],
  ]),
  session('S6', 'support', '2026-12-01T11:30:00Z', [
    [0, 'queued'],
    [1, 'offered', 'bob'],
    [4, 'declined', 'bob'],
    [40, 'ended', 'declined'],
  ]),
  session('S7', 'support', '2026-12-01T12:00:00Z', [
    [0, 'queued'],
    [3, 'offered', 'bob'],
    [15, 'accepted', 'bob'],
    [75, 'ended', 'transferred'],
  ]),
  session('S8', 'support', '2026-12-01T13:00:00Z', [[1, 'ended', 'closedHours']]),
  session('S9', 'support', '2026-12-01T13:05:00Z', [
    [0, 'queued'],
    [0, 'back'],
    [1, 'ended', 'nobodyAvailable'],
  ]),
  session('S10', 'sales', '2026-12-01T14:00:00Z', [
    [0, 'queued'],
    [10, 'offered', 'alice'],
    [45, 'accepted', 'alice'],
    [165, 'ended', 'handled'],
  ]),
  session(
    'S11',
    'direct:bob',
    '2026-12-01T15:00:00Z',
    [
      [0, 'queued'],
      [1, 'offered', 'bob'],
      [4, 'accepted', 'bob'],
      [104, 'ended', 'handled'],
    ],
    { direct: 'bob' },
  ),
  session(
    'S12',
    'support',
    '2026-12-02T08:00:00Z',
    [
      [0, 'queued'],
      [1, 'offered', 'bob'],
      [3, 'accepted', 'bob'],
      [123, 'ended', 'handled'],
    ],
    {
      csat: 4,
    },
  ),
  session('S13', 'support', '2026-11-20T08:00:00Z', [
    [0, 'queued'],
    [2, 'accepted', 'bob'],
    [62, 'ended', 'handled'],
  ]),
];

/** A row with every count zero and no averages, overridden by `x`. */
const row = (x: object) => ({
  offered: 0,
  accepted: 0,
  handled: 0,
  abandoned: 0,
  missed: 0,
  declined: 0,
  transferred: 0,
  failed: 0,
  timedOut: 0,
  inactive: 0,
  closedHours: 0,
  nobodyAvailable: 0,
  serviceLevelPct: null,
  avgWaitSec: null,
  avgHandleSec: null,
  maxWaitSec: null,
  csatCount: 0,
  csatAvg: null,
  ...x,
});

// The figures worked out by hand from the table above.
const SUPPORT = row({
  key: 'support',
  offered: 9, // S1-S7, S9, S12 entered the queue; S8 never did
  accepted: 4, // S1, S2, S7, S12
  handled: 3,
  abandoned: 2,
  missed: 1,
  declined: 1,
  transferred: 1,
  closedHours: 1,
  nobodyAvailable: 1,
  serviceLevelPct: 37.5, // within 20 s: S1, S7, S12 = 3, over 9 offered less S3 (abandoned within 20 s) = 8
  avgWaitSec: 31.4, // (10+30+5+60+120+40+15+0+3) / 9 = 283 / 9
  avgHandleSec: 270, // (300+600+60+120) / 4
  maxWaitSec: 120,
  csatCount: 3,
  csatAvg: 4, // (5+3+4) / 3
});
const SALES = row({
  key: 'sales',
  offered: 1,
  accepted: 1,
  handled: 1,
  serviceLevelPct: 100, // 45 s is within sales' 60 s
  avgWaitSec: 45,
  avgHandleSec: 120,
  maxWaitSec: 45,
});
const DIRECT_BOB = row({
  key: 'direct:bob',
  offered: 1,
  accepted: 1,
  handled: 1,
  serviceLevelPct: 100,
  avgWaitSec: 4,
  avgHandleSec: 100,
  maxWaitSec: 4,
});

const RANGE = 'from=2026-12-01T00:00:00Z&to=2026-12-02T23:59:59.999Z';

let h: Harness;
let tokens: Record<'alice' | 'sue' | 'carl' | 'bob' | 'ann', string>;
beforeAll(async () => {
  h = await startHarness({ tenants: [tenant()] });
  for (const x of DAY)
    await h.app.store.db.transaction((tx) =>
      saveReportingSession(tx, x.task, x.session, undefined, x.task.serviceId === 'sales' ? 60_000 : 20_000),
    );
  tokens = {
    alice: await h.devToken('alice@contoso.com'),
    sue: await h.devToken('sue@contoso.com'),
    carl: await h.devToken('carl@contoso.com'),
    bob: await h.devToken('bob@contoso.com'),
    ann: await h.devToken('ann@contoso.com'),
  };
});
afterAll(async () => {
  await h?.stop();
});

const kpis = async (who: keyof typeof tokens, q: string) => h.call('GET', `/api/reporting/kpis?${q}`, undefined, tokens[who]);

test('a tenant admin reads the scripted day by service: every figure as worked out by hand', async () => {
  const r = await kpis('alice', `${RANGE}&groupBy=service`);
  expect(r.status).toBe(200);
  expect(r.data.rows).toEqual([DIRECT_BOB, SALES, SUPPORT]);
});

test('by channel, by day and by agent', async () => {
  expect((await kpis('alice', `${RANGE}&groupBy=channel`)).data.rows).toEqual([
    row({
      key: 'interact',
      offered: 10,
      accepted: 5,
      handled: 4, // S1, S10, S11, S12
      abandoned: 2,
      missed: 1,
      declined: 1,
      transferred: 1,
      closedHours: 1,
      nobodyAvailable: 1,
      serviceLevelPct: 55.6, // S1, S7, S12, S10, S11 within their thresholds = 5, over 10 less S3 = 9
      avgWaitSec: 30.2, // (283 - 30 + 45 + 4) / 10
      avgHandleSec: 140, // (300+60+120+120+100) / 5
      maxWaitSec: 120,
      csatCount: 2,
      csatAvg: 4.5,
    }),
    row({
      key: 'whatsapp',
      offered: 1,
      accepted: 1,
      handled: 1,
      serviceLevelPct: 0, // 30 s is over support's 20 s
      avgWaitSec: 30,
      avgHandleSec: 600,
      maxWaitSec: 30,
      csatCount: 1,
      csatAvg: 3,
    }),
  ]);
  expect((await kpis('alice', `${RANGE}&groupBy=day`)).data.rows).toEqual([
    row({
      key: '2026-12-01',
      offered: 10,
      accepted: 5,
      handled: 4, // S1, S2, S10, S11
      abandoned: 2,
      missed: 1,
      declined: 1,
      transferred: 1,
      closedHours: 1,
      nobodyAvailable: 1,
      serviceLevelPct: 44.4, // S1, S7, S10, S11 = 4 over 10 less S3 = 9
      avgWaitSec: 32.9, // (10+30+5+60+120+40+15+0+45+4) / 10
      avgHandleSec: 236, // (300+600+60+120+100) / 5
      maxWaitSec: 120,
      csatCount: 2,
      csatAvg: 4,
    }),
    row({
      key: '2026-12-02',
      offered: 1,
      accepted: 1,
      handled: 1,
      serviceLevelPct: 100,
      avgWaitSec: 3,
      avgHandleSec: 120,
      maxWaitSec: 3,
      csatCount: 1,
      csatAvg: 4,
    }),
  ]);
  expect((await kpis('alice', `${RANGE}&groupBy=agent`)).data.rows).toEqual([
    row({
      key: '', // nobody accepted: S3-S6, S8, S9
      offered: 5,
      abandoned: 2,
      missed: 1,
      declined: 1,
      closedHours: 1,
      nobodyAvailable: 1,
      serviceLevelPct: 0, // 0 over 5 less S3 = 4
      avgWaitSec: 45, // (5+60+120+40+0) / 5
      maxWaitSec: 120,
    }),
    row({ key: 'alice', offered: 1, accepted: 1, handled: 1, serviceLevelPct: 100, avgWaitSec: 45, avgHandleSec: 120, maxWaitSec: 45 }),
    row({
      key: 'bob', // S1, S2, S7, S11, S12
      offered: 5,
      accepted: 5,
      handled: 4,
      transferred: 1,
      serviceLevelPct: 80, // all but S2
      avgWaitSec: 12.4, // (10+30+15+4+3) / 5
      avgHandleSec: 236, // (300+600+60+100+120) / 5
      maxWaitSec: 30,
      csatCount: 3,
      csatAvg: 4,
    }),
  ]);
});

test('a supervisor reads their services only, a user their own direct chats, anyone else nothing', async () => {
  // Sue supervises support: its row and no other, and not bob's direct chat.
  expect((await kpis('sue', `${RANGE}&groupBy=service`)).data.rows).toEqual([SUPPORT]);
  expect((await kpis('sue', `${RANGE}&groupBy=service&service=support`)).data.rows).toEqual([SUPPORT]);
  for (const q of ['service=sales', 'service=direct:bob', 'service=nosuch']) {
    const r = await kpis('sue', `${RANGE}&${q}`);
    expect(r.status).toBe(403);
    expect(r.data.error.code).toBe('forbidden');
  }
  // Carl supervises sales only.
  expect((await kpis('carl', `${RANGE}&groupBy=service`)).data.rows).toEqual([SALES]);
  // Bob supervises nothing but has an Interact code: his direct chats, reported to him.
  expect((await kpis('bob', `${RANGE}&groupBy=service`)).data.rows).toEqual([DIRECT_BOB]);
  expect((await kpis('bob', `${RANGE}&service=support`)).status).toBe(403);
  // Ann is an agent with neither.
  const ann = await kpis('ann', RANGE);
  expect(ann.status).toBe(403);
  expect(ann.data.error.message).toMatch(/supervisors and tenant admins/);
  // The sessions report keeps to the same rule.
  const sessions = async (who: keyof typeof tokens) =>
    ((await h.call('GET', `/api/reporting/sessions?${RANGE}`, undefined, tokens[who])).data.sessions as { taskId: string }[])
      .map((s) => s.taskId)
      .sort();
  expect(await sessions('bob')).toEqual(['S11']);
  expect(await sessions('carl')).toEqual(['S10']);
  expect(await sessions('sue')).not.toContain('S11');
  expect((await h.call('GET', '/api/reporting/sessions', undefined, tokens.ann)).status).toBe(403);
  expect((await kpis('alice', '')).status).toBe(200);
  expect((await h.call('GET', '/api/reporting/kpis')).status).toBe(401);
});

test('hourly keys, the channel filter, the range, and the CSV of what is shown', async () => {
  const hours = (await kpis('sue', 'from=2026-12-01T00:00:00Z&to=2026-12-01T23:59:59Z&groupBy=hour')).data.rows;
  expect(hours.map((r: { key: string }) => r.key)).toEqual([
    '2026-12-01T09',
    '2026-12-01T10',
    '2026-12-01T11',
    '2026-12-01T12',
    '2026-12-01T13',
  ]);
  expect(hours[4]).toEqual(
    row({ key: '2026-12-01T13', offered: 1, closedHours: 1, nobodyAvailable: 1, serviceLevelPct: 0, avgWaitSec: 0, maxWaitSec: 0 }),
  );
  const wa = (await kpis('alice', `${RANGE}&groupBy=service&channel=whatsapp`)).data.rows;
  expect(wa.map((r: { key: string; offered: number }) => [r.key, r.offered])).toEqual([['support', 1]]);
  // S13 (20 November) is counted only when the range reaches back to it.
  const nov = (await kpis('alice', 'from=2026-11-01&to=2026-11-30T23:59:59Z&groupBy=service')).data.rows;
  expect(nov).toEqual([
    row({ key: 'support', offered: 1, accepted: 1, handled: 1, serviceLevelPct: 100, avgWaitSec: 2, avgHandleSec: 60, maxWaitSec: 2 }),
  ]);
  // Nothing in range: no rows, not an error.
  expect((await kpis('alice', 'from=2025-01-01&to=2025-01-31')).data.rows).toEqual([]);

  const csv = await kpis('sue', `${RANGE}&groupBy=service&format=csv`);
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="stratus-kpis-by-service.csv"/);
  const lines = (csv.data as string).trim().split('\r\n');
  expect(lines[0]).toBe(
    'service,offered,accepted,handled,abandoned,missed,declined,transferred,failed,timedOut,inactive,closedHours,nobodyAvailable,serviceLevelPct,avgWaitSec,avgHandleSec,maxWaitSec,csatCount,csatAvg',
  );
  expect(lines[1]).toBe('support,9,4,3,2,1,1,1,0,0,0,1,1,37.5,31.4,270,120,3,4');
  expect(lines).toHaveLength(2);
});

test('bad queries are 400s that say what to send', async () => {
  const bad = [
    ['groupBy=week', /groupBy: one of service, channel, agent, day, hour/],
    ['from=yesterday', /from: an ISO 8601 time/],
    ['to=1', /to: an ISO 8601 time/],
    ['from=2026-02-30', /not a time|ISO/],
    ['from=2026-12-02&to=2026-12-01', /from: must not be after to/],
    ['from=2024-01-01&to=2026-12-01', /at most 366 days/],
    ['from=2026-10-01&to=2026-12-01&groupBy=hour', /Hourly figures cover 31 days at most/],
    ['channel=fax', /channel: one of/],
    ['format=xml', /format: json or csv/],
    ['groupBy=day&groupBy=hour', /./],
  ] as const;
  for (const [q, message] of bad) {
    const r = await kpis('alice', q);
    expect([q, r.status, r.data.error?.code]).toEqual([q, 400, 'invalid_request']);
    expect(r.data.error.message).toMatch(message);
  }
});

test('through the real workflow: a closed desk and an empty desk end as closed hours and nobody available', async () => {
  const chat = async (code: string) => {
    const r = await h.call('POST', `/api/interact/${code}/chats`, {
      displayName: 'Nora',
      email: 'nora@example.com',
      privacyAccepted: true,
      message: 'hello',
    });
    expect(r.status).toBe(201);
    const { frames, ws } = await openCustomerSocket(h.url, r.data.chatId, r.data.token);
    await waitFor('ended', () => frames.some((f) => f.type === 'state' && f.state === 'ended'));
    ws.close();
  };
  await chat('night');
  await chat('empty');
  const rows = async (service: string) => (await kpis('alice', `groupBy=service&service=${service}`)).data.rows;
  await waitFor('night counted', async () => (await rows('night'))[0]?.closedHours === 1);
  expect(await rows('night')).toEqual([row({ key: 'night', closedHours: 1 })]);
  await waitFor('empty counted', async () => (await rows('empty'))[0]?.nobodyAvailable === 1);
  const [empty] = await rows('empty');
  // It entered the queue and came back at once: offered, not accepted, nobody available, not missed.
  expect(empty).toMatchObject({ key: 'empty', offered: 1, accepted: 0, missed: 0, nobodyAvailable: 1, serviceLevelPct: 0 });
});

test('ranges that cut days read the same figures; open sessions count; a rating after the end counts once', async () => {
  const bySupport = async (range: string) =>
    (await kpis('alice', `${range}&groupBy=service&service=support`)).data.rows as { offered: number; csatCount: number }[];
  // Half of 30 November (nothing), the whole of 1 December, 2 December up to S12's creation (inclusive).
  expect(await bySupport('from=2026-11-30T12:00:00Z&to=2026-12-02T08:00:00Z')).toEqual([SUPPORT]);
  // One millisecond earlier, without S12: 8 offered, and its rating gone.
  expect(await bySupport('from=2026-11-30T12:00:00Z&to=2026-12-02T07:59:59.999Z')).toEqual([
    expect.objectContaining({ offered: 8, accepted: 3, handled: 2, csatCount: 2, csatAvg: 4, maxWaitSec: 120 }),
  ]);
  // From 10:30 on 1 December: S1-S4 fall out.
  expect(await bySupport('from=2026-12-01T10:30:00Z&to=2026-12-02T23:59:59Z')).toEqual([
    expect.objectContaining({ offered: 5, accepted: 2, abandoned: 0, missed: 1, declined: 1, transferred: 1, closedHours: 1 }),
  ]);

  // A session still waiting on a whole day is read from the sessions, not the daily sums.
  const open = session('S14', 'waiting', '2026-12-01T16:00:00Z', [[0, 'queued']]);
  await h.app.store.db.transaction((tx) => saveReportingSession(tx, open.task, open.session, undefined, 20_000));
  expect((await kpis('alice', `${RANGE}&groupBy=service&service=waiting`)).data.rows).toEqual([
    row({ key: 'waiting', offered: 1, serviceLevelPct: 0 }),
  ]);

  // S10 saved again as it was: nothing changes; rated 2 after its end: counted once, however often saved.
  const s10 = DAY.find((x) => x.task.id === 'S10')!;
  const save = (after: typeof s10.session, before: typeof s10.session) =>
    h.app.store.db.transaction((tx) => saveReportingSession(tx, s10.task, after, before, 60_000));
  await save(s10.session, s10.session);
  expect((await kpis('alice', `${RANGE}&groupBy=service&service=sales`)).data.rows).toEqual([SALES]);
  const rated = { ...s10.session, csat: { rating: 2 as const, at: s10.session.endedAt! + 1000 } };
  await save(rated, s10.session);
  await save(rated, rated);
  expect((await kpis('alice', `${RANGE}&groupBy=service&service=sales`)).data.rows).toEqual([{ ...SALES, csatCount: 1, csatAvg: 2 }]);
});

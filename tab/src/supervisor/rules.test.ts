/** The Supervisor page's pure rules: the address, service level now, who may take a chat, report buckets and totals. */
import type { SupervisorAgent, SupervisorQueueTask } from '@stratus/shared/contract/supervisor';
import { eligibleAgents, higherPriority, serviceLevelNow } from './live';
import { duration, emptyRow, fillBuckets, rangeOf, totals } from './reports';
import { formatQuery, parseQuery } from './url';

test('the address round-trips and ignores what it does not know', () => {
  const q = parseQuery('?view=reports&service=support&range=custom&from=2024-05-01&to=2024-05-07&by=hour&channel=whatsapp');
  expect(q).toEqual({
    view: 'reports',
    service: 'support',
    range: 'custom',
    from: '2024-05-01',
    to: '2024-05-07',
    by: 'hour',
    channel: 'whatsapp',
  });
  expect(parseQuery(formatQuery(q))).toEqual(q);
  expect(parseQuery('?view=admin&service=../x&range=custom&from=2024-05-01&channel=fax&session=<b>')).toEqual({
    view: 'live',
    range: '7d',
    by: 'day',
  });
  expect(formatQuery(parseQuery(''))).toBe('');
  // The monitored session belongs to Live only.
  expect(formatQuery({ ...parseQuery('?session=t1'), view: 'reports' })).toBe('?view=reports');
});

const task = (id: string, waitingSec: number, serviceId = 'support'): SupervisorQueueTask => ({
  id,
  state: 'queued',
  serviceId,
  channel: 'interact',
  waitingSec,
  customer: { displayName: id },
  priority: 'normal',
});

test('service level now counts the waiting chats under their own service threshold, as time goes on', () => {
  const thresholds = new Map([
    ['support', 20],
    ['sales', 60],
  ]);
  const tasks = [task('a', 5), task('b', 25), task('c', 40, 'sales')];
  expect(serviceLevelNow(tasks, thresholds, 0, 0)).toEqual({ pct: 67, within: 2, waiting: 3 });
  // 16 s later, a (21 s) is over Support's 20 s too.
  expect(serviceLevelNow(tasks, thresholds, 0, 16_000)).toEqual({ pct: 33, within: 1, waiting: 3 });
  expect(serviceLevelNow([], thresholds, 0, 0)).toBeNull();
});

test('a chat can be handed to agents on duty, Active in its service, available or busy with room, and not to its own agent', () => {
  const a = (userId: string, over: Partial<SupervisorAgent>): SupervisorAgent => ({
    userId,
    displayName: userId,
    services: [{ id: 'support', active: true }],
    onDuty: true,
    presence: 'online',
    sessions: 0,
    capacity: 2,
    offers: 0,
    state: 'available',
    ...over,
  });
  const agents = [
    a('ok', {}),
    a('busy-with-room', { state: 'busy', sessions: 1 }),
    a('current', {}),
    a('full', { state: 'full', sessions: 2 }),
    a('off', { onDuty: false, state: 'offDuty' }),
    a('not-active', { services: [{ id: 'support', active: false }] }),
    a('other-service', { services: [{ id: 'sales', active: true }] }),
    a('rona', { state: 'rona' }),
  ];
  expect(eligibleAgents(agents, 'support', 'current').map((x) => x.userId)).toEqual(['ok', 'busy-with-room']);
  expect(higherPriority('normal')).toBe('high');
  expect(higherPriority('strict')).toBeUndefined();
});

test('a series has every day of the range, zero where nothing happened; totals add counts and weigh averages', () => {
  const rows = [
    { ...emptyRow('2024-05-02'), offered: 4, accepted: 4, serviceLevelPct: 100, avgWaitSec: 10, maxWaitSec: 12 },
    { ...emptyRow('2024-05-04'), offered: 1, accepted: 0, abandoned: 1, serviceLevelPct: 0, avgWaitSec: 60, maxWaitSec: 60 },
  ];
  const filled = fillBuckets(rows, '2024-05-01T00:00:00Z', '2024-05-05T12:00:00Z', 'day');
  expect(filled.map((r) => [r.key, r.offered])).toEqual([
    ['2024-05-01', 0],
    ['2024-05-02', 4],
    ['2024-05-03', 0],
    ['2024-05-04', 1],
    ['2024-05-05', 0],
  ]);
  expect(fillBuckets([], '2024-05-01T22:00:00Z', '2024-05-02T01:30:00Z', 'hour').map((r) => r.key)).toEqual([
    '2024-05-01T22',
    '2024-05-01T23',
    '2024-05-02T00',
    '2024-05-02T01',
  ]);
  const t = totals(rows);
  expect([t.offered, t.accepted, t.abandoned, t.maxWaitSec]).toEqual([5, 4, 1, 60]);
  expect(t.serviceLevelPct).toBe(80);
  expect(t.avgWaitSec).toBe(20);
  expect(t.avgHandleSec).toBeNull();
});

test('ranges start at local midnight; a custom range includes its last day', () => {
  const now = new Date(2024, 4, 10, 15, 30);
  expect(new Date(rangeOf({ range: 'today' }, now).from)).toEqual(new Date(2024, 4, 10));
  expect(new Date(rangeOf({ range: '7d' }, now).from)).toEqual(new Date(2024, 4, 4));
  expect(new Date(rangeOf({ range: '30d' }, now).from)).toEqual(new Date(2024, 3, 11));
  const custom = rangeOf({ range: 'custom', from: '2024-05-01', to: '2024-05-03' }, now);
  expect(new Date(custom.from)).toEqual(new Date(2024, 4, 1));
  expect(new Date(custom.to)).toEqual(new Date(2024, 4, 3, 23, 59, 59, 999));
  expect([duration(9), duration(185), duration(7800), duration(null)]).toEqual(['9 s', '3 min 05 s', '2 h 10 min', '–']);
});

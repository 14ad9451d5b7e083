import { accept, endTask, expireOffer, decline, offer } from '../task/transitions';
import type { Task } from '../task/types';
import type { DistributionType } from '../tenant/model';
import { agent, prng, queuedTask, service, user } from '../testing/fixtures';
import type { AgentRuntime } from './agent';
import { eligibility } from './eligibility';
import { planDistribution, type PolicyState } from './planner';
import { estimateWaitSec, queuePositions } from './queue-position';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${i}`);

/**
 * Simulates a contact center: tasks arrive, the planner offers them, agents accept at once and
 * finish after a handling time; returns how many tasks each agent handled.
 */
function simulate(
  type: DistributionType,
  agents: number,
  tasks: number,
  capacity: number,
  seed = 7,
): { handled: Map<string, number>; maxLoadSeen: number } {
  const members = ids(agents);
  const svc = service('s', members, { type, maxConcurrentIm: capacity });
  const users = new Map(members.map((id) => [id, user(id)] as const));
  const runtime = new Map<string, AgentRuntime>(members.map((id) => [id, agent(id, ['s'])]));
  const handled = new Map<string, number>(members.map((id) => [id, 0]));
  const rnd = prng(seed);
  let now = 0;
  let created = 0;
  let queue: Task[] = [];
  let state: PolicyState = {};
  let maxLoadSeen = 0;
  const ending: { at: number; task: Task }[] = [];
  while (created < tasks || queue.length > 0 || ending.length > 0) {
    now += 1000;
    for (let i = 0; i < 3 && created < tasks; i++) queue.push(queuedTask(`t${created++}`, 's', now));
    // Finish what is due: the agent becomes idle.
    for (const e of ending.filter((x) => x.at <= now)) {
      const a = runtime.get(e.task.userId as string) as AgentRuntime;
      runtime.set(a.userId, { ...a, imLoad: a.imLoad - 1, lastIdleAt: e.at });
      endTask(e.task, 'handled', 'agent', now);
    }
    ending.splice(0, ending.length, ...ending.filter((x) => x.at > now));
    const plan = planDistribution({ service: svc, users, agents: runtime, tasks: queue, policyState: state, now });
    state = plan.policyState;
    const offered = new Set<string>();
    for (const o of plan.offers) {
      const t = queue.find((x) => x.id === o.taskId) as Task;
      const userId = o.userIds[0] as string;
      const connected = accept(offer(t, o.userIds, 30000, now).task, userId, now).task;
      const a = runtime.get(userId) as AgentRuntime;
      runtime.set(userId, { ...a, imLoad: a.imLoad + 1, lastOfferedAt: now });
      maxLoadSeen = Math.max(maxLoadSeen, a.imLoad + 1);
      handled.set(userId, (handled.get(userId) ?? 0) + 1);
      ending.push({ at: now + 20_000 + Math.floor(rnd() * 2000), task: connected });
      offered.add(t.id);
    }
    queue = queue.filter((t) => !offered.has(t.id));
  }
  return { handled, maxLoadSeen };
}

describe('distribution', () => {
  it.each(['direct', 'roundRobin'] as const)('%s: 10,000 tasks over equal agents leave no agent more than 2%% from the mean', (type) => {
    const { handled } = simulate(type, 20, 10_000, 3);
    const counts = [...handled.values()];
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10_000);
    for (const c of counts) expect(Math.abs(c - mean) / mean).toBeLessThanOrEqual(0.02);
  });

  it.each(['direct', 'roundRobin', 'mostAvailable', 'broadcast'] as const)('%s never exceeds the concurrent IM capacity', (type) => {
    const { maxLoadSeen } = simulate(type, 5, 400, 3);
    expect(maxLoadSeen).toBe(3);
  });

  it('a pass with many waiting tasks fills each agent up to capacity and no further', () => {
    const svc = service('s', ['a', 'b'], { maxConcurrentIm: 2 });
    const tasks = Array.from({ length: 10 }, (_, i) => queuedTask(`t${i}`, 's', i));
    const plan = planDistribution({
      service: svc,
      users: new Map([
        ['a', user('a')],
        ['b', user('b')],
      ]),
      agents: new Map([
        ['a', agent('a', ['s'], { imLoad: 1 })],
        ['b', agent('b', ['s'])],
      ]),
      tasks,
      policyState: {},
      now: 100,
    });
    const per = new Map<string, number>();
    for (const o of plan.offers) for (const u of o.userIds) per.set(u, (per.get(u) ?? 0) + 1);
    expect(per.get('a')).toBe(1);
    expect(per.get('b')).toBe(2);
    expect(plan.offers.map((o) => o.taskId)).toEqual(['t0', 't1', 't2']);
  });

  it('a user who declined or missed a task is not offered it again while another eligible user exists', () => {
    const svc = service('s', ['a', 'b']);
    const users = new Map([
      ['a', user('a')],
      ['b', user('b')],
    ]);
    // a is idle longest, so a gets it first.
    const agents = new Map([
      ['a', agent('a', ['s'], { lastIdleAt: 0 })],
      ['b', agent('b', ['s'], { lastIdleAt: 5 })],
    ]);
    let t = queuedTask('t', 's', 10);
    const first = planDistribution({ service: svc, users, agents, tasks: [t], policyState: {}, now: 20 });
    expect(first.offers[0]?.userIds).toEqual(['a']);
    t = decline(offer(t, ['a'], 30000, 20).task, 'a', 21).task;
    const second = planDistribution({ service: svc, users, agents, tasks: [t], policyState: {}, now: 22 });
    expect(second.offers[0]?.userIds).toEqual(['b']);
    t = expireOffer(offer(t, ['b'], 30000, 22).task, 'b', 60000).task;
    // Both have passed on it: with nobody else eligible it goes round again rather than waiting forever.
    const third = planDistribution({ service: svc, users, agents, tasks: [t], policyState: {}, now: 60001 });
    expect(third.offers[0]?.userIds).toHaveLength(1);
    // With b at capacity, a is the only eligible user left and is offered it again.
    const busyB = new Map([...agents, ['b', agent('b', ['s'], { imLoad: 3 })]]);
    expect(planDistribution({ service: svc, users, agents: busyB, tasks: [t], policyState: {}, now: 60002 }).offers[0]?.userIds).toEqual([
      'a',
    ]);
  });

  it('a capped plan offers the longest waiting first, and the next plan goes on where it stopped in the rotation', () => {
    const members = ids(4);
    const svc = service('s', members, { type: 'roundRobin', maxConcurrentIm: 1 });
    const users = new Map(members.map((id) => [id, user(id)] as const));
    const agents = new Map(members.map((id) => [id, agent(id, ['s'])] as const));
    const tasks = [3, 1, 2, 0].map((n) => queuedTask(`t${n}`, 's', 100 + n));
    const uncapped = planDistribution({ service: svc, users, agents, tasks, policyState: {}, now: 200 });
    const first = planDistribution({ service: svc, users, agents, tasks, policyState: {}, now: 200, maxOffers: 2 });
    expect(first.offers.map((o) => o.taskId)).toEqual(['t0', 't1']);
    // The rest, planned with the agents the first offers took and the policy state it left.
    const busy = new Map([...agents].map(([id, a]) => [id, first.offers.some((o) => o.userIds.includes(id)) ? { ...a, imLoad: 1 } : a]));
    const rest = tasks.filter((t) => !first.offers.some((o) => o.taskId === t.id));
    const second = planDistribution({ service: svc, users, agents: busy, tasks: rest, policyState: first.policyState, now: 200 });
    // Together: the same offers as one uncapped plan.
    expect([...first.offers, ...second.offers]).toEqual(uncapped.offers);
  });

  it('a Strict task beats an older Normal one, and High beats Normal', () => {
    const svc = service('s', ['a'], { maxConcurrentIm: 1 });
    const tasks = [
      queuedTask('old-normal', 's', 1, 'normal'),
      queuedTask('new-strict', 's', 50, 'strict'),
      queuedTask('mid-high', 's', 20, 'high'),
    ];
    const plan = planDistribution({
      service: svc,
      users: new Map([['a', user('a')]]),
      agents: new Map([['a', agent('a', ['s'])]]),
      tasks,
      policyState: {},
      now: 60,
    });
    expect(plan.offers.map((o) => o.taskId)).toEqual(['new-strict']);
    expect([...queuePositions(tasks).entries()].sort((x, y) => x[1] - y[1]).map(([id]) => id)).toEqual([
      'new-strict',
      'mid-high',
      'old-normal',
    ]);
  });

  it('broadcast offers the N longest-idle users at once', () => {
    const members = ids(6);
    const svc = service('s', members, { type: 'broadcast', broadcastSize: 3 });
    const agents = new Map(members.map((id, i) => [id, agent(id, ['s'], { lastIdleAt: 100 - i })] as const));
    const plan = planDistribution({
      service: svc,
      users: new Map(members.map((id) => [id, user(id)] as const)),
      agents,
      tasks: [queuedTask('t', 's', 1)],
      policyState: {},
      now: 200,
    });
    expect(plan.offers[0]?.userIds).toEqual(['u5', 'u4', 'u3']);
  });

  it('round robin goes around the member list and remembers where it stopped', () => {
    const members = ids(3);
    const svc = service('s', members, { type: 'roundRobin' });
    const users = new Map(members.map((id) => [id, user(id)] as const));
    const agents = new Map(members.map((id) => [id, agent(id, ['s'])] as const));
    let state: PolicyState = {};
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const plan = planDistribution({ service: svc, users, agents, tasks: [queuedTask(`t${i}`, 's', i)], policyState: state, now: 10 });
      state = plan.policyState;
      order.push(plan.offers[0]?.userIds[0] as string);
    }
    expect(order).toEqual(['u0', 'u1', 'u2', 'u0']);
  });

  it('most available capacity prefers the user with the most free slots', () => {
    const svc = service('s', ['a', 'b'], { type: 'mostAvailable', maxConcurrentIm: 3 });
    const plan = planDistribution({
      service: svc,
      users: new Map([
        ['a', user('a')],
        ['b', user('b')],
      ]),
      agents: new Map([
        ['a', agent('a', ['s'], { imLoad: 2, lastIdleAt: 0 })],
        ['b', agent('b', ['s'], { imLoad: 0, lastIdleAt: 50 })],
      ]),
      tasks: [queuedTask('t', 's', 1)],
      policyState: {},
      now: 100,
    });
    expect(plan.offers[0]?.userIds).toEqual(['b']);
  });

  it('a direct chat is offered only to its user', () => {
    const svc = service('direct:bob', ['bob']);
    const t = { ...queuedTask('t', 'direct:bob', 1), directUserId: 'bob' };
    const plan = planDistribution({
      service: svc,
      users: new Map([['bob', user('bob')]]),
      agents: new Map([['bob', agent('bob', ['direct:bob'])]]),
      tasks: [t],
      policyState: {},
      now: 2,
    });
    expect(plan.offers[0]?.userIds).toEqual(['bob']);
  });
});

describe('eligibility', () => {
  const svc = service('s', ['a']);
  const cases: [string, Partial<Parameters<typeof user>[1]>, Partial<AgentRuntime>, string | undefined][] = [
    ['eligible', {}, {}, undefined],
    ['no IM license', { licenses: [] }, {}, 'noImLicense'],
    ['not Active', {}, { activeServiceIds: [] }, 'notActive'],
    ['offline', {}, { presence: 'offline' }, 'offline'],
    ['busy', {}, { presence: 'busy' }, 'busy'],
    ['away', {}, { presence: 'away' }, 'away'],
    ['in a blocking call', {}, { inBlockingCall: true }, 'inBlockingCall'],
    ['do not disturb', {}, { presence: 'doNotDisturb' }, 'doNotDisturb'],
    ['be right back, just set (counts as Away)', {}, { presence: 'beRightBack', presenceSince: 900 }, 'away'],
    ['be right back for too long', {}, { presence: 'beRightBack', presenceSince: 1000 - 6 * 60_000 }, 'beRightBack'],
    ['off duty', {}, { onDuty: false }, 'offDuty'],
    ['in RONA', {}, { ronaUntil: 2000 }, 'inRona'],
    ['RONA over', {}, { ronaUntil: 500 }, undefined],
    ['at capacity', {}, { imLoad: 3 }, 'atCapacity'],
    ['under capacity (IM is non-blocking)', {}, { imLoad: 2 }, undefined],
  ];
  it.each(cases)('%s', (_name, u, a, reason) => {
    const r = eligibility(user('a', u), agent('a', ['s'], a), svc, 1000);
    if (reason === undefined) expect(r.allowed).toBe(true);
    else expect(r).toMatchObject({ allowed: false, reason });
    if (!r.allowed) expect(r.message.length).toBeGreaterThan(10);
  });

  it('a non-member is not eligible', () => {
    expect(eligibility(user('z'), agent('z', ['s']), svc, 0)).toMatchObject({ allowed: false, reason: 'notMember' });
  });

  it('Busy and Away count when the service says so', () => {
    const lenient = service('s', ['a'], { busyIsAvailable: true, awayIsAvailable: true });
    expect(eligibility(user('a'), agent('a', ['s'], { presence: 'busy' }), lenient, 0).allowed).toBe(true);
    expect(eligibility(user('a'), agent('a', ['s'], { presence: 'away' }), lenient, 0).allowed).toBe(true);
    // Be Right Back is Away for five minutes, then nothing; Do not disturb is never available.
    expect(eligibility(user('a'), agent('a', ['s'], { presence: 'beRightBack', presenceSince: 0 }), lenient, 4 * 60_000).allowed).toBe(
      true,
    );
    expect(eligibility(user('a'), agent('a', ['s'], { presence: 'beRightBack', presenceSince: 0 }), lenient, 6 * 60_000).allowed).toBe(
      false,
    );
    expect(eligibility(user('a'), agent('a', ['s'], { presence: 'doNotDisturb' }), lenient, 0).allowed).toBe(false);
  });
});

describe('estimated wait', () => {
  it('is unknown without enough history, then position / accept rate', () => {
    expect(estimateWaitSec(3, [1000, 2000], 10_000)).toBeUndefined();
    // 6 accepts over the last 60 s: one every 10 s.
    const accepts = [40_000, 50_000, 60_000, 70_000, 80_000, 90_000];
    expect(estimateWaitSec(3, accepts, 100_000)).toBe(30);
  });
});

import { agent, queuedTask, service, user } from '../testing/fixtures';
import { eligibility } from './eligibility';
import { planDistribution } from './planner';

test('an agent in wrap-up is not eligible until the wrap-up time is over', () => {
  const svc = service('s', ['a']);
  const inWrapUp = agent('a', ['s'], { wrapUpUntil: 10_000 });
  expect(eligibility(user('a'), inWrapUp, svc, 9_999)).toMatchObject({ allowed: false, reason: 'inWrapUp' });
  expect(eligibility(user('a'), inWrapUp, svc, 10_000)).toEqual({ allowed: true });
  expect(eligibility(user('a'), agent('a', ['s']), svc, 0)).toEqual({ allowed: true });
});

test('distribution passes over an agent in wrap-up and offers to the next one; with nobody else the task waits', () => {
  const svc = service('s', ['a', 'b']);
  const users = new Map([
    ['a', user('a')],
    ['b', user('b')],
  ]);
  const agents = new Map([
    // A has been idle longest, but is wrapping up.
    ['a', agent('a', ['s'], { wrapUpUntil: 5_000, lastIdleAt: 0 })],
    ['b', agent('b', ['s'], { lastIdleAt: 1_000 })],
  ]);
  const task = queuedTask('t', 's', 100);
  expect(planDistribution({ service: svc, users, agents, tasks: [task], policyState: {}, now: 2_000 }).offers).toEqual([
    { taskId: 't', userIds: ['b'] },
  ]);
  agents.delete('b');
  expect(planDistribution({ service: svc, users, agents, tasks: [task], policyState: {}, now: 2_000 }).offers).toEqual([]);
  expect(planDistribution({ service: svc, users, agents, tasks: [task], policyState: {}, now: 5_000 }).offers).toEqual([
    { taskId: 't', userIds: ['a'] },
  ]);
});

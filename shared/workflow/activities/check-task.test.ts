import { around, ctx, exitTaken, start } from './test-kit';

test.each([
  ['queued', 'queued'],
  ['offered', 'queued'],
  ['connected', 'connected'],
  ['workflow', 'notQueued'],
  ['ended', 'notQueued'],
] as const)('checkTask with task %s → %s', (taskState, exit) => {
  expect(exitTaken(start(around({ activity: 'checkTask' }, ['queued', 'connected', 'notQueued']), ctx({ taskState })))).toBe(exit);
});

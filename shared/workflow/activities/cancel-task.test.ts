import { around, exitTaken, start } from './test-kit';

test('cancelTask takes the task out of the queue and goes on', () => {
  const r = start(around({ activity: 'cancelTask' }, ['next']));
  expect(r.effects[0]).toEqual({ type: 'cancelQueue' });
  expect(exitTaken(r)).toBe('next');
});

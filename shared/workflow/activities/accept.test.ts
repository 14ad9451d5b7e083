import { around, exitTaken, start } from './test-kit';

test('accept: takes the conversation and goes on', () => {
  const r = start(around({ activity: 'accept' }, ['next']));
  expect(r.effects[0]).toEqual({ type: 'accept' });
  expect(exitTaken(r)).toBe('next');
});

import { around, exitTaken, start } from './test-kit';

test('markAsHandled records the outcome and goes on', () => {
  const r = start(around({ activity: 'markAsHandled' }, ['next']));
  expect(exitTaken(r)).toBe('next');
  expect(r.snapshot.outcome).toBe('handled');
});

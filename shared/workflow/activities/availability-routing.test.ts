import { around, ctx, exitTaken, start } from './test-kit';

test.each([
  [{ available: 2, busy: 1, onDuty: 3 }, 'available'],
  [{ available: 0, busy: 2, onDuty: 2 }, 'allBusy'],
  [{ available: 0, busy: 0, onDuty: 0 }, 'nobodyOnDuty'],
])('availabilityRouting %j → %s', (availability, exit) => {
  expect(
    exitTaken(start(around({ activity: 'availabilityRouting' }, ['available', 'allBusy', 'nobodyOnDuty']), ctx({ availability }))),
  ).toBe(exit);
});

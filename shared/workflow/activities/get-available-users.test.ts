import { around, ctx, start } from './test-kit';

test('getAvailableUsers stores the count', () => {
  const r = start(around({ activity: 'getAvailableUsers' }, ['next']), ctx({ availability: { available: 3, busy: 0, onDuty: 3 } }));
  expect(r.snapshot.params['Service.AvailableUsers']).toBe('3');
});

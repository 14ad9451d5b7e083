import { around, ctx, start } from './test-kit';

test('getQueuePosition stores the position', () => {
  const r = start(around({ activity: 'getQueuePosition' }, ['next']), ctx({ queuePosition: 7, taskState: 'queued' }));
  expect(r.snapshot.params['Queue.Position']).toBe('7');
});

import { around, start } from './test-kit';

test('distributionPriority changes the task priority', () => {
  expect(start(around({ activity: 'distributionPriority', params: { priority: 'strict' } }, ['next'])).effects[0]).toEqual({
    type: 'setPriority',
    priority: 'strict',
  });
});

import { queuedTask } from '../testing/fixtures';
import { serviceOrder } from './order';

describe('serviceOrder', () => {
  test('serves first the queue whose next task outranks the others: priority, then time queued', () => {
    const queues = new Map([
      ['desk', [queuedTask('nell', 'desk', 1, 'normal'), queuedTask('nico', 'desk', 2, 'normal')]],
      ['urgent', [queuedTask('hugo', 'urgent', 3, 'high')]],
      ['later', [queuedTask('lea', 'later', 0, 'low')]],
    ]);
    expect(serviceOrder(queues)).toEqual(['urgent', 'desk', 'later']);
  });

  test('among equal priorities the queue with the longest wait goes first', () => {
    const queues = new Map([
      ['b', [queuedTask('b1', 'b', 5)]],
      ['a', [queuedTask('a1', 'a', 2), queuedTask('a2', 'a', 9)]],
    ]);
    expect(serviceOrder(queues)).toEqual(['a', 'b']);
  });
});

import { closeSpan, inSpan, spanLastSeq } from './span';
import { createTask } from './transitions';

const task = createTask(
  {
    id: 't',
    tenantId: 'x',
    conversationId: 'c',
    serviceId: 's',
    channel: 'interact',
    customer: { displayName: 'Carol' },
    priority: 'normal',
  },
  1000,
).task;

describe('task span', () => {
  it('an open span reaches every message of the conversation', () => {
    expect(inSpan(task, 1)).toBe(true);
    expect(inSpan(task, 10_000)).toBe(true);
    expect(spanLastSeq(task, 42)).toBe(42);
  });

  it('a closed span ends at the seq where the conversation moved on, and keeps its first end', () => {
    const closed = closeSpan(task, 7);
    expect([inSpan(closed, 1), inSpan(closed, 7), inSpan(closed, 8)]).toEqual([true, true, false]);
    expect(spanLastSeq(closed, 12)).toBe(7);
    expect(spanLastSeq(closed, 5)).toBe(5);
    expect(closeSpan(closed, 12).endSeq).toBe(7);
  });
});

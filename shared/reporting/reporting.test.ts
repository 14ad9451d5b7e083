import { accept, createTask, decline, endTask, enqueue, expireOffer, offer, returnToWorkflow } from '../task/transitions';
import type { TaskEvent, Transition } from '../task/types';
import { sessionsToCsv } from './csv';
import { sessionFromEvents } from './session';

function history(steps: ((t: Transition['task']) => Transition)[], channel: 'interact' | 'whatsapp' = 'interact', directUserId?: string) {
  let r = createTask(
    {
      id: 't',
      tenantId: 'x',
      conversationId: 'c',
      serviceId: 's',
      channel,
      customer: { displayName: 'C' },
      priority: 'normal',
      ...(directUserId ? { directUserId } : {}),
    },
    1000,
  );
  const events: TaskEvent[] = [...r.events];
  for (const s of steps) {
    r = s(r.task);
    events.push(...r.events);
  }
  return sessionFromEvents(events, { tenantId: 'x' });
}

describe('reporting session', () => {
  it('a handled chat: times, durations, offers, user, channel', () => {
    const s = history(
      [
        (t) => enqueue(t, {}, 2000),
        (t) => offer(t, ['a'], 30000, 3000),
        (t) => decline(t, 'a', 4000),
        (t) => offer(t, ['b'], 30000, 5000),
        (t) => accept(t, 'b', 6000),
        (t) => endTask(t, 'handled', 'agent', 66000),
      ],
      'whatsapp',
    );
    expect(s).toMatchObject({
      channel: 'whatsapp',
      userId: 'b',
      createdAt: 1000,
      queuedAt: 2000,
      firstOfferedAt: 3000,
      acceptedAt: 6000,
      endedAt: 66000,
      queueMs: 4000,
      handlingMs: 60000,
      offers: 2,
      declines: 1,
      outcome: 'handled',
      offeredUserIds: ['a', 'b'],
    });
  });

  it('outcomes: missed, abandoned, timed out, transferred, failed', () => {
    expect(
      history([
        (t) => enqueue(t, {}, 2000),
        (t) => offer(t, ['a'], 1, 3000),
        (t) => expireOffer(t, 'a', 4000),
        (t) => endTask(t, undefined, 'workflow', 5000),
      ]),
    ).toMatchObject({ outcome: 'missed', misses: 1 });
    expect(history([(t) => enqueue(t, {}, 2000), (t) => endTask(t, 'abandoned', 'customer', 9000)])).toMatchObject({
      outcome: 'abandoned',
      queueMs: 7000,
      endedBy: 'customer',
    });
    expect(
      history([
        (t) => enqueue(t, { maxQueueTimeSec: 10 }, 2000),
        (t) => returnToWorkflow(t, 'queueTimeout', 12000),
        (t) => endTask(t, undefined, 'workflow', 12000),
      ]),
    ).toMatchObject({ outcome: 'timedOut', queueMs: 10000 });
    expect(history([(t) => endTask(t, 'transferred', 'workflow', 3000, 'sales')])).toMatchObject({
      outcome: 'transferred',
      transferredTo: 'sales',
    });
    expect(history([(t) => endTask(t, 'failed', 'system', 3000)])).toMatchObject({ outcome: 'failed' });
  });

  it('a direct chat to a user gets a session too', () => {
    expect(history([(t) => enqueue(t, {}, 2000)], 'interact', 'bob')).toMatchObject({ direct: true, serviceId: 's' });
  });

  it('CSV escapes quotes and neutralizes formulas', () => {
    const s = history([(t) => endTask(t, 'handled', 'agent', 2000)]);
    const evil = { ...s!, conversationId: '=HYPERLINK("http://x")', serviceId: 'a,b' };
    const csv = sessionsToCsv([evil]);
    const [head, row] = csv.trim().split('\r\n');
    expect(head?.startsWith('taskId,conversationId,serviceId,channel')).toBe(true);
    expect(row).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(row).toContain('"a,b"');
  });
});

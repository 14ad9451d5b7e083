import type { Eligibility, IneligibleReason } from '../distribution/eligibility';
import { sessionFromEvents } from '../reporting/session';
import { DEFAULT_DIRECT_CHAT_WAIT_SEC } from '../tenant/model';
import {
  DIRECT_CHAT_OUTCOMES,
  directChatEndText,
  directChatStart,
  directChatWaitSec,
  endDirectChat,
  endsOnDecline,
  type DirectChatEnd,
} from './direct-chat';
import { createTask, decline, enqueue, expireOffer, offer, returnToWorkflow } from './transitions';
import type { Task, TaskEvent } from './types';

const created = createTask(
  {
    id: 't',
    tenantId: 'x',
    conversationId: 'c',
    serviceId: 'direct:bob',
    channel: 'interact',
    customer: { displayName: 'Carol' },
    priority: 'normal',
    directUserId: 'bob',
  },
  1000,
);
const queued = enqueue(created.task, { maxQueueTimeSec: 120 }, 1000);
const offered = offer(queued.task, ['bob'], 30_000, 2000);

const no = (reason: IneligibleReason): Eligibility => ({ allowed: false, reason, message: reason });

describe('direct chat', () => {
  it('waits for its user for the tenant setting, two minutes by default', () => {
    expect(directChatWaitSec({})).toBe(DEFAULT_DIRECT_CHAT_WAIT_SEC);
    expect(DEFAULT_DIRECT_CHAT_WAIT_SEC).toBe(120);
    expect(directChatWaitSec({ directChatWaitSec: 45 })).toBe(45);
  });

  it.each([
    [{ allowed: true } as Eligibility, 'wait'],
    [no('offDuty'), 'unavailable'],
    [no('offline'), 'unavailable'],
    [no('noImLicense'), 'unavailable'],
    [no('busy'), 'wait'],
    [no('away'), 'wait'],
    [no('inBlockingCall'), 'wait'],
    [no('inRona'), 'wait'],
    [no('atCapacity'), 'wait'],
  ] as const)('a user who is %j at the start: %s', (reach, expected) => {
    expect(directChatStart(reach)).toBe(expected);
  });

  it('ends on a decline by its user (nobody else can take it), not on a missed offer', () => {
    expect(endsOnDecline(decline(offered.task, 'bob', 3000).task)).toBe(true);
    expect(endsOnDecline(expireOffer(offered.task, 'bob', 3000).task)).toBe(false);
    const serviceTask: Task = { ...decline(offered.task, 'bob', 3000).task };
    delete serviceTask.directUserId;
    expect(endsOnDecline(serviceTask)).toBe(false);
  });

  it.each([
    ['unavailable', 'missed', 'system', /Bob Berg is not available right now/],
    ['timedOut', 'timedOut', 'system', /Bob Berg could not take your chat/],
    ['declined', 'declined', 'agent', /Bob Berg cannot take your chat right now/],
  ] as const)('%s: ends with outcome %s, by %s, and tells the customer', (reason: DirectChatEnd, outcome, by, text) => {
    expect(DIRECT_CHAT_OUTCOMES[reason]).toBe(outcome);
    expect(directChatEndText(reason, 'Bob Berg')).toMatch(text);
    expect(directChatEndText(reason, 'Bob Berg')).toMatch(/try again later/);
    const from =
      reason === 'unavailable'
        ? created.task
        : reason === 'timedOut'
          ? returnToWorkflow(offered.task, 'queueTimeout', 122_000).task
          : decline(offered.task, 'bob', 3000).task;
    const r = endDirectChat(from, reason, 130_000);
    expect(r.task).toMatchObject({ state: 'ended', outcome, endedAt: 130_000 });
    const events: TaskEvent[] = [...created.events, ...r.events];
    expect(sessionFromEvents(events, { tenantId: 'x' })).toMatchObject({ direct: true, outcome, endedBy: by });
  });
});

import {
  ALLOWED_FROM,
  IllegalTransitionError,
  accept,
  createTask,
  decline,
  derivedOutcome,
  endTask,
  enqueue,
  expireOffer,
  offer,
  returnToWorkflow,
  setPriority,
  type TransitionName,
} from './transitions';
import { TASK_STATES, type Task, type TaskStateKind } from './types';

const base = createTask(
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

/** A task in the given state, with an open offer to `u1` when offered. */
function inState(state: TaskStateKind): Task {
  const q = { ...base, state: 'queued' as const, queuedAt: 1000 };
  switch (state) {
    case 'workflow':
      return base;
    case 'queued':
      return q;
    case 'offered':
      return { ...q, state: 'offered', offers: [{ userId: 'u1', offeredAt: 2000, expiresAt: 32000 }] };
    case 'connected':
      return { ...q, state: 'connected', userId: 'u1', acceptedAt: 3000 };
    case 'ended':
      return { ...q, state: 'ended', endedAt: 4000, outcome: 'handled' };
  }
}

const run: Record<TransitionName, (t: Task) => unknown> = {
  enqueue: (t) => enqueue(t, {}, 5000),
  setPriority: (t) => setPriority(t, 'high', 5000),
  offer: (t) => offer(t, ['u2'], 30000, 5000),
  accept: (t) => accept(t, 'u1', 5000),
  decline: (t) => decline(t, 'u1', 5000),
  expireOffer: (t) => expireOffer(t, 'u1', 5000),
  returnToWorkflow: (t) => returnToWorkflow(t, 'cancelled', 5000),
  endTask: (t) => endTask(t, 'handled', 'agent', 5000),
};

const EXPECTED_NEXT: Record<TransitionName, TaskStateKind> = {
  enqueue: 'queued',
  setPriority: 'same' as TaskStateKind,
  offer: 'offered',
  accept: 'connected',
  decline: 'queued',
  expireOffer: 'queued',
  returnToWorkflow: 'workflow',
  endTask: 'ended',
};

describe('task state machine', () => {
  const cases = (Object.keys(run) as TransitionName[]).flatMap((name) =>
    TASK_STATES.map((from) => [name, from, ALLOWED_FROM[name].includes(from)] as const),
  );

  it.each(cases.filter((c) => c[2]))('%s is allowed from %s', (name, from) => {
    const r = run[name](inState(from)) as { task: Task; events: unknown[] };
    const expected = EXPECTED_NEXT[name] === ('same' as TaskStateKind) ? from : EXPECTED_NEXT[name];
    expect(r.task.state).toBe(expected);
  });

  it.each(cases.filter((c) => !c[2]))('%s is forbidden from %s', (name, from) => {
    expect(() => run[name](inState(from))).toThrow(IllegalTransitionError);
  });

  it('covers every transition from every state', () => {
    expect(cases).toHaveLength(8 * 5);
  });

  it('accepting as someone without an open offer is illegal', () => {
    expect(() => accept(inState('offered'), 'intruder', 1)).toThrow(/no open offer to intruder/);
  });

  it('broadcast: the first accept wins and the others are withdrawn', () => {
    const o = offer(inState('queued'), ['a', 'b', 'c'], 30000, 2000).task;
    const r = accept(o, 'b', 2500);
    expect(r.task.userId).toBe('b');
    expect(r.events.filter((e) => e.type === 'offerWithdrawn').map((e) => (e as { userId: string }).userId)).toEqual(['a', 'c']);
    expect(() => accept(r.task, 'a', 2600)).toThrow(IllegalTransitionError);
  });

  it('a decline keeps the task its place in the queue and skips the user', () => {
    const o = offer(inState('queued'), ['u2'], 30000, 2000).task;
    const r = decline(o, 'u2', 2100);
    expect(r.task.state).toBe('queued');
    expect(r.task.queuedAt).toBe(1000);
    expect(r.task.skippedUserIds).toEqual(['u2']);
    expect(r.events.map((e) => e.type)).toEqual(['offerDeclined', 'queued']);
  });

  it('a miss with other broadcast offers still open keeps the task offered', () => {
    const o = offer(inState('queued'), ['a', 'b'], 30000, 2000).task;
    const r = expireOffer(o, 'a', 32000);
    expect(r.task.state).toBe('offered');
    expect(r.task.offers.map((x) => x.userId)).toEqual(['b']);
  });

  it('derives the outcome from what happened', () => {
    expect(derivedOutcome(inState('connected'))).toBe('handled');
    expect(derivedOutcome(returnToWorkflow(inState('queued'), 'queueTimeout', 9).task)).toBe('timedOut');
    expect(derivedOutcome(decline(inState('offered'), 'u1', 9).task)).toBe('declined');
    expect(derivedOutcome(expireOffer(inState('offered'), 'u1', 9).task)).toBe('missed');
    expect(endTask(inState('queued'), undefined, 'workflow', 9).task.outcome).toBe('missed');
  });

  it('ending an offered task withdraws its offers', () => {
    const r = endTask(inState('offered'), 'abandoned', 'customer', 9);
    expect(r.events.map((e) => e.type)).toEqual(['offerWithdrawn', 'ended']);
    expect(r.task.offers).toEqual([]);
  });
});

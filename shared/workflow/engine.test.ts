import { defaultImWorkflow } from './default-workflow';
import type { WorkflowDefinition } from './definition';
import { MAX_STEPS_PER_CALL, resumeWorkflow, startWorkflow } from './engine';
import { ctx, resume, start, T0 } from './activities/test-kit';
import { imSupportProblems, validateWorkflow } from './validate';
import type { WorkflowSnapshot } from './types';

const closed = () => {
  const c = ctx();
  return { ...c, service: { ...c.service, openingHours: { timeZone: 'UTC', weekly: [], exceptions: [] } } };
};

describe('default IM workflow', () => {
  it('validates clean and is fit for IM', () => {
    expect(validateWorkflow(defaultImWorkflow)).toEqual([]);
    expect(imSupportProblems(defaultImWorkflow)).toEqual([]);
  });

  it('open: accept, queue, welcome, then the position every 60 s', () => {
    const r = start(defaultImWorkflow);
    expect(r.effects.map((e) => e.type)).toEqual(['accept', 'enterQueue', 'sendMessage', 'schedule']);
    expect(r.effects[1]).toEqual({ type: 'enterQueue', maxQueueTimeSec: 1800 });
    expect(r.effects[3]).toEqual({ type: 'schedule', at: T0 + 60_000 });
    const later = { ...ctx({ now: T0 + 60_000, taskState: 'queued', queuePosition: 2 }) };
    const r2 = resume(defaultImWorkflow, r, { type: 'timer', at: T0 + 60_000 }, later);
    expect(r2.effects).toEqual([
      { type: 'sendMessage', text: 'You are number 2 in the queue. Thank you for waiting.' },
      { type: 'schedule', at: T0 + 120_000 },
    ]);
  });

  it('queue timeout: a message and disconnect', () => {
    const r = resume(defaultImWorkflow, start(defaultImWorkflow), { type: 'queueExit', exit: 'timeout' });
    expect(r.effects.map((e) => e.type)).toEqual(['sendMessage', 'end']);
    expect(r.effects[1]).toEqual({ type: 'end', disconnect: true });
    expect(r.snapshot.status).toBe('ended');
  });

  it('after the agent ends the session: disconnect as handled', () => {
    const c = resume(defaultImWorkflow, start(defaultImWorkflow), { type: 'taskConnected' });
    const r = resume(defaultImWorkflow, c, { type: 'queueExit', exit: 'connectedEnded' });
    expect(r.effects).toEqual([{ type: 'end', outcome: 'handled', disconnect: true }]);
  });

  it('closed hours: the templated message and disconnect, and the task never enters the queue', () => {
    const r = startWorkflow(defaultImWorkflow, { params: { 'Customer.DisplayName': 'Carol', 'Service.Name': 'Support' } }, closed());
    expect(r.effects.some((e) => e.type === 'enterQueue')).toBe(false);
    expect(r.effects).toContainEqual({ type: 'sendMessage', text: expect.stringMatching(/^Hello Carol, .*Support is closed right now/) });
    expect(r.effects.at(-1)).toEqual({ type: 'end', disconnect: true, outcome: 'closedHours' });
    expect(r.snapshot.status).toBe('ended');
  });

  it('nobody on duty when the chat queues: the disconnect reports nobody available, not missed', () => {
    const r = resume(defaultImWorkflow, start(defaultImWorkflow), { type: 'queueExit', exit: 'nobodyEligible' });
    expect(r.effects.at(-1)).toEqual({ type: 'end', disconnect: true, outcome: 'nobodyAvailable' });
  });

  it('a chat that was closed, then queued elsewhere in the flow, is no longer reported as closed hours', () => {
    const def: WorkflowDefinition = {
      id: 'w',
      name: 'w',
      start: 'hours',
      nodes: {
        hours: { activity: 'checkOpeningHours', exits: { open: 'queue', closed: 'queue' } },
        queue: { activity: 'queue', exits: { connectedEnded: 'bye', timeout: 'bye', nobodyEligible: 'bye' } },
        bye: { activity: 'disconnect' },
      },
    };
    const r = startWorkflow(def, { params: {} }, closed());
    expect(r.snapshot.unserved).toBeUndefined();
    expect(resume(def, r, { type: 'queueExit', exit: 'timeout' }).effects.at(-1)).toEqual({ type: 'end', disconnect: true });
  });

  it('availability routing and Get Available Users: nobody available, unless someone is', () => {
    const def = (first: 'availabilityRouting' | 'getAvailableUsers'): WorkflowDefinition => ({
      id: 'w',
      name: 'w',
      start: 'a',
      nodes: {
        a: {
          activity: first,
          exits: first === 'availabilityRouting' ? { available: 'bye', allBusy: 'bye', nobodyOnDuty: 'bye' } : { next: 'bye' },
        },
        bye: { activity: 'disconnect' },
      },
    });
    for (const kind of ['availabilityRouting', 'getAvailableUsers'] as const) {
      const none = ctx({ availability: { available: 0, busy: 0, onDuty: 0 } });
      expect(startWorkflow(def(kind), { params: {} }, none).effects.at(-1)).toEqual({
        type: 'end',
        disconnect: true,
        outcome: 'nobodyAvailable',
      });
      const some = ctx({ availability: { available: 2, busy: 0, onDuty: 2 } });
      expect(startWorkflow(def(kind), { params: {} }, some).effects.at(-1)).toEqual({ type: 'end', disconnect: true });
    }
  });

  it('a customer who leaves while queued ends the workflow with no further queueing', () => {
    const r = resume(defaultImWorkflow, start(defaultImWorkflow), { type: 'customerLeft' });
    expect(r.snapshot.status).toBe('ended');
    expect(r.effects.some((e) => e.type === 'enterQueue' || e.type === 'sendMessage' || e.type === 'schedule')).toBe(false);
    // Nothing wakes it again.
    expect(resume(defaultImWorkflow, r, { type: 'timer', at: T0 + 60_000 }).effects).toEqual([]);
  });
});

describe('engine', () => {
  it('a snapshot taken mid-wait and restored from JSON resumes exactly there, with the same parameters', () => {
    const def: WorkflowDefinition = {
      id: 'w',
      name: 'W',
      start: 'ask',
      nodes: {
        ask: {
          activity: 'collectInformation',
          params: { prompt: 'Order number?', parameter: 'Order', validation: 'number' },
          exits: { ok: 'say', failed: 'bye' },
        },
        say: { activity: 'message', params: { text: 'Order {{Order}} for {{Customer.DisplayName}}' }, exits: { next: 'bye' } },
        bye: { activity: 'disconnect' },
      },
    };
    const r = start(def);
    const stored = JSON.stringify(r.snapshot);
    const restored = JSON.parse(stored) as WorkflowSnapshot;
    expect(restored).toEqual(r.snapshot);
    const a = resumeWorkflow(def, restored, { type: 'customerMessage', text: '42' }, ctx());
    const b = resumeWorkflow(def, r.snapshot, { type: 'customerMessage', text: '42' }, ctx());
    expect(a).toEqual(b);
    expect(a.effects[1]).toEqual({ type: 'sendMessage', text: 'Order 42 for Carol' });
    // The original snapshot is not changed by resuming.
    expect(JSON.stringify(r.snapshot)).toBe(stored);
  });

  it('a workflow edited to contain Play Music ends failed when a running session meets it', () => {
    const v1: WorkflowDefinition = {
      id: 'w',
      name: 'W',
      start: 'd',
      nodes: {
        d: { activity: 'delay', params: { seconds: 5 }, exits: { next: 'm' } },
        m: { activity: 'message', params: { text: 'hi' }, exits: { next: 'b' } },
        b: { activity: 'disconnect' },
      },
    };
    const r = start(v1);
    const v2: WorkflowDefinition = { ...v1, nodes: { ...v1.nodes, m: { activity: 'playMusic', exits: { next: 'b' } } } };
    const after = resume(v2, r, { type: 'timer', at: T0 + 5000 });
    expect(after.snapshot).toMatchObject({ status: 'ended', outcome: 'failed' });
    expect(after.effects).toEqual([{ type: 'end', outcome: 'failed', disconnect: true }]);
    expect(imSupportProblems(v2)).toEqual([{ path: 'nodes.m', message: 'activity "playMusic" is not supported for Instant Messaging' }]);
  });

  it('a node removed by an edit, or an unknown activity, fails the session', () => {
    const v1: WorkflowDefinition = {
      id: 'w',
      name: 'W',
      start: 'd',
      nodes: { d: { activity: 'delay', params: { seconds: 5 }, exits: { next: 'm' } }, m: { activity: 'message', params: { text: 'x' } } },
    };
    const r = start(v1);
    expect(resume({ ...v1, nodes: { d: v1.nodes.d! } }, r, { type: 'timer', at: T0 + 5000 }).snapshot.outcome).toBe('failed');
    expect(
      resume({ ...v1, nodes: { ...v1.nodes, m: { activity: 'teleport' } } }, r, { type: 'timer', at: T0 + 5000 }).snapshot.outcome,
    ).toBe('failed');
  });

  it('a loop without a wait is stopped and fails', () => {
    const def: WorkflowDefinition = {
      id: 'w',
      name: 'W',
      start: 'a',
      nodes: { a: { activity: 'saveToParameter', params: { parameter: 'x', value: 'y' }, exits: { next: 'a' } } },
    };
    const r = start(def);
    expect(r.snapshot.outcome).toBe('failed');
    expect(r.snapshot.steps).toBe(MAX_STEPS_PER_CALL);
  });

  it('events the workflow does not wait for change nothing', () => {
    const r = start(defaultImWorkflow);
    expect(resume(defaultImWorkflow, r, { type: 'customerMessage', text: 'hello?' }).effects).toEqual([]);
    expect(resume(defaultImWorkflow, r, { type: 'webResponse', requestId: 'x', ok: true }).effects).toEqual([]);
  });

  it('a stale timer is ignored; the awaited one runs', () => {
    const r = start(defaultImWorkflow);
    const stale = resume(defaultImWorkflow, r, { type: 'timer', at: T0 + 59_999 });
    expect(stale.effects).toEqual([]);
    expect(stale.snapshot).toEqual(r.snapshot);
    expect(
      resume(defaultImWorkflow, r, { type: 'timer', at: T0 + 60_000 }, ctx({ taskState: 'queued', queuePosition: 1 })).effects.length,
    ).toBeGreaterThan(0);
  });

  it('customer left at a blocking Queue without a customerLeft exit: ends, no effects, nothing wakes it', () => {
    const def: WorkflowDefinition = {
      id: 'w',
      name: 'W',
      start: 'q',
      nodes: { q: { activity: 'queue', exits: { connectedEnded: 'b', timeout: 'b', nobodyEligible: 'b' } }, b: { activity: 'disconnect' } },
    };
    const r = resume(def, start(def), { type: 'customerLeft' });
    expect(r.effects).toEqual([]);
    expect(r.snapshot.status).toBe('ended');
    expect(resume(def, r, { type: 'queueExit', exit: 'timeout' }).effects).toEqual([]);
    expect(resume(def, r, { type: 'taskConnected' }).effects).toEqual([]);
  });

  it('customer left while the workflow waits for an answer (no queue): ends without effects', () => {
    const def: WorkflowDefinition = {
      id: 'w',
      name: 'W',
      start: 'ask',
      nodes: {
        ask: { activity: 'collectInformation', params: { prompt: 'Name?', parameter: 'N' }, exits: { ok: 'b', failed: 'b' } },
        b: { activity: 'disconnect' },
      },
    };
    const r = resume(def, start(def), { type: 'customerLeft' });
    expect(r).toMatchObject({ effects: [], snapshot: { status: 'ended' } });
  });

  it('default workflow over several minutes: the position every minute, then the queue times out', () => {
    let r = start(defaultImWorkflow);
    const sent: string[] = [];
    for (let minute = 1; minute <= 3; minute++) {
      const at = T0 + minute * 60_000;
      r = resume(defaultImWorkflow, r, { type: 'timer', at }, ctx({ now: at, taskState: 'queued', queuePosition: 5 - minute }));
      for (const e of r.effects) if (e.type === 'sendMessage') sent.push(e.text);
      expect(r.effects.at(-1)).toEqual({ type: 'schedule', at: at + 60_000 });
    }
    expect(sent).toEqual([4, 3, 2].map((n) => `You are number ${n} in the queue. Thank you for waiting.`));
    const out = resume(defaultImWorkflow, r, { type: 'queueExit', exit: 'timeout' }, ctx({ now: T0 + 200_000, taskState: 'ended' }));
    expect(out.effects).toEqual([
      { type: 'sendMessage', text: 'Sorry, Carol, nobody could take your chat in time. Please try again later.' },
      { type: 'end', disconnect: true },
    ]);
    expect(out.snapshot.queueTask).toBeUndefined();
  });
});

describe('wantsEvent', () => {
  it('tells the host which events can change a workflow, matching what resume does', async () => {
    const { wantsEvent } = await import('./engine');
    const r = start(defaultImWorkflow);
    const events = [
      { type: 'customerMessage', text: 'x' },
      { type: 'timer', at: T0 + 60_000 },
      { type: 'timer', at: 1 },
      { type: 'taskConnected' },
      { type: 'queueExit', exit: 'timeout' },
      { type: 'webResponse', requestId: 'r', ok: true },
    ] as const;
    for (const e of events) {
      const changed = JSON.stringify(resume(defaultImWorkflow, r, e)) !== JSON.stringify({ snapshot: r.snapshot, effects: [] });
      expect([e.type, wantsEvent(r.snapshot, e)]).toEqual([e.type, changed]);
    }
  });
});

import { defaultImWorkflow } from './default-workflow';
import type { WorkflowDefinition } from './definition';
import { MAX_STEPS_PER_CALL, resumeWorkflow, startWorkflow } from './engine';
import { render } from './template';
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
    expect(r2.effects).toEqual([{ type: 'sendMessage', text: 'You are number 2 in the queue. Thank you for waiting.' }, { type: 'schedule', at: T0 + 120_000 }]);
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
    expect(r.effects.at(-1)).toEqual({ type: 'end', disconnect: true });
    expect(r.snapshot.status).toBe('ended');
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
      id: 'w', name: 'W', start: 'ask',
      nodes: {
        ask: { activity: 'collectInformation', params: { prompt: 'Order number?', parameter: 'Order', validation: 'number' }, exits: { ok: 'say', failed: 'bye' } },
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
    const v1: WorkflowDefinition = { id: 'w', name: 'W', start: 'd', nodes: { d: { activity: 'delay', params: { seconds: 5 }, exits: { next: 'm' } }, m: { activity: 'message', params: { text: 'hi' }, exits: { next: 'b' } }, b: { activity: 'disconnect' } } };
    const r = start(v1);
    const v2: WorkflowDefinition = { ...v1, nodes: { ...v1.nodes, m: { activity: 'playMusic', exits: { next: 'b' } } } };
    const after = resume(v2, r, { type: 'timer', at: T0 + 5000 });
    expect(after.snapshot).toMatchObject({ status: 'ended', outcome: 'failed' });
    expect(after.effects).toEqual([{ type: 'end', outcome: 'failed', disconnect: true }]);
    expect(imSupportProblems(v2)).toEqual([{ path: 'nodes.m', message: 'activity "playMusic" is not supported for Instant Messaging' }]);
  });

  it('a node removed by an edit, or an unknown activity, fails the session', () => {
    const v1: WorkflowDefinition = { id: 'w', name: 'W', start: 'd', nodes: { d: { activity: 'delay', params: { seconds: 5 }, exits: { next: 'm' } }, m: { activity: 'message', params: { text: 'x' } } } };
    const r = start(v1);
    expect(resume({ ...v1, nodes: { d: v1.nodes.d! } }, r, { type: 'timer', at: T0 + 5000 }).snapshot.outcome).toBe('failed');
    expect(resume({ ...v1, nodes: { ...v1.nodes, m: { activity: 'teleport' } } }, r, { type: 'timer', at: T0 + 5000 }).snapshot.outcome).toBe('failed');
  });

  it('a loop without a wait is stopped and fails', () => {
    const def: WorkflowDefinition = { id: 'w', name: 'W', start: 'a', nodes: { a: { activity: 'saveToParameter', params: { parameter: 'x', value: 'y' }, exits: { next: 'a' } } } };
    const r = start(def);
    expect(r.snapshot.outcome).toBe('failed');
    expect(r.snapshot.steps).toBe(MAX_STEPS_PER_CALL);
  });

  it('events the workflow does not wait for change nothing', () => {
    const r = start(defaultImWorkflow);
    expect(resume(defaultImWorkflow, r, { type: 'customerMessage', text: 'hello?' }).effects).toEqual([]);
    expect(resume(defaultImWorkflow, r, { type: 'webResponse', requestId: 'x', ok: true }).effects).toEqual([]);
  });
});

describe('templates', () => {
  const c = { now: T0, queuePosition: 3 };
  it('insert parameters, the live queue position and time; unknown names are empty', () => {
    expect(render('{{A}}-{{ Queue.Position }}-{{Nope}}-{{Time.Now}}', { A: 'x' }, c)).toBe('x-3--2026-11-25T10:00:00.000Z');
  });
  it('escape what they insert: URL-encoded in URLs, JSON-escaped in bodies, control characters dropped in text', () => {
    const p = { N: 'a b&c=d/"e"\n<script>' };
    expect(render('https://x.test/?q={{N}}', p, c, 'url')).toBe('https://x.test/?q=a%20b%26c%3Dd%2F%22e%22%0A%3Cscript%3E');
    expect(JSON.parse(render('{"n":"{{N}}"}', p, c, 'json'))).toEqual({ n: p.N });
    expect(render('{{N}}', { N: 'a\u0000b\u0007c' }, c)).toBe('abc');
    // Text is text: the client renders it as text, so markup stays as typed, not interpreted here.
    expect(render('{{N}}', { N: '<b>hi</b>' }, c)).toBe('<b>hi</b>');
  });
});

describe('validation', () => {
  it('reports every problem with its node id', () => {
    const bad: WorkflowDefinition = {
      id: 'bad', name: 'Bad', start: 'a',
      nodes: {
        a: { activity: 'accept', exits: { next: 'h' } },
        h: { activity: 'checkOpeningHours', exits: { open: 'q', closed: 'ghost' } },
        q: { activity: 'queue', exits: { connectedEnded: 'q2', timeout: 'bye', nobodyEligible: 'bye' } },
        q2: { activity: 'queue', exits: { connectedEnded: 'bye', timeout: 'bye', nobodyEligible: 'bye' } },
        bye: { activity: 'disconnect' },
        lonely: { activity: 'message', params: { text: 'never' }, exits: { next: 'bye' } },
        x: { activity: 'frobnicate' },
        loop: { activity: 'delay', params: { seconds: 5 }, exits: { next: 'loop' } },
        m: { activity: 'message', exits: { next: 'bye' } },
      },
    };
    const problems = validateWorkflow(bad).map((p) => `${p.path}: ${p.message}`);
    expect(problems).toEqual(expect.arrayContaining([
      'nodes.h.exits.closed: points to unknown node "ghost"',
      'nodes.q2: a second queue on the path after "q": a task can be queued once',
      'nodes.lonely: is never reached from the start node',
      'nodes.x: unknown activity "frobnicate"',
      'nodes.m.params: parameter "text" is required',
    ]));
    const start2: WorkflowDefinition = { id: 's', name: 'S', start: 'a', nodes: { a: { activity: 'message', params: { text: 'x' }, exits: { next: 'l' } }, l: { activity: 'delay', params: { seconds: 5 }, exits: { next: 'l' } }, c: { activity: 'checkTask', exits: { queued: 'a' } } } };
    const p2 = validateWorkflow(start2).map((p) => `${p.path}: ${p.message}`);
    expect(p2).toEqual(expect.arrayContaining([
      'nodes.a: no path from here ends the conversation (add a Disconnect)',
      'nodes.l: no path from here ends the conversation (add a Disconnect)',
      'nodes.c.exits: missing exit "notQueued" of activity "checkTask"',
    ]));
  });
});

describe('wantsEvent', () => {
  it('tells the host which events can change a workflow, matching what resume does', async () => {
    const { wantsEvent } = await import('./engine');
    const r = start(defaultImWorkflow);
    const events = [
      { type: 'customerMessage', text: 'x' }, { type: 'timer', at: T0 + 60_000 }, { type: 'timer', at: 1 }, { type: 'taskConnected' },
      { type: 'queueExit', exit: 'timeout' }, { type: 'webResponse', requestId: 'r', ok: true },
    ] as const;
    for (const e of events) {
      const changed = JSON.stringify(resume(defaultImWorkflow, r, e)) !== JSON.stringify({ snapshot: r.snapshot, effects: [] });
      expect([e.type, wantsEvent(r.snapshot, e)]).toEqual([e.type, changed]);
    }
  });
});

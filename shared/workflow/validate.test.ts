/** Workflow validation: every problem with its node id, and IM support. */
import type { WorkflowDefinition } from './definition';
import { imSupportProblems, validateWorkflow } from './validate';

const lines = (def: WorkflowDefinition) => validateWorkflow(def).map((p) => `${p.path}: ${p.message}`);

describe('validateWorkflow', () => {
  it('reports every problem with its node id', () => {
    const bad: WorkflowDefinition = {
      id: 'bad',
      name: 'Bad',
      start: 'a',
      nodes: {
        a: { activity: 'accept', exits: { next: 'h' } },
        h: { activity: 'checkOpeningHours', exits: { open: 'q', closed: 'ghost' } },
        q: { activity: 'queue', exits: { connectedEnded: 'q2', timeout: 'bye', nobodyEligible: 'bye' } },
        q2: { activity: 'queue', exits: { connectedEnded: 'bye', timeout: 'bye', nobodyEligible: 'bye' } },
        bye: { activity: 'disconnect' },
        lonely: { activity: 'message', params: { text: 'never' }, exits: { next: 'bye' } },
        x: { activity: 'frobnicate' },
        m: { activity: 'message', exits: { next: 'bye' } },
      },
    };
    expect(lines(bad)).toEqual(
      expect.arrayContaining([
        'nodes.h.exits.closed: points to unknown node "ghost"',
        'nodes.q2: a second queue on the path after "q": a task can be queued once',
        'nodes.lonely: is never reached from the start node',
        'nodes.x: unknown activity "frobnicate"',
        'nodes.m.params: parameter "text" is required',
      ]),
    );
  });

  it('reports missing required exits, exits the activity does not have, and paths without an end', () => {
    const def: WorkflowDefinition = {
      id: 's',
      name: 'S',
      start: 'a',
      nodes: {
        a: { activity: 'message', params: { text: 'x' }, exits: { next: 'c', later: 'a' } },
        c: { activity: 'checkTask', exits: { queued: 'l' } },
        l: { activity: 'delay', params: { seconds: 5 }, exits: { next: 'l' } },
      },
    };
    expect(lines(def)).toEqual(
      expect.arrayContaining([
        'nodes.a.exits.later: activity "message" has no exit "later"',
        'nodes.c.exits: missing exit "notQueued" of activity "checkTask"',
        'nodes.a: no path from here ends the conversation (add a Disconnect)',
        'nodes.l: no path from here ends the conversation (add a Disconnect)',
      ]),
    );
  });

  it('a start node that does not exist', () => {
    expect(lines({ id: 'w', name: 'W', start: 'nope', nodes: { b: { activity: 'disconnect' } } })).toEqual(
      expect.arrayContaining(['start: start node "nope" does not exist']),
    );
  });

  it('a Queue after a Queue Task on one path is a second queue; on separate branches it is fine', () => {
    const base = { connectedEnded: 'bye', timeout: 'bye', nobodyEligible: 'bye' };
    const twice: WorkflowDefinition = {
      id: 'w',
      name: 'W',
      start: 'qt',
      nodes: {
        qt: { activity: 'queueTask', exits: { next: 'q', ...base } },
        q: { activity: 'queue', exits: base },
        bye: { activity: 'disconnect' },
      },
    };
    expect(lines(twice)).toContain('nodes.q: a second queue on the path after "qt": a task can be queued once');
    const branches: WorkflowDefinition = {
      id: 'w',
      name: 'W',
      start: 'r',
      nodes: {
        r: { activity: 'availabilityRouting', exits: { available: 'q1', allBusy: 'q2', nobodyOnDuty: 'bye' } },
        q1: { activity: 'queue', exits: base },
        q2: { activity: 'queue', params: { priority: 'high' }, exits: base },
        bye: { activity: 'disconnect' },
      },
    };
    expect(validateWorkflow(branches)).toEqual([]);
  });

  it('a menu needs an exit per option and noMatch', () => {
    const def: WorkflowDefinition = {
      id: 'w',
      name: 'W',
      start: 'm',
      nodes: {
        m: {
          activity: 'inputCustomer',
          params: {
            prompt: '1 or 2?',
            options: [
              { key: '1', exit: 'one' },
              { key: '2', exit: 'two' },
            ],
          },
          exits: { one: 'bye', noMatch: 'bye' },
        },
        bye: { activity: 'disconnect' },
      },
    };
    expect(lines(def)).toEqual(['nodes.m.exits: missing exit "two" of activity "inputCustomer"']);
  });
});

describe('imSupportProblems', () => {
  it('names every voice-only activity and its node', () => {
    const def: WorkflowDefinition = {
      id: 'w',
      name: 'W',
      start: 'a',
      nodes: {
        a: { activity: 'accept', exits: { next: 'n3' } },
        n3: { activity: 'playMusic', exits: { next: 'n4' } },
        n4: { activity: 'forward', exits: { next: 'b' } },
        b: { activity: 'disconnect' },
      },
    };
    expect(validateWorkflow(def)).toEqual([]);
    expect(imSupportProblems(def)).toEqual([
      { path: 'nodes.n3', message: 'activity "playMusic" is not supported for Instant Messaging' },
      { path: 'nodes.n4', message: 'activity "forward" is not supported for Instant Messaging' },
    ]);
  });
});

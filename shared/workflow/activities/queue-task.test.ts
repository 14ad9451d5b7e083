import { around, exitTaken, resume, start } from './test-kit';
import type { WorkflowDefinition } from '../definition';

const def: WorkflowDefinition = {
  id: 'w',
  name: 'W',
  start: 'q',
  nodes: {
    q: {
      activity: 'queueTask',
      exits: {
        next: 'd',
        connectedEnded: 'x_connectedEnded',
        timeout: 'x_timeout',
        nobodyEligible: 'x_nobodyEligible',
        customerLeft: 'x_customerLeft',
      },
    },
    d: { activity: 'delay', params: { seconds: 60 }, exits: { next: 'd' } },
    ...around({ activity: 'accept' }, ['connectedEnded', 'timeout', 'nobodyEligible', 'customerLeft']).nodes,
  },
};
delete (def.nodes as Record<string, unknown>).n;

describe('queueTask', () => {
  it('queues and keeps running', () => {
    const r = start(def);
    expect(r.effects[0]).toEqual({ type: 'enterQueue' });
    expect(r.effects[1]).toMatchObject({ type: 'schedule' });
    expect(r.snapshot.queueTask).toEqual({ node: 'q' });
  });
  it.each(['timeout', 'nobodyEligible', 'connectedEnded'] as const)('a queue exit %s jumps from wherever the workflow waits', (exit) => {
    expect(exitTaken(resume(def, start(def), { type: 'queueExit', exit }))).toBe(exit);
  });
  it('once connected the loop stops; customer left jumps too', () => {
    const c = resume(def, start(def), { type: 'taskConnected' });
    expect(c.snapshot.wait).toEqual({ kind: 'connected' });
    const at = (start(def).effects[1] as { at: number }).at;
    expect(resume(def, c, { type: 'timer', at }).effects).toEqual([]);
    expect(exitTaken(resume(def, start(def), { type: 'customerLeft' }))).toBe('customerLeft');
  });
});

import { around, exitTaken, resume, start } from './test-kit';

const node = { activity: 'queue', params: { priority: 'high', maxQueueTimeSec: 600, distributionType: 'broadcast', offerTimeoutSec: 20 } };
const def = around(node, ['connectedEnded', 'timeout', 'nobodyEligible', 'customerLeft']);

describe('queue', () => {
  it('enters the queue with its settings and waits', () => {
    const r = start(def);
    expect(r.effects).toEqual([
      { type: 'enterQueue', priority: 'high', maxQueueTimeSec: 600, distributionType: 'broadcast', offerTimeoutSec: 20 },
    ]);
    expect(r.snapshot.wait).toEqual({ kind: 'queue' });
  });
  it.each(['timeout', 'nobodyEligible'] as const)('leaves through %s', (exit) => {
    expect(exitTaken(resume(def, start(def), { type: 'queueExit', exit }))).toBe(exit);
  });
  it('connected, then ended after connect', () => {
    const c = resume(def, start(def), { type: 'taskConnected' });
    expect(c.snapshot.wait).toEqual({ kind: 'connected' });
    expect(resume(def, c, { type: 'customerMessage', text: 'hi' }).effects).toEqual([]);
    expect(exitTaken(resume(def, c, { type: 'queueExit', exit: 'connectedEnded' }))).toBe('connectedEnded');
  });
  it('customer left', () => {
    expect(exitTaken(resume(def, start(def), { type: 'customerLeft' }))).toBe('customerLeft');
  });
});

import { around, ctx, exitTaken, resume, start, T0 } from './test-kit';

const def = around({ activity: 'waitForParameter', params: { parameter: 'Order', timeoutSec: 30 } }, ['set', 'timeout']);

describe('waitForParameter', () => {
  it('goes on at once when the parameter is set', () => {
    expect(exitTaken(start(def, undefined, { Order: '42' }))).toBe('set');
  });
  it('waits, keeps waiting on messages, times out', () => {
    const r = start(def);
    expect(r.effects).toEqual([{ type: 'schedule', at: T0 + 30_000 }]);
    const r2 = resume(def, r, { type: 'customerMessage', text: 'hello?' });
    expect(r2.snapshot.status).toBe('waiting');
    expect(r2.snapshot.params['Customer.LastMessage']).toBe('hello?');
    expect(exitTaken(resume(def, r2, { type: 'timer', at: T0 + 30_000 }, ctx({ now: T0 + 30_000 })))).toBe('timeout');
  });
});

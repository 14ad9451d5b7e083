import { around, exitTaken, start } from './test-kit';

describe('transfer', () => {
  it('to another IM service: the transfer effect and the workflow ends transferred', () => {
    const r = start(around({ activity: 'transfer', params: { serviceId: 'sales' } }, ['failed']));
    expect(r.effects).toEqual([{ type: 'transfer', serviceId: 'sales' }]);
    expect(r.snapshot).toMatchObject({ status: 'ended', outcome: 'transferred' });
  });
  it.each([['unknown', 'nope'], ['the same service', 'support']])('to %s: failed exit', (_n, serviceId) => {
    expect(exitTaken(start(around({ activity: 'transfer', params: { serviceId } }, ['failed'])))).toBe('failed');
  });
});

import { around, ctx, exitTaken, start } from './test-kit';

describe('transfer', () => {
  it('to another IM service: the transfer effect and the workflow ends transferred', () => {
    const r = start(around({ activity: 'transfer', params: { serviceId: 'sales' } }, ['failed']));
    expect(r.effects).toEqual([{ type: 'transfer', serviceId: 'sales' }]);
    expect(r.snapshot).toMatchObject({ status: 'ended', outcome: 'transferred' });
  });
  it.each([
    ['unknown', 'nope'],
    ['the same service', 'support'],
  ])('to %s: failed exit', (_n, serviceId) => {
    expect(exitTaken(start(around({ activity: 'transfer', params: { serviceId } }, ['failed'])))).toBe('failed');
  });
  it('to a service with IM turned off: failed exit, no transfer', () => {
    const c = ctx();
    const tenant = {
      ...c.tenant,
      services: c.tenant.services.map((s) => (s.id === 'sales' ? { ...s, im: { ...s.im, enabled: false } } : s)),
    };
    const r = start(around({ activity: 'transfer', params: { serviceId: 'sales' } }, ['failed']), { ...c, tenant });
    expect(exitTaken(r)).toBe('failed');
    expect(r.effects.some((e) => e.type === 'transfer')).toBe(false);
  });
});

import { demoTenant } from '@stratus/shared/tenant/demo';
import { diffSummary, tenantOfFile } from './diffSummary';

describe('import diff summary', () => {
  it('names added, removed and changed users, services and workflows, and changed tenant settings', () => {
    const from = demoTenant();
    const to = demoTenant();
    to.services = [
      { ...to.services[0]!, name: 'Help' },
      { ...to.services[1]!, id: 'billing' },
    ];
    to.users = to.users.slice(1);
    to.admins = ['bob'];
    expect(diffSummary(from, to)).toEqual({
      added: ['service billing'],
      removed: ['user alice', 'service sales'],
      changed: ['service support', 'tenant admins'],
    });
  });
  it('does not count a Twilio auth token left out of an export as a change', () => {
    const from = demoTenant();
    const to = demoTenant();
    const { authToken: _t, ...twilio } = to.twilio!;
    to.twilio = twilio as typeof to.twilio;
    expect(diffSummary(from, to)).toEqual({ added: [], removed: [], changed: [] });
  });
  it('takes the first tenant of an export file, or a bare tenant', () => {
    const t = demoTenant();
    expect(tenantOfFile({ tenants: [t] })).toBe(t);
    expect(tenantOfFile(t)).toBe(t);
    expect(tenantOfFile('x')).toBeUndefined();
  });
});

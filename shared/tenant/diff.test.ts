import { demoTenant } from './demo';
import { sameJson, summarizeChanges, tenantChanges } from './diff';

test('services, users and members are named by id, so adding one does not shift the others', () => {
  const before = demoTenant();
  const billing = { ...before.services[0]!, id: 'billing', name: 'Billing' };
  const after = { ...before, services: [billing, ...before.services] };
  const changes = tenantChanges(before, after);
  expect(changes).toEqual([{ path: 'services[billing]', after: expect.objectContaining({ id: 'billing' }) }]);
  expect(summarizeChanges(changes)).toBe('1 change: services[billing] added');
});

test('a changed leaf shows before and after; a secret only that it changed', () => {
  const before = demoTenant();
  const after = {
    ...before,
    name: 'Contoso Ltd',
    twilio: { ...before.twilio!, authToken: 'new' },
    services: before.services.map((s) => (s.id === 'support' ? { ...s, members: s.members.map((m) => ({ ...m, active: false })) } : s)),
  };
  const changes = tenantChanges(before, after, (p) => p === 'twilio.authToken');
  expect(changes).toEqual(
    expect.arrayContaining([
      { path: 'name', before: 'Contoso', after: 'Contoso Ltd' },
      { path: 'twilio.authToken', after: '(changed)' },
      { path: 'services[support].members[alice].active', before: true, after: false },
    ]),
  );
  expect(JSON.stringify(changes)).not.toContain('"new"');
});

test('JSON equality ignores key order', () => {
  expect(sameJson({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
  expect(sameJson({ a: 1 }, { a: 2 })).toBe(false);
  expect(sameJson(undefined, { a: 1 })).toBe(false);
});

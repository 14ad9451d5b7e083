import { demoTenant } from '@stratus/shared/tenant/demo';
import { hasUser, newUser, removeUser } from './newUser';

describe('adding and removing tenant users', () => {
  it('makes a new user with a fresh id from the UPN, the IM license and on duty', () => {
    const t = demoTenant();
    expect(newUser(t, 'Carol.Jones@Contoso.com', 'Carol Jones', 'ABCDEF00-0000-0000-0000-000000000001')).toEqual({
      id: 'carol-jones',
      upn: 'carol.jones@contoso.com',
      displayName: 'Carol Jones',
      entraObjectId: 'abcdef00-0000-0000-0000-000000000001',
      licenses: ['im'],
      presence: 'online',
      onDuty: true,
    });
    expect(newUser(t, 'alice@fabrikam.com', 'Alice F').id).toBe('alice-2');
  });
  it('knows a person by UPN or Entra object id', () => {
    const t = demoTenant();
    expect(hasUser(t, 'BOB@contoso.com')).toBe(true);
    expect(hasUser(t, 'x@y.com', '00000000-0000-0000-0000-000000000B0B')).toBe(true);
    expect(hasUser(t, 'x@y.com')).toBe(false);
  });
  it('removes a user with every reference to them', () => {
    const t = removeUser(demoTenant(), 'alice');
    expect(t.users.map((u) => u.id)).toEqual(['bob']);
    expect(t.admins).toEqual([]);
    expect(t.services[0]?.members.map((m) => m.userId)).toEqual(['bob']);
    expect(t.services[0]?.supervisors).toEqual([]);
  });
});

/**
 * Tenant isolation: two tenants on one server. Nothing of one is visible to the other: not its
 * sessions, not its messages, not its reporting, not its codes. Two tenants never claim the
 * same code, sender, Entra id or UPN; re-importing a changed file applies what it changed.
 */
import { and, eq } from 'drizzle-orm';
import { DEMO_ENTRA_TENANT_ID, demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { openStore, type Store } from '../store/db';
import { agents, agentServices } from '../store/schema';
import { importTenants } from '../tenant-config/load';
import { tenantCollisions, TenantRegistry } from '../tenants/registry';
import { startHarness, waitFor, type Harness } from './harness';
import { tenantRuntime } from './tenant-runtime';

function fabrikam(): TenantConfig {
  const t = demoTenant();
  return {
    ...t,
    id: 'fabrikam',
    name: 'Fabrikam',
    entraTenantId: '11111111-2222-3333-4444-555555555555',
    twilio: { accountSid: 'AC11111111111111111111111111111111', authToken: 'fabrikam-token', region: 'us1' },
    users: t.users.map((u) => ({
      ...u,
      upn: u.upn.replace('contoso', 'fabrikam'),
      entraObjectId: (u.entraObjectId ?? '').replace(/^0{8}/, '11111111'),
      ...(u.interact ? { interact: { ...u.interact, code: `f-${u.interact.code}` } } : {}),
    })),
    services: t.services.map((s) => ({
      ...s,
      im: {
        ...s.im,
        ...(s.im.interact ? { interact: { ...s.im.interact, code: `f-${s.im.interact.code}` } } : {}),
        ...(s.im.whatsapp ? { whatsapp: { sender: s.im.whatsapp.sender.replace('0100', '0200') } } : {}),
      },
    })),
  };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tenants: [demoTenant(), fabrikam()] });
});
afterAll(async () => {
  await h?.stop();
});

test('an agent of one tenant sees nothing of another tenant', async () => {
  const contoso = { alice: await h.devToken('alice@contoso.com'), bob: await h.devToken('bob@contoso.com') };
  const fab = { alice: await h.devToken('alice@fabrikam.com'), bob: await h.devToken('bob@fabrikam.com') };
  const chat = await h.call('POST', '/api/interact/support/chats', {
    displayName: 'Secret Sam',
    email: 'sam@example.com',
    privacyAccepted: true,
    message: 'my account number is 1234',
  });
  expect(chat.status).toBe(201);
  const offered = await waitFor('the contoso offer', async () => {
    for (const token of Object.values(contoso)) {
      const s = (await h.call('GET', '/api/agent/sessions', undefined, token)).data.sessions.find((x: any) => x.state === 'offered');
      if (s) return { id: s.id as string, token };
    }
    return undefined;
  });
  await h.call('POST', `/api/agent/sessions/${offered.id}/accept`, {}, offered.token);

  for (const token of Object.values(fab)) {
    const list = await h.call('GET', '/api/agent/sessions', undefined, token);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.data)).not.toContain('Secret Sam');
    // The other tenant's session id does not exist for them (404, not 403: nothing is revealed).
    for (const [method, path] of [
      ['GET', 'messages'],
      ['POST', 'accept'],
      ['POST', 'end'],
      ['POST', 'messages'],
    ] as const) {
      const r = await h.call(method, `/api/agent/sessions/${offered.id}/${path}`, method === 'POST' ? { text: 'hi' } : undefined, token);
      expect(r.status).toBe(404);
      expect(JSON.stringify(r.data)).not.toContain('Secret Sam');
    }
  }
  const report = await h.call('GET', '/api/reporting/sessions', undefined, fab.alice);
  expect(report.status).toBe(200);
  expect(report.data.sessions.some((s: any) => s.taskId === offered.id)).toBe(false);
  const own = await h.call('GET', '/api/reporting/sessions', undefined, contoso.alice);
  expect(own.data.sessions.some((s: any) => s.taskId === offered.id)).toBe(true);
});

test('each tenant has its own codes', async () => {
  const r = await h.call('POST', '/api/interact/f-support/chats', { displayName: 'Fay', email: 'fay@example.com', privacyAccepted: true });
  expect(r.status).toBe(201);
  const fabAlice = await h.devToken('alice@fabrikam.com');
  const fabBob = await h.devToken('bob@fabrikam.com');
  await waitFor('a fabrikam offer', async () => {
    for (const token of [fabAlice, fabBob]) {
      const s = (await h.call('GET', '/api/agent/sessions', undefined, token)).data.sessions;
      if (s.some((x: any) => x.customer.displayName === 'Fay')) return true;
    }
    return false;
  });
  const contosoAlice = await h.devToken('alice@contoso.com');
  const contosoBob = await h.devToken('bob@contoso.com');
  for (const token of [contosoAlice, contosoBob]) {
    expect(JSON.stringify((await h.call('GET', '/api/agent/sessions', undefined, token)).data)).not.toContain('Fay');
  }
});

describe('cross-tenant collisions', () => {
  /** Imports the list into a new store; what was refused, and the tenants that were imported. */
  const refused = async (list: TenantConfig[]): Promise<string> => {
    const store = await openStore({ dataDir: 'memory://' });
    try {
      const report = await importTenants(tenantRuntime(store), { entries: JSON.parse(JSON.stringify(list)), demo: false, name: 'file' });
      return report.problems.join('\n');
    } finally {
      await store.close();
    }
  };

  test('two tenants that share nothing load side by side', async () => {
    expect(await refused([demoTenant(), fabrikam()])).toBe('');
    expect(tenantCollisions([demoTenant(), fabrikam()])).toEqual([]);
  });

  test.each<[string, (f: TenantConfig) => TenantConfig, RegExp]>([
    [
      "an Interact code (a user's against a service's)",
      (f) => ({ ...f, users: f.users.map((u) => (u.interact ? { ...u, interact: { ...u.interact, code: 'support' } } : u)) }),
      /tenants\[1\]\.users\[1\]\.interact\.code: Interact code "support" is already used by another tenant \(tenant "fabrikam" is refused\)/,
    ],
    [
      'a WhatsApp/SMS sender',
      (f) => ({
        ...f,
        services: f.services.map((s) =>
          s.im.whatsapp ? { ...s, im: { ...s.im, whatsapp: { sender: 'whatsapp:+15550100', sms: false } } } : s,
        ),
      }),
      /tenants\[1\]\.services\[0\]\.im\.whatsapp\.sender: WhatsApp\/SMS sender "whatsapp:\+15550100" is already used by another tenant/,
    ],
    [
      'an Entra tenant id, in other casing',
      (f) => ({ ...f, entraTenantId: DEMO_ENTRA_TENANT_ID.toUpperCase() }),
      /tenants\[1\]\.entraTenantId: Entra tenant id .* is already used by another tenant/,
    ],
    [
      'an Entra object id',
      (f) => ({ ...f, users: f.users.map((u, i) => (i === 0 ? { ...u, entraObjectId: '00000000-0000-0000-0000-0000000A11CE' } : u)) }),
      /tenants\[1\]\.users\[0\]\.entraObjectId: Entra object id .* is already used by another tenant/,
    ],
    [
      'a UPN, in other casing',
      (f) => ({ ...f, users: f.users.map((u, i) => (i === 0 ? { ...u, upn: 'Alice@Contoso.com' } : u)) }),
      /tenants\[1\]\.users\[0\]\.upn: UPN "alice@contoso\.com" is already used by another tenant \(tenant "fabrikam" is refused\)/,
    ],
  ])('a tenant that claims %s of another is refused, and the other imports', async (_what, change, reason) => {
    const problems = await refused([demoTenant(), change(fabrikam())]);
    expect(problems).not.toMatch(/tenants\[0\]/);
    expect(problems).toMatch(reason);
    // Never loaded beside it: the registry refuses the list too.
    expect(() => new TenantRegistry([demoTenant(), change(fabrikam())])).toThrow(/tenants collide/);
  });

  test('every collision is listed with the other problems of the file', async () => {
    const f = fabrikam();
    const bad = {
      ...f,
      entraTenantId: DEMO_ENTRA_TENANT_ID,
      users: f.users.map((u) => ({ ...u, upn: u.upn.replace('fabrikam', 'contoso') })),
    };
    const problems = (await refused([demoTenant(), { id: 'broken' } as unknown as TenantConfig, bad])).split('\n');
    expect(problems.some((p) => p.startsWith('tenants[1].'))).toBe(true);
    expect(problems.filter((p) => p.startsWith('tenants[2].') && p.includes('already used by another tenant'))).toHaveLength(3);
  });
});

describe('re-importing the tenant file', () => {
  let store: Store;
  let rt: ReturnType<typeof tenantRuntime>;
  let clock = 0;
  const importTenantList = (list: TenantConfig[], now: number) => {
    clock = now;
    return importTenants(rt, { entries: list, demo: false, name: 'file' });
  };
  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory://' });
    rt = tenantRuntime(store, { now: () => clock });
  });
  afterAll(async () => {
    await store?.close();
  });
  const agent = async (userId: string) =>
    (
      await store.db
        .select()
        .from(agents)
        .where(and(eq(agents.tenantId, 'contoso'), eq(agents.userId, userId)))
    )[0]!;
  const active = async (userId: string, serviceId: string) =>
    (
      await store.db
        .select()
        .from(agentServices)
        .where(and(eq(agentServices.tenantId, 'contoso'), eq(agentServices.userId, userId), eq(agentServices.serviceId, serviceId)))
    )[0]!.active;
  const withUser = (t: TenantConfig, id: string, change: Partial<TenantConfig['users'][number]>): TenantConfig => ({
    ...t,
    users: t.users.map((u) => (u.id === id ? { ...u, ...change } : u)),
  });
  const withMember = (t: TenantConfig, serviceId: string, userId: string, isActive: boolean): TenantConfig => ({
    ...t,
    services: t.services.map((s) =>
      s.id === serviceId ? { ...s, members: s.members.map((m) => (m.userId === userId ? { ...m, active: isActive } : m)) } : s,
    ),
  });

  test('what the file changed takes effect; what agents changed at run time survives the rest', async () => {
    const v1 = demoTenant();
    await importTenantList([v1], 1000);
    // Agents at work: Alice goes off duty, Bob leaves Support.
    await store.db
      .update(agents)
      .set({ onDuty: false })
      .where(and(eq(agents.tenantId, 'contoso'), eq(agents.userId, 'alice')));
    await store.db
      .update(agentServices)
      .set({ active: false })
      .where(and(eq(agentServices.tenantId, 'contoso'), eq(agentServices.userId, 'bob'), eq(agentServices.serviceId, 'support')));

    // A restart with the same file changes nothing.
    await importTenantList([demoTenant()], 2000);
    expect((await agent('alice')).onDuty).toBe(false);
    expect(await active('bob', 'support')).toBe(false);

    // The file changes Alice's presence, Bob's blocking call and Alice's Sales membership.
    let v2 = withUser(withUser(v1, 'alice', { presence: 'away' }), 'bob', { inBlockingCall: true });
    v2 = withMember(v2, 'sales', 'alice', false);
    await importTenantList([v2], 3000);
    expect(await agent('alice')).toMatchObject({ presence: 'away', onDuty: false });
    expect(await agent('bob')).toMatchObject({ presence: 'online', inBlockingCall: true, onDuty: true });
    expect(await active('alice', 'sales')).toBe(false);
    expect(await active('bob', 'support')).toBe(false);

    // Alice leaves Support at run time; the file puts Bob off duty and takes him out of Support, then back in.
    await store.db
      .update(agentServices)
      .set({ active: false })
      .where(and(eq(agentServices.tenantId, 'contoso'), eq(agentServices.userId, 'alice'), eq(agentServices.serviceId, 'support')));
    const v3 = withMember(withUser(v2, 'bob', { onDuty: false }), 'support', 'bob', false);
    await importTenantList([v3], 4000);
    expect((await agent('bob')).onDuty).toBe(false);
    expect(await active('bob', 'support')).toBe(false);
    await importTenantList([withMember(v3, 'support', 'bob', true)], 5000);
    expect(await active('bob', 'support')).toBe(true);
    expect(await active('alice', 'support')).toBe(false);
  });
});

/**
 * Configuration changes across instances: two servers on one PostgreSQL. A service added through
 * one instance's admin API takes a chat on its new code on the other within a second, without a
 * restart; a concurrent pair of writes lands one and refuses the other (412); two tenants cannot
 * claim the same code even when written at once on two instances. Runs in `npm run test:pg`.
 */
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { ServiceConfig, TenantConfig } from '@stratus/shared/tenant/model';
import { freshDatabase, startHarness, waitFor, type Harness } from './harness';

const url = process.env.DATABASE_URL;
const maybe = url ? describe : describe.skip;
jest.setTimeout(90_000);

function fabrikam(): TenantConfig {
  const t = demoTenant();
  return {
    ...t,
    id: 'fabrikam',
    name: 'Fabrikam',
    entraTenantId: '11111111-2222-3333-4444-555555555555',
    twilio: undefined,
    users: t.users.map((u) => ({ ...u, upn: u.upn.replace('contoso', 'fabrikam'), entraObjectId: undefined, interact: undefined })),
    services: t.services.map((s) => ({
      ...s,
      im: { ...s.im, whatsapp: undefined, ...(s.im.interact ? { interact: { ...s.im.interact, code: `f-${s.im.interact.code}` } } : {}) },
    })),
  };
}

function service(id: string, code: string): ServiceConfig {
  const support = demoTenant().services[0]!;
  return {
    ...support,
    id,
    name: id,
    members: [{ userId: 'bob', active: true }],
    im: { ...support.im, interact: { code, allowedOrigins: [] }, whatsapp: undefined },
  };
}

maybe('admin changes on two instances', () => {
  let a: Harness;
  let b: Harness;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase(url!);
    const env = { DATABASE_URL: db.url, INTERACT_RATE_LIMIT_SCALE: '0' };
    a = await startHarness({ env, tenants: [demoTenant(), fabrikam()] });
    b = await startHarness({ env, tenants: [demoTenant(), fabrikam()] });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  const read = async (h: Harness, token: string) => {
    const r = await h.call('GET', '/api/admin/config', undefined, token);
    return { config: r.data as TenantConfig, etag: r.headers.get('etag') ?? '' };
  };

  test('a service added on one instance takes a chat on the other within a second', async () => {
    const alice = await a.devToken('alice@contoso.com');
    const before = await read(a, alice);
    const saved = await a.call(
      'PUT',
      '/api/admin/config',
      { ...before.config, services: [...before.config.services, service('billing', 'billing')] },
      alice,
      {
        'if-match': before.etag,
      },
    );
    expect(saved.status).toBe(200);
    const t0 = Date.now();
    const chat = await waitFor(
      'the new code on instance b',
      async () => {
        const r = await b.call('POST', '/api/interact/billing/chats', {
          displayName: 'Dora',
          email: 'd@example.com',
          privacyAccepted: true,
        });
        return r.status === 201 ? r.data : undefined;
      },
      5000,
    );
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(chat.chatId).toEqual(expect.any(String));
    const bob = await b.devToken('bob@contoso.com');
    await waitFor('the offer to Bob', async () => {
      const s = await b.call('GET', '/api/agent/sessions', undefined, bob);
      return s.data.sessions.find((x: { serviceId: string; state: string }) => x.serviceId === 'billing' && x.state === 'offered');
    });
    expect(b.app.rt.tenants.revision('contoso')).toBe(a.app.rt.tenants.revision('contoso'));
  });

  test('two writes from the same revision on two instances: one lands, the other is told it is stale', async () => {
    const alice = await a.devToken('alice@contoso.com');
    const before = await read(a, alice);
    const [x, y] = await Promise.all([
      a.call('PUT', '/api/admin/config', { ...before.config, name: 'From A' }, alice, { 'if-match': before.etag }),
      b.call('PUT', '/api/admin/config', { ...before.config, name: 'From B' }, alice, { 'if-match': before.etag }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 412]);
    const winner = x.status === 200 ? 'From A' : 'From B';
    await waitFor(
      'both instances on the winner',
      () => a.app.rt.tenants.tenant('contoso')?.name === winner && b.app.rt.tenants.tenant('contoso')?.name === winner,
    );
  });

  test('two tenants claiming one new code at once on two instances: exactly one gets it', async () => {
    const alice = await a.devToken('alice@contoso.com');
    const fay = await b.devToken('alice@fabrikam.com');
    const contoso = await read(a, alice);
    const fab = await read(b, fay);
    const [x, y] = await Promise.all([
      a.call('PUT', '/api/admin/config', { ...contoso.config, services: [...contoso.config.services, service('promo', 'promo')] }, alice, {
        'if-match': contoso.etag,
      }),
      b.call('PUT', '/api/admin/config', { ...fab.config, services: [...fab.config.services, service('promo', 'promo')] }, fay, {
        'if-match': fab.etag,
      }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 400]);
    const refused = x.status === 400 ? x : y;
    expect(refused.data.error.details).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/already used by another tenant/) }),
    ]);
  });
});

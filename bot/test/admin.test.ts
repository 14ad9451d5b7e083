/**
 * The admin API through real HTTP: a tenant's configuration read and replaced with ETags, applied
 * at once (a new service takes chats on its new code without a restart), refused whole when it is
 * invalid, stale or not the caller's to change, audited, and never showing a secret.
 */
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { ServiceConfig, TenantConfig } from '@stratus/shared/tenant/model';
import { startHarness, waitFor, type Harness } from './harness';
import { startTwilioStandIn, type TwilioStandIn } from './twilio-standin';

jest.setTimeout(60_000);

const TOKEN = '0123456789abcdef0123456789abcdef';

function tenant(): TenantConfig {
  const t = demoTenant();
  return {
    ...t,
    twilio: { ...t.twilio!, authToken: TOKEN },
    users: [
      ...t.users,
      { id: 'carol', upn: 'carol@contoso.com', displayName: 'Carol', licenses: ['im'], presence: 'online', onDuty: true },
    ],
    // Bob owns Support; Carol is a plain agent.
    services: t.services.map((s) => (s.id === 'support' ? { ...s, owners: ['bob'] } : s)),
  };
}

function billing(): ServiceConfig {
  const support = demoTenant().services[0]!;
  return {
    ...support,
    id: 'billing',
    name: 'Billing',
    members: [{ userId: 'bob', active: true }],
    supervisors: [],
    im: { ...support.im, interact: { code: 'billing', allowedOrigins: [] }, whatsapp: undefined },
  };
}

let h: Harness;
let alice: string;
let bob: string;
beforeAll(async () => {
  h = await startHarness({ tenants: [tenant()] });
  alice = await h.devToken('alice@contoso.com');
  bob = await h.devToken('bob@contoso.com');
});
afterAll(async () => {
  await h?.stop();
});

async function read(token = alice): Promise<{ config: TenantConfig; etag: string }> {
  const r = await h.call('GET', '/api/admin/config', undefined, token);
  expect(r.status).toBe(200);
  return { config: r.data, etag: r.headers.get('etag') ?? '' };
}

const put = (config: unknown, etag: string | undefined, token = alice) =>
  h.call('PUT', '/api/admin/config', config, token, etag === undefined ? {} : { 'if-match': etag });

test('GET returns the tenant with an ETag and without its Twilio auth token', async () => {
  const r = await h.call('GET', '/api/admin/config', undefined, alice);
  expect(r.status).toBe(200);
  expect(r.headers.get('etag')).toMatch(/^"r\d+"$/);
  expect(r.headers.get('cache-control')).toBe('no-store');
  expect(r.data.id).toBe('contoso');
  expect(r.data.twilio.accountSid).toBe(demoTenant().twilio!.accountSid);
  expect(r.data.twilio.authToken).toBeUndefined();
  expect(JSON.stringify(r.data)).not.toContain(TOKEN);
});

test('a service added by PUT takes a chat on its new code at once, and the audit log says who added it', async () => {
  const before = await read();
  expect(
    (await h.call('POST', '/api/interact/billing/chats', { displayName: 'Early', email: 'e@example.com', privacyAccepted: true })).status,
  ).toBe(404);
  const next = { ...before.config, services: [...before.config.services, billing()] };
  const saved = await put(next, before.etag);
  expect(saved.status).toBe(200);
  expect(saved.headers.get('etag')).not.toBe(before.etag);
  expect(saved.data.changed).toEqual(expect.arrayContaining([expect.stringMatching(/^services\[billing\]/)]));
  expect(JSON.stringify(saved.data)).not.toContain(TOKEN);

  // No restart: the new code takes a chat, and Bob (its member) is offered it.
  const chat = await h.call('POST', '/api/interact/billing/chats', {
    displayName: 'Dora',
    email: 'dora@example.com',
    privacyAccepted: true,
    message: 'My invoice',
  });
  expect(chat.status).toBe(201);
  const offered = await waitFor('the offer to Bob', async () => {
    const s = await h.call('GET', '/api/agent/sessions', undefined, bob);
    return s.data.sessions.find((x: { serviceId: string; state: string }) => x.serviceId === 'billing' && x.state === 'offered');
  });
  expect(offered.customer.displayName).toBe('Dora');

  // The Twilio token was kept although the document left it out: WhatsApp still works with it.
  expect(h.app.rt.tenants.tenant('contoso')?.twilio?.authToken).toBe(TOKEN);

  const audit = await h.call('GET', '/api/admin/audit', undefined, alice);
  expect(audit.status).toBe(200);
  const entry = audit.data.entries[0];
  expect(entry).toMatchObject({ actor: 'alice', action: 'config.update', target: 'tenant' });
  expect(entry.changes.some((c: { path: string }) => c.path.startsWith('services[billing]'))).toBe(true);
  expect(JSON.stringify(audit.data)).not.toContain(TOKEN);
});

test('invalid, stale, unconditional and unauthorised writes are refused and change nothing', async () => {
  const before = await read();
  const revision = h.app.rt.tenants.revision('contoso');

  // Invalid: every problem by its path.
  const broken = {
    ...before.config,
    services: before.config.services.map((s, i) =>
      i === 0 ? { ...s, im: { ...s.im, interact: { code: 'NO SPACES', allowedOrigins: ['nope'] }, workflowId: 'ghost' } } : s,
    ),
  };
  const bad = await put(broken, before.etag);
  expect(bad.status).toBe(400);
  expect(bad.data.error.code).toBe('invalid_config');
  const paths = bad.data.error.details.map((d: { path: string }) => d.path);
  expect(paths).toEqual(
    expect.arrayContaining(['services[0].im.interact.code', 'services[0].im.interact.allowedOrigins[0]', 'services[0].im.workflowId']),
  );

  // Stale: someone saved in between.
  const renamed = await put({ ...before.config, name: 'Contoso Ltd' }, before.etag);
  expect(renamed.status).toBe(200);
  const stale = await put({ ...before.config, name: 'Contoso Old' }, before.etag);
  expect(stale.status).toBe(412);
  expect(stale.data.error.code).toBe('stale');
  // Without If-Match: 428, nothing written.
  const blind = await put({ ...before.config, name: 'Contoso Blind' }, undefined);
  expect(blind.status).toBe(428);
  // Bob owns a service but is not a tenant admin; the whole document is not his.
  const owner = await put({ ...before.config, name: 'Bob Corp' }, renamed.headers.get('etag') ?? '', bob);
  expect(owner.status).toBe(403);
  expect((await h.call('GET', '/api/admin/config', undefined, bob)).status).toBe(403);
  // Another tenant's id cannot be written through this tenant.
  const other = await put({ ...before.config, id: 'fabrikam' }, renamed.headers.get('etag') ?? '');
  expect(other.status).toBe(400);
  expect(other.data.error.details[0].path).toBe('id');

  const after = await read();
  expect(after.config.name).toBe('Contoso Ltd');
  expect(h.app.rt.tenants.revision('contoso')).toBe(revision + 1);
  expect(h.app.rt.tenants.tenant('contoso')?.services[0]?.im.interact?.code).toBe('support');
});

test('an owner can change their service hours, and not its licenses', async () => {
  const r = await h.call('GET', '/api/admin/services/support', undefined, bob);
  expect(r.status).toBe(200);
  const service = r.data.service as ServiceConfig;
  const etag = r.headers.get('etag') ?? '';
  const closedSundays = { ...service.openingHours, weekly: service.openingHours.weekly.filter((w) => w.day !== 0) };
  const hours = await h.call('PUT', '/api/admin/services/support', { ...service, openingHours: closedSundays }, bob, { 'if-match': etag });
  expect(hours.status).toBe(200);
  expect(h.app.rt.tenants.service('contoso', 'support')?.openingHours.weekly.some((w) => w.day === 0)).toBe(false);

  const licenses = await h.call('PUT', '/api/admin/services/support', { ...hours.data.service, licenses: ['contactCenter'] }, bob, {
    'if-match': hours.headers.get('etag') ?? '',
  });
  expect(licenses.status).toBe(403);
  expect(licenses.data.error.details.path).toBe('services[0].licenses');
  expect(h.app.rt.tenants.service('contoso', 'support')?.licenses).toContain('interact');
  // Sales is not his: he cannot read it, and nobody but admins adds services.
  expect((await h.call('GET', '/api/admin/services/sales', undefined, bob)).status).toBe(403);
  expect((await h.call('POST', '/api/admin/services', { ...billing(), id: 'bobs' }, bob)).status).toBe(403);
  // He picks members by name: the tenant's users are his to read, not to change.
  const users = await h.call('GET', '/api/admin/users', undefined, bob);
  expect(users.data.users).toEqual(
    expect.arrayContaining([{ id: 'alice', upn: 'alice@contoso.com', displayName: 'Alice Anders', licenses: ['im'] }]),
  );
  // An agent with no role sees that, on every route.
  const carolLike = await h.call('GET', '/api/admin/me', undefined, bob);
  expect(carolLike.data).toMatchObject({ admin: false, owns: ['support'] });
  expect((await h.call('GET', '/api/admin/audit', undefined, bob)).status).toBe(403);
});

test('a user with neither role is told so by /me, and refused everywhere else', async () => {
  const carol = await h.devToken('carol@contoso.com');
  const me = await h.call('GET', '/api/admin/me', undefined, carol);
  expect(me.status).toBe(200);
  expect(me.data).toMatchObject({ admin: false, owns: [], supervises: [], displayName: 'Carol' });
  for (const [method, path] of [
    ['GET', '/api/admin/config'],
    ['GET', '/api/admin/config/export'],
    ['GET', '/api/admin/services'],
    ['GET', '/api/admin/services/support'],
    ['GET', '/api/admin/users'],
    ['GET', '/api/admin/audit'],
    ['GET', '/api/admin/directory/users?q=al'],
    ['POST', '/api/admin/twilio/test'],
  ] as const) {
    const r = await h.call(method, path, method === 'POST' ? {} : undefined, carol);
    expect([path, r.status, r.data.error?.code]).toEqual([path, 403, 'forbidden']);
  }
});

test('the export imports to the same configuration, and shows no secret', async () => {
  const r = await h.call('GET', '/api/admin/config/export', undefined, alice);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-disposition')).toMatch(/attachment; filename="stratus-contoso-/);
  expect(JSON.stringify(r.data)).not.toContain(TOKEN);
  const current = await read();
  // Putting the export back is no change: same revision.
  const again = await put(r.data.tenants[0], current.etag);
  expect(again.status).toBe(200);
  expect(again.data.changed).toEqual([]);
  expect(again.headers.get('etag')).toBe(current.etag);
});

test('a changed Twilio token is stored sealed and audited without its value', async () => {
  const current = await read();
  const NEW = 'fedcba9876543210fedcba9876543210';
  const r = await put({ ...current.config, twilio: { ...current.config.twilio, authToken: NEW } }, current.etag);
  expect(r.status).toBe(200);
  expect(h.app.rt.tenants.tenant('contoso')?.twilio?.authToken).toBe(NEW);
  const rows = await h.app.store.db.execute(
    'select config::text as c from tenant_revisions union all select config::text from tenants' as never,
  );
  const text = JSON.stringify(rows);
  expect(text).not.toContain(NEW);
  expect(text).not.toContain(TOKEN);
  expect(text).toContain('sealed:v1:');
  const audit = await h.call('GET', '/api/admin/audit?limit=1', undefined, alice);
  expect(audit.data.entries[0].changes).toEqual([{ path: 'twilio.authToken', after: '(changed)' }]);
  expect(JSON.stringify(audit.data)).not.toContain(NEW);
});

test('bad input to the admin routes gets a clear error, never a 500', async () => {
  const current = await read();
  expect((await h.call('PUT', '/api/admin/config', '[1,2]', alice, { 'if-match': current.etag })).status).toBe(400);
  expect((await h.call('PUT', '/api/admin/config', 'not json', alice, { 'if-match': current.etag })).status).toBe(400);
  expect((await h.call('PUT', '/api/admin/config', { id: 'contoso' }, alice, { 'if-match': 'W/"r-garbage"' })).status).toBe(412);
  expect((await h.call('GET', '/api/admin/audit?limit=100000', undefined, alice)).status).toBe(400);
  expect((await h.call('GET', '/api/admin/services/nope', undefined, alice)).status).toBe(404);
  expect((await h.call('GET', '/api/admin/config')).status).toBe(401);
  const huge = { ...current.config, name: 'x'.repeat(2 * 1024 * 1024) };
  expect((await h.call('PUT', '/api/admin/config', huge, alice, { 'if-match': current.etag })).status).toBe(413);
  // Nothing of it landed.
  expect((await read()).etag).toBe(current.etag);
});

test('the directory finds people by name through Graph (the dev stand-in), for admins and owners only', async () => {
  const r = await h.call('GET', '/api/admin/directory/users?q=car', undefined, alice);
  expect(r.status).toBe(200);
  expect(r.data.users).toEqual(expect.arrayContaining([expect.objectContaining({ upn: 'carol@contoso.com' })]));
  expect(r.data.users[0]).toEqual(
    expect.objectContaining({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), displayName: expect.any(String) }),
  );
  expect((await h.call('GET', '/api/admin/me', undefined, alice)).data).toMatchObject({ admin: true, directory: true });
  // Bob owns a service: he searches to add members. Without a role, nobody does.
  expect((await h.call('GET', '/api/admin/directory/users?q=a', undefined, bob)).status).toBe(200);
  expect((await h.call('GET', `/api/admin/directory/users?q=${'x'.repeat(101)}`, undefined, alice)).status).toBe(400);
});

describe('Twilio test connection', () => {
  let t: Harness;
  let standIn: TwilioStandIn;
  beforeAll(async () => {
    standIn = await startTwilioStandIn();
    t = await startHarness({ tenants: [demoTenant()], env: { TWILIO_API_BASE_URL: standIn.url } });
  });
  afterAll(async () => {
    await t?.stop();
    await standIn?.close();
  });

  test('says it connected with the stored connector, and what failed with a wrong token, never echoing it', async () => {
    const admin = await t.devToken('alice@contoso.com');
    const ok = await t.call('POST', '/api/admin/twilio/test', {}, admin);
    expect(ok.status).toBe(200);
    expect(ok.data).toMatchObject({ ok: true, friendlyName: expect.any(String) });
    const wrong = await t.call('POST', '/api/admin/twilio/test', { authToken: 'ffffffffffffffffffffffffffffffff' }, admin);
    expect(wrong.data.ok).toBe(false);
    expect(wrong.data.problem).toMatch(/SID|token|refused|Authenticate/i);
    expect(JSON.stringify(wrong.data)).not.toContain('ffffffffffffffffffffffffffffffff');
    const audit = await t.call('GET', '/api/admin/audit', undefined, admin);
    expect(audit.data.entries.filter((e: { action: string }) => e.action === 'twilio.test')).toHaveLength(2);
    expect((await t.call('POST', '/api/admin/twilio/test', {}, await t.devToken('bob@contoso.com'))).status).toBe(403);
  });
});

describe('changes and running chats', () => {
  const menu = (v: string, key: string) => ({
    id: 'menu',
    name: 'Menu',
    start: 'ask',
    nodes: {
      ask: {
        activity: 'inputCustomer',
        params: { prompt: `${v}: type ${key} for billing`, options: [{ key, exit: 'one' }], retries: 0 },
        exits: { one: 'thanks', noMatch: 'bye' },
      },
      thanks: { activity: 'message', params: { text: `${v} thanks` }, exits: { next: 'queue' } },
      queue: {
        activity: 'queueTask',
        exits: { next: 'idle', connectedEnded: 'done', timeout: 'bye', nobodyEligible: 'bye', customerLeft: 'bye' },
      },
      idle: { activity: 'delay', params: { seconds: 3600 }, exits: { next: 'idle' } },
      bye: { activity: 'disconnect' },
      done: { activity: 'disconnectAsHandled' },
    },
  });
  const start = async (code: string, name: string) =>
    (await h.call('POST', `/api/interact/${code}/chats`, { displayName: name, email: 'c@example.com', privacyAccepted: true })).data as {
      chatId: string;
      token: string;
    };
  const texts = async (c: { chatId: string; token: string }) =>
    (
      (await h.call('GET', `/api/interact/chats/${c.chatId}/messages`, undefined, undefined, { authorization: `Bearer ${c.token}` })).data
        .messages as { text: string }[]
    ).map((m) => m.text);

  test('a workflow change applies to chats that start after it; a running chat keeps the definition it started with', async () => {
    let { config, etag } = await read();
    let r = await put(
      {
        ...config,
        workflows: [...config.workflows, menu('v1', '1')],
        services: [
          ...config.services,
          {
            ...billing(),
            id: 'menu',
            name: 'Menu',
            im: { ...billing().im, workflowId: 'menu', interact: { code: 'menu', allowedOrigins: [] } },
          },
        ],
      },
      etag,
    );
    expect(r.status).toBe(200);
    const early = await start('menu', 'Early');
    await waitFor('the v1 prompt', async () => (await texts(early)).includes('v1: type 1 for billing'));

    ({ config, etag } = await read());
    r = await put({ ...config, workflows: config.workflows.map((w) => (w.id === 'menu' ? menu('v2', '2') : w)) }, etag);
    expect(r.status).toBe(200);
    const late = await start('menu', 'Late');
    await waitFor('the v2 prompt', async () => (await texts(late)).includes('v2: type 2 for billing'));

    // The early chat answers its own menu: v1's "1", and v1's thanks follows.
    await h.call('POST', `/api/interact/chats/${early.chatId}/messages`, { text: '1' }, undefined, {
      authorization: `Bearer ${early.token}`,
    });
    await waitFor('v1 thanks', async () => (await texts(early)).includes('v1 thanks'));
    expect(await texts(early)).not.toContain('v2 thanks');
  });

  test('an hours change applies to the next chat; a service with open chats is not deleted', async () => {
    let { config, etag } = await read();
    const closed = config.services.map((s) => (s.id === 'billing' ? { ...s, openingHours: { ...s.openingHours, weekly: [] } } : s));
    expect((await put({ ...config, services: closed }, etag)).status).toBe(200);
    const c = await start('billing', 'Night owl');
    await waitFor('the closed message', async () => (await texts(c)).some((t) => /is closed right now/.test(t)));

    const svc = await h.call('GET', '/api/admin/services/menu', undefined, alice);
    const busy = await h.call('DELETE', '/api/admin/services/menu', undefined, alice, { 'if-match': svc.headers.get('etag') ?? '' });
    expect(busy.status).toBe(409);
    expect(busy.data.error.code).toBe('service_busy');
    ({ config, etag } = await read());
    expect(config.services.some((s) => s.id === 'menu')).toBe(true);
    expect(etag).toBe((await read()).etag);
  });
});

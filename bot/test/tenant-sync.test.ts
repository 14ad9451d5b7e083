/**
 * The revision check behind the `config` events: an instance that missed an event runs the new
 * revision at its next check, and a stored revision it cannot open is refused without stopping
 * the other tenants.
 */
import { randomBytes } from 'node:crypto';
import { demoTenant } from '@stratus/shared/tenant/demo';
import { openStore, type Store } from '../store/db';
import { TenantSync } from '../tenant-config/live';
import { writeTenantRevision } from '../tenant-config/revisions';
import { SecretBox } from '../tenants/secrets';
import { tenantRuntime } from './tenant-runtime';

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
});
afterAll(async () => {
  await store?.close();
});

test('an instance that missed the event runs the new revision at its next check', async () => {
  const writer = tenantRuntime(store);
  const reader = { ...tenantRuntime(store), secrets: writer.secrets };
  const first = await writeTenantRevision(writer, {
    tenantId: 'contoso',
    raw: demoTenant(),
    source: 'import',
    actor: 'file',
    action: 'config.import',
    target: 'tenant',
  });
  expect(first.ok).toBe(true);
  const sync = new TenantSync(reader);
  await sync.loadAll();
  expect(reader.tenants.tenant('contoso')?.name).toBe('Contoso');

  await writeTenantRevision(writer, {
    tenantId: 'contoso',
    raw: { ...demoTenant(), name: 'Contoso Ltd' },
    source: 'api',
    actor: 'alice',
    action: 'config.update',
    target: 'tenant',
  });
  expect(reader.tenants.tenant('contoso')?.name).toBe('Contoso');
  await sync.check();
  expect(reader.tenants.tenant('contoso')?.name).toBe('Contoso Ltd');
  expect(reader.tenants.revision('contoso')).toBe(writer.tenants.revision('contoso'));
  expect(reader.distributed).toContain('contoso');
});

test('a tenant whose secret another key sealed is refused, and the other tenants run', async () => {
  const s = await openStore({ dataDir: 'memory://' });
  try {
    const writer = tenantRuntime(s);
    const fabrikam = { ...demoTenant(), id: 'fabrikam', entraTenantId: undefined, twilio: undefined, users: [], services: [], admins: [] };
    for (const t of [demoTenant(), fabrikam])
      await writeTenantRevision(writer, {
        tenantId: t.id,
        raw: t,
        source: 'import',
        actor: 'file',
        action: 'config.import',
        target: 'tenant',
      });
    const other = { ...tenantRuntime(s), secrets: new SecretBox(randomBytes(32)) };
    const sync = new TenantSync(other);
    await sync.loadAll();
    expect(other.tenants.tenants.map((t) => t.id)).toEqual(['fabrikam']);
    expect(sync.refused.get('contoso')?.problems[0]?.message).toMatch(/another STRATUS_SECRET_KEY/);
  } finally {
    await s.close();
  }
});

/** @jest-environment jsdom */
/**
 * The Admin page against a fake admin API: who sees what, saving with If-Match, a save refused
 * because someone else saved first (412), and the server's validation problems beside their fields.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { AdminMe } from '@stratus/shared/contract/admin';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { demoTenant } from '@stratus/shared/tenant/demo';
import AdminPage from './AdminPage';
import { ADMIN_ME, fakeAdminServer, installBrowserStubs, type Route } from './fakeAdminServer';

/** The tenant as `GET /api/admin/config` answers it: the Twilio auth token left out. */
function served(): TenantConfig {
  const t = demoTenant();
  const { authToken: _secret, ...twilio } = t.twilio!;
  return { ...t, twilio: twilio as TenantConfig['twilio'] };
}

let server: ReturnType<typeof fakeAdminServer>;

beforeAll(installBrowserStubs);
afterEach(() => {
  delete (globalThis as { fetch?: unknown }).fetch;
});

function renderPage(routes: Record<string, Route>) {
  server = fakeAdminServer(routes);
  Object.assign(globalThis, { fetch: server.fetch });
  render(
    <FluentProvider theme={webLightTheme}>
      <AdminPage token={async () => 'tok'} />
    </FluentProvider>,
  );
}

function adminRoutes(over: Record<string, Route> = {}): Record<string, Route> {
  return {
    'GET /api/admin/me': () => ({ body: ADMIN_ME }),
    'GET /api/admin/config': () => ({ body: served(), etag: '"r7"' }),
    ...over,
  };
}

/** Opens the Support service's editor on one of its tabs. */
async function openSupport(tab: string) {
  fireEvent.click(await screen.findByRole('button', { name: 'Edit Support' }));
  fireEvent.click(screen.getByRole('tab', { name: tab }));
}

const input = (name: string) => screen.getByRole('textbox', { name }) as HTMLInputElement;

test('someone who is neither tenant admin nor service owner sees which role they lack and whom to ask, not an error', async () => {
  const me: AdminMe = { ...ADMIN_ME, userId: 'bob', displayName: 'Bob Berg', admin: false, owns: [] };
  renderPage({ 'GET /api/admin/me': () => ({ body: me }) });
  const page = await screen.findByRole('main');
  expect(page.textContent).toContain('you need the tenant-admin role, or be the owner of a service');
  expect(page.textContent).toContain('ask a tenant admin of Contoso');
  expect(screen.queryByRole('alert')).toBeNull();
  expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  expect(server.sent.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/admin/me']);
});

test('a save refused because someone else saved first keeps the edits and offers reload or overwrite', async () => {
  let etag = '"r7"';
  const puts: Route[] = [
    () => ({ status: 412, body: { error: { code: 'stale', message: 'Someone else saved first.' } } }),
    (req) => ({ body: { revision: 9, config: req.body, changed: ['services[0].name'] }, etag: '"r9"' }),
  ];
  renderPage(
    adminRoutes({
      'GET /api/admin/config': () => ({ body: served(), etag }),
      'PUT /api/admin/config': (req) => puts.shift()!(req),
    }),
  );
  await openSupport('General');
  fireEvent.change(input('Name'), { target: { value: 'Help desk' } });
  expect(screen.getByText('Unsaved changes')).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));

  await screen.findByText('Someone else saved changes since you opened this page');
  expect(input('Name').value).toBe('Help desk');
  expect(screen.getByText('Unsaved changes')).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Reload (discard mine)' })).toBeTruthy();

  etag = '"r8"';
  fireEvent.click(screen.getByRole('button', { name: 'Overwrite with mine' }));
  await screen.findByText('Saved.');
  const [first, second] = server.writes();
  expect(first).toMatchObject({ method: 'PUT', path: '/api/admin/config', ifMatch: '"r7"' });
  expect(second).toMatchObject({ method: 'PUT', path: '/api/admin/config', ifMatch: '"r8"' });
  expect((second?.body as TenantConfig).services[0]?.name).toBe('Help desk');
  // The stored Twilio token is left out: the server keeps it.
  expect((second?.body as TenantConfig).twilio).not.toHaveProperty('authToken');
  expect(screen.queryByText('Someone else saved changes since you opened this page')).toBeNull();
  expect(screen.queryByText('Unsaved changes')).toBeNull();
});

test('Reload after a conflict discards the edits and shows what the other person saved', async () => {
  let name = 'Support';
  renderPage(
    adminRoutes({
      'GET /api/admin/config': () => {
        const t = served();
        t.services[0]!.name = name;
        return { body: t, etag: name === 'Support' ? '"r7"' : '"r8"' };
      },
      'PUT /api/admin/config': () => ({ status: 412, body: { error: { code: 'stale', message: 'Someone else saved first.' } } }),
    }),
  );
  await openSupport('General');
  fireEvent.change(input('Name'), { target: { value: 'Help desk' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  await screen.findByText('Someone else saved changes since you opened this page');
  name = 'Customer care';
  fireEvent.click(screen.getByRole('button', { name: 'Reload (discard mine)' }));
  await waitFor(() => expect(input('Name').value).toBe('Customer care'));
  expect(screen.queryByText('Unsaved changes')).toBeNull();
  expect(server.writes()).toHaveLength(1);
});

test("the server's validation problems appear beside their fields; one no field shows is in the summary", async () => {
  renderPage(
    adminRoutes({
      'PUT /api/admin/config': () => ({
        status: 400,
        body: {
          error: {
            code: 'invalid_config',
            message: 'The configuration has 2 problems.',
            details: [
              { path: 'services[0].im.interact.code', message: 'Interact code "shop" is reserved' },
              { path: 'webRequests.allowedHosts[0]', message: 'must be a host name' },
            ],
          },
        },
      }),
    }),
  );
  await openSupport('Interact');
  fireEvent.change(input('Code'), { target: { value: 'shop' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));

  const beside = await screen.findByText('Interact code "shop" is reserved');
  const code = input('Code');
  expect(code.getAttribute('aria-describedby')?.split(' ')).toContain(beside.id);
  expect(code.getAttribute('aria-invalid')).toBe('true');
  const summary = screen.getByText('2 problems to fix before saving').closest('.fui-MessageBar') as HTMLElement;
  expect(summary.textContent).toContain('webRequests.allowedHosts[0]: must be a host name');
  expect(within(summary).getByRole('button', { name: 'Support › Interact (1)' })).toBeTruthy();
  // The edits stay, to be fixed.
  expect(code.value).toBe('shop');

  // Fixing the value takes the server's problem away (live validation judges the new value).
  fireEvent.change(code, { target: { value: 'support-desk' } });
  await waitFor(() => expect(screen.queryByText('Interact code "shop" is reserved')).toBeNull());
});

test('a problem found while typing shows beside its field before saving', async () => {
  renderPage(adminRoutes());
  await openSupport('Distribution');
  fireEvent.change(screen.getByRole('spinbutton', { name: /Offer timeout/ }), { target: { value: '2' } });
  await screen.findByText('must be a whole number from 5 to 600');
});

test('an owner sees licenses read-only, changes members, and saves the service with its own ETag', async () => {
  const me: AdminMe = { ...ADMIN_ME, userId: 'bob', displayName: 'Bob Berg', admin: false, owns: ['support'] };
  const support = served().services[0]!;
  renderPage({
    'GET /api/admin/me': () => ({ body: me }),
    'GET /api/admin/services': () => ({
      body: { services: [{ id: 'support', name: 'Support', imEnabled: true, channels: ['interact'], members: 2, access: 'owner' }] },
    }),
    'GET /api/admin/config': () => ({ status: 403, body: { error: { code: 'forbidden', message: 'Tenant admins only.' } } }),
    'GET /api/admin/services/support': () => ({ body: { service: support, etag: '"s1"', revision: 7 }, etag: '"s1"' }),
    'PUT /api/admin/services/support': (req) => ({ body: { service: req.body, etag: '"s2"', revision: 8 }, etag: '"s2"' }),
  });
  fireEvent.click(await screen.findByRole('button', { name: 'Edit Support' }));
  fireEvent.click(await screen.findByRole('tab', { name: 'Licenses & IM' }));
  const cc = screen.getByRole('checkbox', { name: 'Contact Center' }) as HTMLInputElement;
  expect(cc.checked).toBe(true);
  expect(cc.disabled).toBe(true);
  expect((screen.getByRole('checkbox', { name: 'Interact add-on' }) as HTMLInputElement).disabled).toBe(true);
  expect(screen.getByText(/Read only: a tenant admin changes these settings/)).toBeTruthy();

  fireEvent.click(screen.getByRole('tab', { name: 'Members' }));
  const bobActive = screen.getByRole('switch', { name: 'bob active' }) as HTMLInputElement;
  expect(bobActive.disabled).toBe(false);
  fireEvent.click(bobActive);
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  await screen.findByText('Saved.');
  expect(server.writes()).toEqual([
    {
      method: 'PUT',
      path: '/api/admin/services/support',
      ifMatch: '"s1"',
      body: { ...support, members: [support.members[0], { userId: 'bob', active: false }] },
    },
  ]);
});

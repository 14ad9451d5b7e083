/** @jest-environment jsdom */
/**
 * The Admin page's Teams section against a fake admin API: its switches edit the document's `teams`
 * (defaults left out, so the document stays clean), and Install now shows each member's result or
 * the server's refusal.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { demoTenant } from '@stratus/shared/tenant/demo';
import AdminPage from '../AdminPage';
import {
  ADMIN_ME,
  TEAMS_INSTALL_UNAVAILABLE,
  fakeAdminServer,
  installBrowserStubs,
  teamsInstallRoute,
  type Route,
} from '../fakeAdminServer';
import { locate } from '../problems';
import { withTeams } from './TeamsSection';

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

async function openTeams(over: Record<string, Route> = {}) {
  server = fakeAdminServer({
    'GET /api/admin/me': () => ({ body: ADMIN_ME }),
    'GET /api/admin/config': () => ({ body: served(), etag: '"r7"' }),
    'PUT /api/admin/config': (req) => ({ body: { revision: 8, config: req.body, changed: ['teams'] }, etag: '"r8"' }),
    ...over,
  });
  Object.assign(globalThis, { fetch: server.fetch });
  render(
    <FluentProvider theme={webLightTheme}>
      <AdminPage token={async () => 'tok'} />
    </FluentProvider>,
  );
  fireEvent.click(await screen.findByRole('tab', { name: 'Teams' }));
  await screen.findByRole('heading', { name: 'Teams' });
}

const toggle = (name: string) => screen.getByRole('switch', { name }) as HTMLInputElement;
const INSTALL = 'Install for members';
const FEED = 'Activity feed notifications';
const unsaved = () => screen.queryByText('Unsaved changes');

test('a problem under `teams` is shown in the Teams section; settings at their defaults are left out', () => {
  expect(locate('teams.activityFeed')).toEqual({ section: 'teams' });
  expect(locate('teams')).toEqual({ section: 'teams' });
  expect(withTeams(undefined, { activityFeed: true })).toEqual({ activityFeed: true });
  expect(withTeams({ activityFeed: true }, { activityFeed: false })).toBeUndefined();
  expect(withTeams({ installForMembers: true, activityFeed: false }, {})).toBeUndefined();
  expect(withTeams({ activityFeed: true }, { installForMembers: false })).toEqual({ installForMembers: false, activityFeed: true });
});

test('the switches edit `teams`, with their explanations; back at the defaults `teams` leaves the document', async () => {
  await openTeams();
  expect(toggle(INSTALL).checked).toBe(true);
  expect(toggle(FEED).checked).toBe(false);
  // Each switch is described by its one-line explanation.
  const hint = screen.getByText(/Install Stratus in Teams for every licensed member of a service/);
  expect(toggle(INSTALL).getAttribute('aria-describedby')?.split(' ')).toContain(hint.id);
  const feedHint = screen.getByText(/Also notify agents in the Teams activity feed for each new offer/);
  expect(toggle(FEED).getAttribute('aria-describedby')?.split(' ')).toContain(feedHint.id);

  // On and off again: nothing changed, the document is as it was.
  fireEvent.click(toggle(FEED));
  expect(toggle(FEED).checked).toBe(true);
  expect(unsaved()).toBeTruthy();
  fireEvent.click(toggle(FEED));
  await waitFor(() => expect(unsaved()).toBeNull());

  // Both away from their defaults: saved as `teams`.
  fireEvent.click(toggle(FEED));
  fireEvent.click(toggle(INSTALL));
  expect((screen.getByRole('button', { name: 'Install now' }) as HTMLButtonElement).disabled).toBe(true);
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  await screen.findByText('Saved.');
  expect((server.writes()[0]?.body as TenantConfig).teams).toEqual({ installForMembers: false, activityFeed: true });

  // Both back at their defaults: `teams` is left out rather than saved as defaults.
  fireEvent.click(toggle(INSTALL));
  fireEvent.click(toggle(FEED));
  expect((screen.getByRole('button', { name: 'Install now' }) as HTMLButtonElement).disabled).toBe(false);
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  await waitFor(() => expect(server.writes()).toHaveLength(2));
  expect(server.writes()[1]?.body).not.toHaveProperty('teams');
  expect(server.writes()[1]?.ifMatch).toBe('"r8"');
});

test("Install now shows the server's refusal, then each member's result with a failure's reason, and points to the Audit log", async () => {
  await openTeams({
    ...teamsInstallRoute(TEAMS_INSTALL_UNAVAILABLE, [
      { userId: 'alice', upn: 'alice@contoso.com', status: 'installed' },
      { userId: 'bob', upn: 'bob@contoso.com', status: 'alreadyInstalled' },
      { userId: 'carol', upn: 'carol@contoso.com', status: 'failed', reason: 'user has no Teams license (Graph: Forbidden)' },
    ]),
    'GET /api/admin/audit': () => ({ body: { entries: [] } }),
  });

  fireEvent.click(screen.getByRole('button', { name: 'Install now' }));
  const refused = await screen.findByRole('alert');
  expect(refused.textContent).toContain('The app was not installed');
  expect(refused.textContent).toContain('Microsoft Graph is not configured on this server');

  fireEvent.click(screen.getByRole('button', { name: 'Install now' }));
  const table = await screen.findByRole('table', { name: 'Installation results' });
  expect(screen.queryByRole('alert')).toBeNull();
  const rows = within(table).getAllByRole('row');
  expect(rows.map((r) => r.textContent)).toEqual([
    'UserResultReason',
    'alice@contoso.comInstalled',
    'bob@contoso.comAlready installed',
    'carol@contoso.comFaileduser has no Teams license (Graph: Forbidden)',
  ]);
  const carol = within(table).getByRole('row', { name: /carol@contoso\.com/ });
  expect(within(carol).getByText('user has no Teams license (Graph: Forbidden)')).toBeTruthy();
  expect(screen.getByText(/1 installed, 1 already installed, 1 failed, 0 skipped/)).toBeTruthy();

  // Installing changes nothing in the document: no save is due, only the two installs were sent.
  expect(unsaved()).toBeNull();
  expect(server.writes()).toEqual([
    { method: 'POST', path: '/api/admin/teams/install' },
    { method: 'POST', path: '/api/admin/teams/install' },
  ]);

  // The pointer opens the Audit log.
  const status = screen.getByText(/1 failed/).closest('.fui-MessageBar') as HTMLElement;
  fireEvent.click(within(status).getByRole('button', { name: 'Audit log' }));
  await screen.findByRole('main', { name: 'Audit log' });
});

/** @jest-environment jsdom */
/**
 * The History view against a fake Stratus: the sessions request its filters (from the address)
 * make, the table of past chats, older chats on demand, a chosen chat's transcript read page after
 * page, and empty, refused and failed loads said plainly.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { ChatMessage } from '@stratus/shared/contract/api';
import type { SupervisorServices } from '@stratus/shared/contract/supervisor';
import type { ReportingSession } from '@stratus/shared/reporting/session';
import { startedLabel } from './history';
import SupervisorPage from './SupervisorPage';
import { fakeSupervisorServer, installBrowserStubs, pagedMessages, type Route } from './fakeSupervisorServer';

const SERVICES: SupervisorServices = {
  admin: false,
  services: [
    { id: 'support', name: 'Support', serviceLevelSec: 20, imEnabled: true },
    { id: 'sales', name: 'Sales', serviceLevelSec: 20, imEnabled: true },
  ],
};
const HOUR = 3_600_000;
const t0 = Date.now() - 2 * HOUR;
const session = (taskId: string, over: Partial<ReportingSession>): ReportingSession => ({
  taskId,
  tenantId: 'contoso',
  conversationId: `conv-${taskId}`,
  serviceId: 'support',
  channel: 'interact',
  direct: false,
  offeredUserIds: [],
  createdAt: t0,
  offers: 0,
  declines: 0,
  misses: 0,
  ...over,
});
const handled = session('task-erin', {
  channel: 'whatsapp',
  createdAt: t0,
  userId: 'bob',
  queueMs: 14_000,
  handlingMs: 250_000,
  acceptedAt: t0 + 14_000,
  endedAt: t0 + 264_000,
  outcome: 'handled',
  csat: { rating: 4, comment: 'Quick and friendly', at: t0 + 300_000 },
});
const transferred = session('task-gus', {
  createdAt: t0 - HOUR,
  userId: 'zed',
  queueMs: 3_000,
  handlingMs: 60_000,
  outcome: 'transferred',
});
const abandoned = session('task-hal', { serviceId: 'sales', createdAt: t0 - 2 * HOUR, queueMs: 95_000, outcome: 'abandoned' });
const ida = session('task-ida', { createdAt: t0 + HOUR, userId: 'bob', acceptedAt: t0 + HOUR });

const msg = (seq: number, from: ChatMessage['from'], text: string, author?: string): ChatMessage => ({
  id: `m${seq}`,
  seq,
  from,
  text,
  at: new Date(t0 + seq * 1000).toISOString(),
  ...(author ? { author } : {}),
});
const ERIN = [
  msg(1, 'customer', 'My order is <b>late</b>', 'Erin'),
  msg(2, 'system', 'Bob Berg joined the chat'),
  msg(3, 'agent', 'Let me check.', 'Bob Berg'),
  msg(4, 'customer', 'Thanks!', 'Erin'),
  msg(5, 'system', 'Bob Berg ended the chat'),
];

let server: ReturnType<typeof fakeSupervisorServer>;
beforeAll(installBrowserStubs);
afterEach(() => {
  delete (globalThis as { fetch?: unknown }).fetch;
  window.history.replaceState(null, '', '/tab/supervisor');
});

function routes(over: Record<string, Route> = {}): Record<string, Route> {
  return {
    'GET /api/supervisor/services': () => ({ body: SERVICES }),
    'GET /api/supervisor/agents': () => ({
      body: {
        agents: [
          {
            userId: 'bob',
            displayName: 'Bob Berg',
            services: [],
            onDuty: true,
            presence: 'online',
            sessions: 0,
            capacity: 3,
            offers: 0,
            state: 'available',
          },
        ],
      },
    }),
    'GET /api/reporting/sessions': () => ({ body: { sessions: [ida, handled, transferred, abandoned] } }),
    // Two messages a page: the pane must ask on with ?after= until a page comes back empty.
    'GET /api/supervisor/sessions/task-erin/messages': pagedMessages(ERIN, 2),
    ...over,
  };
}

function renderPage(r: Record<string, Route>, search: string) {
  window.history.replaceState(null, '', `/tab/supervisor${search}`);
  server = fakeSupervisorServer(r);
  Object.assign(globalThis, { fetch: server.fetch });
  render(
    <FluentProvider theme={webLightTheme}>
      <SupervisorPage token={async () => 'tok'} />
    </FluentProvider>,
  );
}

const sessionRequests = () => server.sent.filter((r) => r.path === '/api/reporting/sessions');
const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((c) => c.textContent);
const chatsTable = () => screen.findByRole('table', { name: /^Chats/ });

test('the filters in the address make the sessions request; the table shows each chat newest first, in words', async () => {
  renderPage(routes(), '?view=history&service=support&range=30d&channel=whatsapp&outcome=handled');
  const table = await chatsTable();
  expect(screen.getByRole('tab', { name: 'History' }).getAttribute('aria-selected')).toBe('true');
  const [asked] = sessionRequests();
  expect(asked!.query.get('service')).toBe('support');
  expect(asked!.query.get('channel')).toBe('whatsapp');
  expect(asked!.query.get('outcome')).toBe('handled');
  expect(asked!.query.get('limit')).toBe('200');
  // 30 days: from local midnight 29 days ago, up to the moment of asking.
  const days = (Date.now() - Date.parse(asked!.query.get('from')!)) / 86_400_000;
  expect(days).toBeGreaterThan(29);
  expect(days).toBeLessThan(30.05);
  expect(asked!.query.has('to')).toBe(false);
  expect((screen.getByRole('combobox', { name: 'Outcome' }) as HTMLSelectElement).value).toBe('handled');
  expect((screen.getByRole('combobox', { name: 'Channel' }) as HTMLSelectElement).value).toBe('whatsapp');

  const header = within(table)
    .getAllByRole('columnheader')
    .map((c) => c.textContent);
  expect(header).toEqual(['Started', 'Service', 'Channel', 'Agent', 'Outcome', 'Wait', 'Handling', 'Rating']);
  const rows = within(table).getAllByRole('row').slice(1);
  expect(rows.map(cells)).toEqual([
    [startedLabel(ida.createdAt), 'Support', 'Website', 'Bob Berg', 'Still open', '—', '—', '—'],
    [startedLabel(handled.createdAt), 'Support', 'WhatsApp', 'Bob Berg', 'Handled', '14 s', '4 min 10 s', expect.stringContaining('4')],
    // An agent the page does not know by name is shown by id; nobody accepted: a dash.
    [startedLabel(transferred.createdAt), 'Support', 'Website', 'zed', 'Transferred', '3 s', '1 min 00 s', '—'],
    [startedLabel(abandoned.createdAt), 'Sales', 'Website', '—', 'Abandoned', '1 min 35 s', '—', '—'],
  ]);
  expect(within(rows[1]!).getByRole('img', { name: '4 of 5 stars' })).toBeTruthy();
  expect(screen.getByText('All 4 chats of this period are shown.')).toBeTruthy();

  // A filter changed here goes to the address and asks again.
  fireEvent.change(screen.getByRole('combobox', { name: 'Outcome' }), { target: { value: 'abandoned' } });
  expect(window.location.search).toBe('?view=history&service=support&range=30d&channel=whatsapp&outcome=abandoned');
  await waitFor(() => expect(sessionRequests().at(-1)!.query.get('outcome')).toBe('abandoned'));
});

test('choosing a chat opens its whole transcript, both sides and the notices, read-only; the address keeps it', async () => {
  renderPage(routes(), '?view=history');
  const table = await chatsTable();
  fireEvent.click(within(table).getByRole('button', { name: `Transcript of the chat started ${startedLabel(handled.createdAt)}` }));
  expect(window.location.search).toBe('?view=history&session=task-erin');
  const pane = await screen.findByRole('complementary', { name: 'Transcript: chat with Erin' });
  const log = within(pane).getByRole('region', { name: 'Conversation with Erin' });
  const items = within(log)
    .getAllByRole('listitem')
    .map((li) => li.textContent);
  expect(items).toHaveLength(5);
  expect(items[0]).toMatch(/^Erin \(customer\) · .*My order is <b>late<\/b>$/);
  expect(log.querySelector('b')).toBeNull();
  expect(items[1]).toMatch(/^Bob Berg joined the chat · /);
  expect(items[2]).toMatch(/^Bob Berg \(agent\) · .*Let me check\.$/);
  expect(items[4]).toMatch(/^Bob Berg ended the chat · /);
  // Read page after page: after 0, 2, 4, then an empty page ends it.
  const pages = server.sent.filter((r) => r.path === '/api/supervisor/sessions/task-erin/messages').map((r) => r.query.get('after'));
  expect(pages).toEqual([null, '2', '4', '5']);
  expect(pane.textContent).toContain('Bob Berg');
  expect(pane.textContent).toContain('An agent had the chat until it ended.');
  expect(pane.textContent).toContain('4 of 5 stars: “Quick and friendly”');
  // No actions on a past chat, and nothing was sent by reading it.
  expect(within(pane).queryByRole('button', { name: /Take over|Reassign|End/ })).toBeNull();
  expect(server.writes()).toEqual([]);
  expect(server.open()).toEqual([]);
  // The chosen row says so; Close clears the address.
  const row = within(table).getByRole('button', { name: /Transcript of the chat started/, pressed: true });
  expect(row.getAttribute('aria-label')).toContain(startedLabel(handled.createdAt));
  fireEvent.click(within(pane).getByRole('button', { name: 'Close' }));
  expect(window.location.search).toBe('?view=history');
  expect(screen.queryByRole('complementary')).toBeNull();
});

test('the newest 200 chats are said as such, and older ones load on demand', async () => {
  const many = Array.from({ length: 200 }, (_, i) => session(`task-n${i}`, { createdAt: t0 - i * 1000, outcome: 'handled' }));
  const older = [many[199]!, session('task-old', { createdAt: t0 - 500_000, outcome: 'missed' })];
  renderPage(
    routes({
      'GET /api/reporting/sessions': (req) => ({ body: { sessions: req.query.has('to') ? older : many } }),
    }),
    '?view=history&range=today',
  );
  await chatsTable();
  expect(screen.getByText('Showing the newest 200 chats of this period.')).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Load older chats' }));
  await screen.findByText('All 201 chats of this period are shown.');
  const asked = sessionRequests().at(-1)!;
  // Up to the oldest one shown, inclusive (the repeat is dropped).
  expect(asked.query.get('to')).toBe(new Date(many[199]!.createdAt).toISOString());
  expect(asked.query.get('from')).toBe(sessionRequests()[0]!.query.get('from'));
  const rows = within(await chatsTable()).getAllByRole('row');
  expect(rows).toHaveLength(202);
  expect(cells(rows.at(-1)!)[4]).toBe('Missed');
});

test('no chats, no messages (retention or erasure), a refusal and a missing chat are each said plainly; an open chat links to Live', async () => {
  renderPage(routes({ 'GET /api/reporting/sessions': () => ({ body: { sessions: [] } }) }), '?view=history');
  expect((await screen.findByRole('status')).textContent).toBe('No chats in this period (last 7 days) for these filters.');

  renderPage(
    routes({
      'GET /api/supervisor/sessions/task-erin/messages': () => ({ body: { messages: [] } }),
      'GET /api/supervisor/sessions/task-gus/messages': () => ({
        status: 403,
        body: { error: { code: 'forbidden', message: 'You do not supervise the service of this chat.' } },
      }),
      'GET /api/supervisor/sessions/task-hal/messages': () => ({
        status: 404,
        body: { error: { code: 'not_found', message: 'No such chat.' } },
      }),
      'GET /api/supervisor/sessions/task-ida/messages': () => ({
        status: 503,
        body: { error: { code: 'unavailable', message: 'Storage is down.' } },
      }),
    }),
    '?view=history&session=task-erin',
  );
  const pane = await screen.findByRole('complementary', { name: 'Transcript' });
  expect((await within(pane).findByRole('status')).textContent).toBe(
    'No messages: they were deleted by the retention period or an erasure request, or the chat ended before anyone wrote.',
  );
  const table = await chatsTable();
  const choose = (t: ReportingSession) =>
    fireEvent.click(within(table).getByRole('button', { name: `Transcript of the chat started ${startedLabel(t.createdAt)}` }));

  choose(transferred);
  expect((await screen.findByRole('alert')).textContent).toBe(
    'You may not read this transcript: you do not supervise the service of this chat.',
  );
  choose(abandoned);
  await waitFor(() =>
    expect(screen.getByRole('alert').textContent).toBe('This chat was not found: the link may be wrong, or the chat was erased.'),
  );
  choose(ida);
  await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('The transcript could not be loaded: Storage is down.'));
  // A chat still open is one link away from the monitor pane.
  fireEvent.click(screen.getByRole('link', { name: 'Monitor it in Live' }));
  expect(window.location.search).toBe('?session=task-ida');
  await waitFor(() => expect(server.open().map((s) => s.query.get('monitor'))).toEqual(['task-ida']));
  expect(await screen.findByText('Storage is down.')).toBeTruthy();
});

test('a sessions report refused or failed says why, and can be tried again', async () => {
  let fail = true;
  renderPage(
    routes({
      'GET /api/reporting/sessions': () =>
        fail
          ? { status: 403, body: { error: { code: 'forbidden', message: 'You do not supervise service "sales".' } } }
          : { body: { sessions: [handled] } },
    }),
    '?view=history&service=support',
  );
  const alert = await screen.findByRole('alert');
  expect(alert.textContent).toContain('The chats could not be loaded: You do not supervise service "sales".');
  fail = false;
  fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
  expect(within(await chatsTable()).getAllByRole('row')).toHaveLength(2);
});

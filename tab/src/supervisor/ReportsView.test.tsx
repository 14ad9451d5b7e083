/** @jest-environment jsdom */
/**
 * The Reports view against a fake Stratus: the KPI requests its filters make (and the address
 * that keeps them), the figures and charts from the rows, each chart's table, the per-agent
 * table, CSV export, and empty and failed reports said plainly. The chart library itself needs a
 * real layout: a plain renderer stands in here, the browser suite draws the real charts.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { KpiRow, SupervisorServices } from '@stratus/shared/contract/supervisor';
import type { ChartComponentProps, ChartSpec } from './chartSpec';
import { emptyRow } from './reports';
import SupervisorPage from './SupervisorPage';
import { fakeSupervisorServer, installBrowserStubs, type Route } from './fakeSupervisorServer';

const SERVICES: SupervisorServices = {
  admin: true,
  services: [
    { id: 'support', name: 'Support', serviceLevelSec: 20, imEnabled: true },
    { id: 'sales', name: 'Sales', serviceLevelSec: 20, imEnabled: true },
  ],
};
const row = (key: string, over: Partial<KpiRow>): KpiRow => ({ ...emptyRow(key), ...over });
const today = new Date().toISOString().slice(0, 10);
const ROWS: Record<string, KpiRow[]> = {
  day: [
    row(today, { offered: 10, accepted: 8, handled: 7, transferred: 1, abandoned: 2, serviceLevelPct: 75, avgWaitSec: 14, maxWaitSec: 95 }),
  ],
  hour: [row(`${today}T09`, { offered: 10, accepted: 8, handled: 7, transferred: 1, abandoned: 2, serviceLevelPct: 75 })],
  channel: [
    row('interact', { offered: 6, accepted: 5, handled: 5, abandoned: 1 }),
    row('whatsapp', { offered: 4, accepted: 3, handled: 2, transferred: 1, abandoned: 1 }),
  ],
  service: [
    row('support', {
      offered: 10,
      accepted: 8,
      handled: 7,
      transferred: 1,
      abandoned: 2,
      serviceLevelPct: 75,
      avgWaitSec: 14,
      maxWaitSec: 95,
      avgHandleSec: 250,
      csatCount: 4,
      csatAvg: 4.5,
    }),
  ],
  agent: [
    row('', { offered: 2, abandoned: 2 }),
    row('bob', {
      offered: 8,
      accepted: 8,
      handled: 7,
      transferred: 1,
      serviceLevelPct: 75,
      avgWaitSec: 14,
      avgHandleSec: 250,
      csatCount: 4,
      csatAvg: 4.5,
    }),
  ],
};

let server: ReturnType<typeof fakeSupervisorServer>;
let stubs: ReturnType<typeof installBrowserStubs>;
let drawn: ChartSpec[];
beforeAll(() => {
  stubs = installBrowserStubs();
});
afterEach(() => {
  delete (globalThis as { fetch?: unknown }).fetch;
  window.history.replaceState(null, '', '/tab/supervisor');
});

function PlainChart({ spec }: ChartComponentProps) {
  drawn.push(spec);
  return <svg data-testid={`chart ${spec.title}`} />;
}

function routes(kpis: Route = (req) => ({ body: { rows: ROWS[req.query.get('groupBy')!] ?? [] } })): Record<string, Route> {
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
    'GET /api/reporting/kpis': kpis,
  };
}

function renderPage(r: Record<string, Route>, search: string) {
  drawn = [];
  window.history.replaceState(null, '', `/tab/supervisor${search}`);
  server = fakeSupervisorServer(r);
  Object.assign(globalThis, { fetch: server.fetch });
  render(
    <FluentProvider theme={webLightTheme}>
      <SupervisorPage token={async () => 'tok'} Chart={PlainChart} />
    </FluentProvider>,
  );
}

const kpiRequests = () => server.sent.filter((r) => r.path === '/api/reporting/kpis');
const figure = (label: string) => within(screen.getByRole('region', { name: 'Totals' })).getByText(label).parentElement!.textContent;

test('the filters in the address make the KPI requests; figures, charts and the per-agent table show their rows', async () => {
  renderPage(routes(), '?view=reports&service=support&range=30d&channel=whatsapp');
  await screen.findByRole('region', { name: 'Totals' });
  const asked = kpiRequests();
  expect(asked.map((r) => r.query.get('groupBy')).sort()).toEqual(['agent', 'channel', 'day', 'service']);
  for (const r of asked) {
    expect(r.query.get('service')).toBe('support');
    expect(r.query.get('channel')).toBe('whatsapp');
    // 30 days: from local midnight 29 days ago.
    const days = (Date.now() - Date.parse(r.query.get('from')!)) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThan(30.05);
  }
  expect(figure('Chats')).toContain('10');
  expect(figure('Chats')).toContain('8 accepted');
  expect(figure('Service level')).toContain('75 %');
  expect(figure('Average wait')).toContain('14 s');
  expect(figure('Average wait')).toContain('longest 1 min 35 s');
  expect(figure('Satisfaction')).toContain('4.5 / 5');
  expect(drawn.map((s) => s.title)).toEqual(
    expect.arrayContaining([
      'Chats and outcomes over time',
      'Service level over time',
      'Waits over time',
      'Outcomes by channel',
      'Outcomes by service',
    ]),
  );
  const byChannel = drawn.find((s) => s.title === 'Outcomes by channel')!;
  expect(byChannel.labels).toEqual(['Website', 'WhatsApp']);
  // Only the outcomes that occurred, in a fixed order.
  expect(byChannel.series.map((s) => [s.label, s.values])).toEqual([
    ['Handled', [5, 2]],
    ['Transferred', [0, 1]],
    ['Abandoned', [1, 1]],
  ]);
  // 30 days by day: every day is a point, days without chats are zero.
  expect(drawn.find((s) => s.title === 'Chats and outcomes over time')!.labels.length).toBeGreaterThanOrEqual(30);

  const agents = screen.getByRole('table', { name: 'By agent' });
  const rows = within(agents).getAllByRole('row').slice(1);
  expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['Bob Berg', 'No agent (not accepted)']);
  expect(rows[0]!.textContent).toContain('4 min 10 s');
  expect(rows[0]!.textContent).toContain('4.5 (4)');

  // The chart's figures, as a table.
  expect(screen.getByRole('figure', { name: /^Outcomes by channel, 2 bars\. Handled: 7 in all/ })).toBeTruthy();
  const card = screen.getByRole('group', { name: 'Outcomes by channel' });
  fireEvent.click(within(card).getByRole('button', { name: 'Show as table' }));
  const table = within(card).getByRole('table', { name: 'Outcomes by channel' });
  expect(
    within(table)
      .getAllByRole('row')
      .map((r) => r.textContent),
  ).toEqual(['HandledTransferredAbandoned', 'Website501', 'WhatsApp211']);
});

test('choosing Today asks by hour and writes the filters to the address', async () => {
  renderPage(routes(), '?view=reports');
  await screen.findByRole('region', { name: 'Totals' });
  expect(kpiRequests().find((r) => r.query.get('groupBy') === 'day')).toBeTruthy();
  fireEvent.change(screen.getByRole('combobox', { name: 'Period' }), { target: { value: 'today' } });
  await waitFor(() => expect(kpiRequests().some((r) => r.query.get('groupBy') === 'hour')).toBe(true));
  expect(window.location.search).toBe('?view=reports&range=today');
  fireEvent.change(screen.getByRole('combobox', { name: 'Channel' }), { target: { value: 'sms' } });
  expect(window.location.search).toBe('?view=reports&range=today&channel=sms');
  await waitFor(() => expect(kpiRequests().at(-1)!.query.get('channel')).toBe('sms'));
});

test('CSV export downloads the rows of what is shown', async () => {
  renderPage(
    {
      ...routes((req) =>
        req.query.get('format') === 'csv' ? { text: 'key,offered\nbob,8\n' } : { body: { rows: ROWS[req.query.get('groupBy')!] ?? [] } },
      ),
    },
    '?view=reports&channel=interact',
  );
  await screen.findByRole('region', { name: 'Totals' });
  fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
  fireEvent.click(await screen.findByRole('menuitem', { name: 'By agent' }));
  await waitFor(() => expect(stubs.downloads.length).toBe(1));
  expect(stubs.downloads[0]!.name).toMatch(/^stratus-kpis-by-agent-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(await stubs.downloads[0]!.text).toBe('key,offered\nbob,8\n');
  const csv = kpiRequests().find((r) => r.query.get('format') === 'csv')!;
  expect(csv.query.get('groupBy')).toBe('agent');
  expect(csv.query.get('channel')).toBe('interact');
});

test('a period without chats says so; a report that fails says why and can be tried again', async () => {
  renderPage(
    routes(() => ({ body: { rows: [] } })),
    '?view=reports',
  );
  expect((await screen.findByRole('status')).textContent).toBe('No chats in this period (last 7 days) for these filters.');
  expect(drawn).toEqual([]);

  let fail = true;
  renderPage(
    routes((req) =>
      fail
        ? { status: 403, body: { error: { code: 'forbidden', message: 'You do not supervise service "sales".' } } }
        : { body: { rows: ROWS[req.query.get('groupBy')!] } },
    ),
    '?view=reports',
  );
  const alert = await screen.findByRole('alert');
  expect(alert.textContent).toContain('The report could not be loaded: You do not supervise service "sales".');
  fail = false;
  fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
  await screen.findByRole('region', { name: 'Totals' });
});

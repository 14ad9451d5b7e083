/** @jest-environment jsdom */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { AgentSession } from '../../shared/contract/api';
import type { AgentApi } from './api';

const stream: { onEvent?: (e: unknown) => void; onStatus?: (s: string) => void } = {};
jest.mock('./stream', () => ({
  openStream: (o: { onEvent: (e: unknown) => void; onStatus: (s: string) => void; onResumed?: () => void }) => {
    stream.onEvent = o.onEvent;
    stream.onStatus = o.onStatus;
    o.onStatus('live');
    o.onResumed?.();
    return () => undefined;
  },
}));
import { App } from './App';

const XSS = '<img src=x onerror=alert(1)>';
const offer: AgentSession = {
  id: 'task-1',
  state: 'offered',
  serviceId: 'support',
  serviceName: 'Support',
  channel: 'whatsapp',
  direct: false,
  customer: { displayName: XSS, phone: '+41790000000' },
  parameters: { Order: '42' },
  firstMessage: 'Where is my <b>parcel</b>?',
  createdAt: new Date(Date.now() - 90_000).toISOString(),
  offerExpiresAt: new Date(Date.now() + 20_000).toISOString(),
  lastSeq: 1,
};

function fakeApi(over: Partial<Record<keyof AgentApi, unknown>> = {}) {
  const calls: string[] = [];
  const api = {
    me: async () => ({
      id: 'alice',
      upn: 'alice@contoso.com',
      displayName: 'Alice',
      tenantId: 'contoso',
      onDuty: true,
      presence: 'online',
      services: [{ id: 'support', name: 'Support', active: true, imEnabled: true }],
    }),
    sessions: async () => [offer],
    services: async () => [{ id: 'sales', name: 'Sales' }],
    prefs: async () => ({ cannedResponses: [], offerAlerts: false }),
    typing: async (id: string) => {
      calls.push(`typing ${id}`);
    },
    messages: async () => [
      { id: 'm1', seq: 1, from: 'customer', text: 'Where is my <b>parcel</b>?', at: new Date().toISOString(), author: XSS },
    ],
    accept: async (id: string) => {
      calls.push(`accept ${id}`);
      return { ...offer, state: 'connected', acceptedAt: new Date().toISOString() };
    },
    decline: async (id: string) => {
      calls.push(`decline ${id}`);
      return { ...offer, state: 'ended' };
    },
    send: async (id: string, text: string) => {
      calls.push(`send ${id} ${text}`);
      return { id: 'm2', seq: 2 };
    },
    ...over,
  };
  return { api: api as unknown as AgentApi, calls };
}

function renderApp(api: AgentApi) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <App api={api} streamUrl="/api/agent/events" token={async () => 't'} />
    </FluentProvider>,
  );
}

test('an offer shows customer, channel, service, waiting time and first message as text; Accept calls the API and opens the chat', async () => {
  const { api, calls } = fakeApi();
  const { container } = renderApp(api);
  const card = await screen.findByRole('article', { name: `Offer from ${XSS}` });
  expect(card.textContent).toContain(XSS);
  expect(card.textContent).toContain('WhatsApp · Support · waiting 1 min');
  expect(card.textContent).toContain('Where is my <b>parcel</b>?');
  expect(container.querySelector('img')).toBeNull();
  expect(container.querySelector('b')).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: 'Accept' }));
  await waitFor(() => expect(calls).toContain('accept task-1'));
  await screen.findByRole('region', { name: `Chat with ${XSS}` });
  expect(container.querySelector('img')).toBeNull();
  const box = screen.getByRole('textbox', { name: 'Your answer' });
  fireEvent.change(box, { target: { value: 'On its way' } });
  fireEvent.keyDown(box, { key: 'Enter' });
  await waitFor(() => expect(calls).toContain('send task-1 On its way'));
});

test("the agent's Teams presence shows, with its age when Graph has not answered for a while", async () => {
  const base = await fakeApi().api.me();
  const { api } = fakeApi({
    me: async () => ({ ...base, presence: 'busy', inBlockingCall: true, presenceAsOf: new Date(Date.now() - 5 * 60_000).toISOString() }),
  });
  renderApp(api);
  const badge = await screen.findByText(/^Teams: /);
  expect(badge.textContent).toBe('Teams: Busy, in a call (as of 5 min ago)');
  act(() => stream.onEvent?.({ type: 'me', me: { ...base, presence: 'doNotDisturb', presenceAsOf: new Date().toISOString() } }));
  await waitFor(() => expect(screen.getByText(/^Teams: /).textContent).toBe('Teams: Do not disturb'));
});

test('an offer taken by someone else disappears', async () => {
  const { api } = fakeApi();
  renderApp(api);
  await screen.findByRole('article', { name: `Offer from ${XSS}` });
  act(() => stream.onEvent?.({ type: 'session', session: { ...offer, state: 'ended', offerClosed: 'acceptedByOther' } }));
  await waitFor(() => expect(screen.queryByRole('article', { name: `Offer from ${XSS}` })).toBeNull());
});

test('a dropped stream shows Reconnecting until it is live again', async () => {
  const { api } = fakeApi({ sessions: async () => [] });
  renderApp(api);
  await screen.findByText('No offers right now.');
  act(() => stream.onStatus?.('reconnecting'));
  expect(screen.getByRole('status').textContent).toContain('Reconnecting');
  act(() => stream.onStatus?.('live'));
  expect(screen.queryByText('Reconnecting…')).toBeNull();
});

test('50 open sessions render', async () => {
  const many = Array.from({ length: 50 }, (_, i) => ({
    ...offer,
    id: `t${i}`,
    state: 'connected' as const,
    customer: { displayName: `Customer ${i}` },
    acceptedAt: new Date().toISOString(),
  }));
  const { api } = fakeApi({ sessions: async () => many });
  const t0 = performance.now();
  renderApp(api);
  await screen.findByText('Customer 49');
  expect(screen.getByText('Open (50)')).toBeTruthy();
  expect(performance.now() - t0).toBeLessThan(3000);
});

/** @jest-environment jsdom */
/**
 * The agent's side of the chat in My Sessions (issue 14), against a fake agent API and stream:
 * the customer typing, read ticks, the unanswered flag, canned responses by `/`, agent typing,
 * the wrap-up form, and offer alerts (off by default, only when the agent looks elsewhere).
 */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { AgentEvent, AgentSession } from '../../shared/contract/api';
import type { AgentApi } from './api';
import { fillCanned, matchCanned, slashQuery } from './chat/canned';
import { initialState, isFlagged, reducer } from './state';

const stream: { onEvent?: (e: AgentEvent) => void } = {};
jest.mock('./stream', () => ({
  openStream: (o: { onEvent: (e: unknown) => void; onStatus: (s: string) => void; onResumed?: () => void }) => {
    stream.onEvent = o.onEvent;
    o.onStatus('live');
    o.onResumed?.();
    return () => undefined;
  },
}));
import { App } from './App';

const XSS = '<img src=x onerror=alert(1)>';
const now = () => new Date().toISOString();
const connected: AgentSession = {
  id: 'task-1',
  state: 'connected',
  serviceId: 'support',
  serviceName: 'Support',
  channel: 'interact',
  direct: false,
  customer: { displayName: 'Carol' },
  parameters: {},
  createdAt: now(),
  acceptedAt: now(),
  lastSeq: 3,
  customerReadSeq: 2,
};
const messages = [
  { id: 'm1', seq: 1, from: 'customer', text: 'Hi', at: now(), author: 'Carol' },
  { id: 'm2', seq: 2, from: 'agent', text: 'First answer', at: now() },
  { id: 'm3', seq: 3, from: 'agent', text: 'Second answer', at: now() },
];

function fakeApi(over: Record<string, unknown> = {}) {
  const calls: string[] = [];
  const api = {
    me: async () => ({
      id: 'alice',
      upn: 'alice@contoso.com',
      displayName: 'Alice Anders',
      tenantId: 'contoso',
      onDuty: true,
      presence: 'online',
      services: [{ id: 'support', name: 'Support', active: true, imEnabled: true }],
    }),
    sessions: async () => [connected],
    services: async () => [],
    prefs: async () => ({ cannedResponses: [], offerAlerts: false }),
    messages: async () => messages,
    typing: async (id: string) => {
      calls.push(`typing ${id}`);
    },
    canned: async () => ({
      service: [
        { id: 'ship', title: 'Ships today', text: 'Hello {customer}, it ships today. {agent}' },
        { id: 'thanks', title: 'Thanks', text: 'Thanks, {customer}!' },
      ],
      mine: [{ id: 'html', title: 'Mine', text: '<b>bold</b> {customer}' }],
    }),
    send: async (id: string, text: string) => {
      calls.push(`send ${id} ${text}`);
      return { id: 'm9', seq: 9 };
    },
    wrapUpOptions: async () => ({ outcomes: ['handled', 'notHandled', 'Callback promised'] }),
    wrapUp: async (id: string, body: { outcome: string; note?: string }) => {
      calls.push(`wrapUp ${id} ${JSON.stringify(body)}`);
      return { ...ended, wrapUp: { ...ended.wrapUp!, ...body, filedAt: now() } };
    },
    ...over,
  };
  return { api: api as unknown as AgentApi, calls };
}
const ended: AgentSession = {
  ...connected,
  state: 'ended',
  endedAt: now(),
  outcome: 'handled',
  wrapUp: { until: new Date(Date.now() + 90_000).toISOString() },
};

function renderApp(api: AgentApi) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <App api={api} streamUrl="/api/agent/events" token={async () => 't'} />
    </FluentProvider>,
  );
}

async function openChat(name = 'Carol') {
  fireEvent.click(await screen.findByRole('button', { name: new RegExp(name) }));
  return screen.findByRole('region', { name: `Chat with ${name}` });
}

beforeAll(() => {
  class NoResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.assign(globalThis, { ResizeObserver: NoResizeObserver });
});

test('canned responses: `/` alone starts a query; matches by id or title; names are filled in as plain text', () => {
  expect(slashQuery('/')).toBe('');
  expect(slashQuery('/Sh')).toBe('sh');
  expect(slashQuery('hello /sh')).toBeUndefined();
  expect(slashQuery('/sh more')).toBeUndefined();
  const list = [
    { id: 'thanks', title: 'Shipping thanks', text: 'x', source: 'service' as const },
    { id: 'ship', title: 'Ships', text: 'y', source: 'mine' as const },
  ];
  expect(matchCanned(list, 'sh').map((x) => x.id)).toEqual(['ship', 'thanks']);
  expect(matchCanned(list, 'zz')).toEqual([]);
  expect(fillCanned('Hi {customer}, {agent} here {other}', { customer: XSS, agent: '$& Al' })).toBe(`Hi ${XSS}, $& Al here {other}`);
});

test('the reducer: typing shows for 6 s and ends with the customer’s message; read marks only rise; an answer clears the flag', () => {
  let s = reducer(initialState, { type: 'sessions', sessions: [{ ...connected, unanswered: { since: now(), flagAt: now() } }] });
  expect(isFlagged(s.sessions['task-1']!, Date.now() + 1)).toBe(true);
  s = reducer(s, { type: 'event', event: { type: 'typing', sessionId: 'task-1' }, now: 1000 });
  expect(s.typingUntil['task-1']).toBe(7000);
  s = reducer(s, {
    type: 'event',
    event: { type: 'message', sessionId: 'task-1', message: { ...messages[0]!, id: 'm4', seq: 4 } as never },
  });
  expect(s.typingUntil['task-1']).toBeUndefined();
  s = reducer(s, { type: 'event', event: { type: 'read', sessionId: 'task-1', seq: 3 } });
  expect(s.sessions['task-1']!.customerReadSeq).toBe(3);
  s = reducer(s, { type: 'event', event: { type: 'read', sessionId: 'task-1', seq: 1 } });
  expect(s.sessions['task-1']!.customerReadSeq).toBe(3);
  s = reducer(s, {
    type: 'event',
    event: { type: 'message', sessionId: 'task-1', message: { id: 'm5', seq: 5, from: 'agent', text: 'ok', at: now() } },
  });
  expect(s.sessions['task-1']!.unanswered).toBeUndefined();
  expect(isFlagged(s.sessions['task-1']!, Date.now())).toBe(false);
});

test('the chat shows the customer typing, read ticks with words, and the flag once flagAt has passed', async () => {
  const { api } = fakeApi({
    sessions: async () => [{ ...connected, unanswered: { since: now(), flagAt: new Date(Date.now() - 1000).toISOString() } }],
  });
  renderApp(api);
  const item = await screen.findByRole('button', { name: /Carol/ });
  expect(item.textContent).toContain('Waiting for your answer');
  const chat = await openChat();
  await within(chat).findByText('Second answer');
  const [first, second] = within(chat).getAllByText(/^(Read|Sent)$/);
  expect([first!.textContent, second!.textContent]).toEqual(['Read', 'Sent']);
  act(() => stream.onEvent?.({ type: 'typing', sessionId: 'task-1' }));
  await screen.findByText('Carol is typing…');
  act(() => stream.onEvent?.({ type: 'read', sessionId: 'task-1', seq: 3 }));
  await waitFor(() => expect(within(chat).getAllByText('Read')).toHaveLength(2));
  act(() =>
    stream.onEvent?.({ type: 'message', sessionId: 'task-1', message: { id: 'm4', seq: 4, from: 'agent', text: 'Done', at: now() } }),
  );
  await waitFor(() => expect(screen.getByRole('button', { name: /Carol/ }).textContent).not.toContain('Waiting for your answer'));
});

test('`/` opens the picker; typing filters, arrows move, Enter inserts the text with the names; Escape closes; typing is sent', async () => {
  const { api, calls } = fakeApi();
  const { container } = renderApp(api);
  const chat = await openChat();
  const box = within(chat).getByRole('textbox', { name: /Your answer/ });
  fireEvent.change(box, { target: { value: '/' } });
  const picker = await screen.findByRole('listbox', { name: 'Canned responses' });
  expect(within(picker).getAllByRole('option')).toHaveLength(3);
  // A slash command is not typing to the customer.
  expect(calls.filter((c) => c.startsWith('typing'))).toEqual([]);
  fireEvent.change(box, { target: { value: '/ht' } });
  await waitFor(() =>
    expect(
      within(picker)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual([expect.stringContaining('/html')]),
  );
  fireEvent.change(box, { target: { value: '/' } });
  fireEvent.keyDown(box, { key: 'ArrowDown' });
  await waitFor(() => expect(within(picker).getAllByRole('option')[1]!.getAttribute('aria-selected')).toBe('true'));
  expect(box.getAttribute('aria-activedescendant')).toBe(within(picker).getAllByRole('option')[1]!.id);
  fireEvent.keyDown(box, { key: 'Enter' });
  expect((box as HTMLTextAreaElement).value).toBe('Thanks, Carol!');
  expect(screen.queryByRole('listbox')).toBeNull();
  // The agent's own response is text, never HTML.
  fireEvent.change(box, { target: { value: '/html' } });
  await screen.findByRole('listbox');
  fireEvent.keyDown(box, { key: 'Enter' });
  expect((box as HTMLTextAreaElement).value).toBe('<b>bold</b> Carol');
  expect(container.querySelector('b')).toBeNull();
  // Escape closes the picker and leaves the text.
  fireEvent.change(box, { target: { value: '/sh' } });
  await screen.findByRole('listbox');
  fireEvent.keyDown(box, { key: 'Escape' });
  expect(screen.queryByRole('listbox')).toBeNull();
  expect((box as HTMLTextAreaElement).value).toBe('/sh');
  // Real text tells the customer, at most every 3 s.
  fireEvent.change(box, { target: { value: 'On' } });
  fireEvent.change(box, { target: { value: 'On its way' } });
  expect(calls.filter((c) => c.startsWith('typing'))).toEqual(['typing task-1']);
  fireEvent.keyDown(box, { key: 'Enter' });
  await waitFor(() => expect(calls).toContain('send task-1 On its way'));
});

test('an ended session shows the wrap-up form with the service’s reasons; Save posts outcome and note', async () => {
  const { api, calls } = fakeApi({ sessions: async () => [ended] });
  renderApp(api);
  await screen.findByRole('status');
  const chat = await openChat();
  const form = await within(chat).findByRole('form', { name: 'Wrap-up' });
  expect(within(form).getByRole('timer').textContent).toMatch(/^Next chat in 1:(2|3)\d or when you save$/);
  fireEvent.click(await within(form).findByRole('radio', { name: 'Callback promised' }));
  fireEvent.change(within(form).getByRole('textbox', { name: /Note/ }), { target: { value: 'Call at 5' } });
  fireEvent.click(within(form).getByRole('button', { name: 'Save wrap-up' }));
  await waitFor(() => expect(calls).toContain('wrapUp task-1 {"outcome":"Callback promised","note":"Call at 5"}'));
  await within(form).findByText('Saved: Callback promised');
});

test('offer alerts: none by default; with alerts on, a new offer while the agent looks elsewhere notifies', async () => {
  const shown: string[] = [];
  class FakeNotification {
    static permission = 'granted';
    onclick?: () => void;
    constructor(title: string) {
      shown.push(title);
    }
    close() {}
  }
  Object.assign(globalThis, { Notification: FakeNotification });
  const hasFocus = jest.spyOn(document, 'hasFocus').mockReturnValue(false);
  const offer: AgentSession = { ...connected, id: 'task-2', state: 'offered', customer: { displayName: 'Dora' } };
  try {
    for (const offerAlerts of [false, true]) {
      shown.length = 0;
      const { api } = fakeApi({ sessions: async () => [], prefs: async () => ({ cannedResponses: [], offerAlerts }) });
      const { unmount } = renderApp(api);
      await screen.findByText('No offers right now.');
      // Let the settings load before the offer comes.
      await act(async () => new Promise((r) => setTimeout(r, 10)));
      act(() => stream.onEvent?.({ type: 'session', session: offer }));
      await screen.findByRole('article', { name: 'Offer from Dora' });
      await act(async () => new Promise((r) => setTimeout(r, 10)));
      expect(shown).toEqual(offerAlerts ? ['Dora is waiting — Support'] : []);
      unmount();
    }
  } finally {
    hasFocus.mockRestore();
    delete (globalThis as { Notification?: unknown }).Notification;
  }
});

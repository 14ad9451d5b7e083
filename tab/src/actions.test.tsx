/** @jest-environment jsdom */
/**
 * The agent's actions in My Sessions, against a fake Stratus server at the one edge the tab has:
 * `fetch` (the agent API and the server-sent event stream). Each test asserts the exact request the
 * tab sends and what the agent sees afterwards.
 */
import { TextDecoder, TextEncoder } from 'node:util';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { AgentEvent, AgentMe, AgentSession } from '../../shared/contract/api';
import { AgentApi } from './api';
import { App } from './App';
import { endedText } from './sessions/SessionItems';

interface Sent {
  method: string;
  path: string;
  body?: unknown;
}
interface Answer {
  status?: number;
  body: unknown;
  /** Events the server publishes on the agent stream once it has answered. */
  then?: AgentEvent[];
}
type Route = (req: Sent) => Answer;

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

const ME: AgentMe = {
  id: 'alice',
  upn: 'alice@contoso.com',
  displayName: 'Alice',
  tenantId: 'contoso',
  onDuty: true,
  presence: 'online',
  services: [
    { id: 'support', name: 'Support', active: true, imEnabled: true },
    { id: 'billing', name: 'Billing', active: true, imEnabled: false },
  ],
};
const OFFER: AgentSession = {
  id: 'task-1',
  state: 'offered',
  serviceId: 'support',
  serviceName: 'Support',
  channel: 'interact',
  direct: false,
  customer: { displayName: 'Carol', email: 'carol@example.com' },
  parameters: {},
  firstMessage: 'Hello',
  createdAt: minutesAgo(1),
  offerExpiresAt: new Date(Date.now() + 30_000).toISOString(),
  lastSeq: 1,
};
const CONNECTED: AgentSession = {
  id: 'task-2',
  state: 'connected',
  serviceId: 'support',
  serviceName: 'Support',
  channel: 'whatsapp',
  direct: false,
  customer: { displayName: 'Dana', phone: '+41790000001' },
  parameters: {},
  firstMessage: 'My order?',
  createdAt: minutesAgo(5),
  acceptedAt: minutesAgo(4),
  lastSeq: 3,
};

/**
 * A fake Stratus agent API: answers GETs from its state, records every request, and lets a test
 * answer the writes it cares about (a write without a route answers 500, so an unexpected one shows).
 */
function fakeServer(init: { me?: AgentMe; sessions?: AgentSession[]; routes?: Record<string, Route> }) {
  const sent: Sent[] = [];
  const headers: Record<string, string>[] = [];
  let me = init.me ?? ME;
  const sessions = init.sessions ?? [];
  const routes: Record<string, Route> = {
    'GET /api/agent/me': () => ({ body: me }),
    'GET /api/agent/sessions': () => ({ body: { sessions } }),
    // The real server lists every IM-enabled service, the session's own included.
    'GET /api/agent/services': () => ({
      body: {
        services: [
          { id: 'support', name: 'Support' },
          { id: 'sales', name: 'Sales' },
        ],
      },
    }),
    ...init.routes,
  };
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let wake: (() => void) | undefined;
  let eventId = 0;
  const publish = (event: AgentEvent) => {
    if (event.type === 'me') me = event.me;
    chunks.push(encoder.encode(`id: ${++eventId}\ndata: ${JSON.stringify(event)}\n\n`));
    wake?.();
  };
  const streamBody = (signal?: AbortSignal | null) => ({
    getReader: () => ({
      read: async (): Promise<{ done: boolean; value?: Uint8Array }> => {
        while (!chunks.length) {
          if (signal?.aborted) return { done: true };
          await new Promise<void>((r) => {
            wake = r;
            signal?.addEventListener('abort', () => r(), { once: true });
          });
        }
        return { done: false, value: chunks.shift() };
      },
    }),
  });
  const fetch = async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const path = new URL(url, 'http://localhost').pathname;
    if (path === '/api/agent/events') return { ok: true, status: 200, body: streamBody(init.signal) };
    const req: Sent = { method, path, ...(init.body !== undefined ? { body: JSON.parse(String(init.body)) } : {}) };
    sent.push(req);
    headers.push(init.headers as Record<string, string>);
    const route =
      routes[`${method} ${path}`] ?? (method === 'GET' && path.endsWith('/messages') ? () => ({ body: { messages: [] } }) : undefined);
    const answer: Answer = route
      ? route(req)
      : { status: 500, body: { error: { code: 'unexpected', message: `No route for ${method} ${path}` } } };
    if (answer.then) setTimeout(() => answer.then!.forEach(publish), 0);
    const status = answer.status ?? 200;
    return { ok: status < 400, status, text: async () => JSON.stringify(answer.body) };
  };
  return {
    fetch,
    publish,
    /** Requests that change something (everything but GET), in order. */
    writes: () => sent.filter((r) => r.method !== 'GET'),
    headersOf: (r: Sent) => headers[sent.indexOf(r)],
  };
}

let server: ReturnType<typeof fakeServer>;

beforeAll(() => {
  // jsdom has no TextDecoder (the stream reader needs one) and no ResizeObserver (Fluent's MessageBar
  // measures itself with one): the platform pieces every browser Teams runs in has.
  class NoResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.assign(globalThis, { TextDecoder, ResizeObserver: NoResizeObserver });
});

afterEach(() => {
  delete (globalThis as { fetch?: unknown }).fetch;
});

async function renderApp(init: Parameters<typeof fakeServer>[0], initialSession?: string) {
  server = fakeServer(init);
  Object.assign(globalThis, { fetch: server.fetch });
  const token = async () => 'tok';
  const api = new AgentApi(token);
  render(
    <FluentProvider theme={webLightTheme}>
      <App api={api} streamUrl="/api/agent/events" token={token} {...(initialSession ? { initialSession } : {})} />
    </FluentProvider>,
  );
  await screen.findByRole('switch', { name: init.me?.onDuty === false ? 'Off duty' : 'On duty' });
}

function switchNamed(name: string): HTMLInputElement {
  return screen.getByRole('switch', { name }) as HTMLInputElement;
}

test('Transfer posts the chosen service and the session then shows as ended (transferred)', async () => {
  const transferred: AgentSession = {
    ...CONNECTED,
    state: 'ended',
    endedAt: new Date().toISOString(),
    outcome: 'transferred',
    endedBy: 'agent',
    transferredTo: { serviceId: 'sales', serviceName: 'Sales' },
  };
  await renderApp({
    sessions: [CONNECTED],
    routes: { 'POST /api/agent/sessions/task-2/transfer': () => ({ body: { session: transferred } }) },
  });
  expect(screen.getByText('Open (1)')).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: /Dana/ }));
  const chat = await screen.findByRole('region', { name: 'Chat with Dana' });

  const target = within(chat).getByRole('combobox', { name: 'Transfer to' }) as HTMLSelectElement;
  // The session's own service is not a transfer target.
  await waitFor(() => expect([...target.options].map((o) => o.textContent)).toEqual(['Choose a service', 'Sales']));
  const transfer = within(chat).getByRole('button', { name: 'Transfer' }) as HTMLButtonElement;
  expect(transfer.disabled).toBe(true);
  fireEvent.change(target, { target: { value: 'sales' } });
  expect(transfer.disabled).toBe(false);
  fireEvent.click(transfer);

  await waitFor(() =>
    expect(server.writes()).toEqual([{ method: 'POST', path: '/api/agent/sessions/task-2/transfer', body: { serviceId: 'sales' } }]),
  );
  const [req] = server.writes();
  expect(server.headersOf(req!)).toEqual({ authorization: 'Bearer tok', 'content-type': 'application/json' });

  await screen.findByText('Open (0)');
  const ended = screen.getByRole('region', { name: 'Chat with Dana' });
  expect(ended.textContent).toContain('WhatsApp · Support · transferred to Sales');
  expect(within(ended).queryByRole('textbox', { name: 'Your answer' })).toBeNull();
  expect(within(ended).queryByRole('button', { name: 'Transfer' })).toBeNull();
  expect(within(ended).queryByRole('button', { name: 'End and mark as handled' })).toBeNull();
  const recent = screen.getByRole('region', { name: 'Recently ended' });
  expect(within(recent).getByRole('button', { name: /Dana/ }).textContent).toContain('transferred to Sales');
  expect(screen.queryByRole('alert')).toBeNull();
});

test("a refused transfer shows the server's reason and leaves the session open", async () => {
  await renderApp({
    sessions: [CONNECTED],
    routes: {
      'POST /api/agent/sessions/task-2/transfer': () => ({
        status: 409,
        body: { error: { code: 'not_connected', message: 'Only a connected session can be transferred.' } },
      }),
    },
  });
  fireEvent.click(screen.getByRole('button', { name: /Dana/ }));
  const chat = await screen.findByRole('region', { name: 'Chat with Dana' });
  const target = within(chat).getByRole('combobox', { name: 'Transfer to' });
  await within(target).findByRole('option', { name: 'Sales' });
  fireEvent.change(target, { target: { value: 'sales' } });
  fireEvent.click(within(chat).getByRole('button', { name: 'Transfer' }));

  expect((await screen.findByRole('alert')).textContent).toBe('Only a connected session can be transferred.');
  expect(server.writes()).toEqual([{ method: 'POST', path: '/api/agent/sessions/task-2/transfer', body: { serviceId: 'sales' } }]);
  expect(screen.getByText('Open (1)')).toBeTruthy();
  expect(within(chat).getByRole('textbox', { name: 'Your answer' })).toBeTruthy();
});

test("Decline posts to the offer's decline and the offer leaves the list without opening a chat", async () => {
  const declined: AgentSession = { ...OFFER, state: 'ended' };
  await renderApp({ sessions: [OFFER], routes: { 'POST /api/agent/sessions/task-1/decline': () => ({ body: { session: declined } }) } });
  const card = await screen.findByRole('article', { name: 'Offer from Carol' });
  expect(screen.getByText('Offers (1)')).toBeTruthy();
  fireEvent.click(within(card).getByRole('button', { name: 'Decline' }));

  await waitFor(() => expect(server.writes()).toEqual([{ method: 'POST', path: '/api/agent/sessions/task-1/decline', body: {} }]));
  await waitFor(() => expect(screen.queryByRole('article', { name: 'Offer from Carol' })).toBeNull());
  expect(screen.getByText('Offers (0)')).toBeTruthy();
  expect(screen.getByText('No offers right now.')).toBeTruthy();
  expect(screen.queryByRole('region', { name: 'Chat with Carol' })).toBeNull();
  expect(within(screen.getByRole('region', { name: 'Recently ended' })).queryByRole('button')).toBeNull();
  expect(screen.queryByRole('alert')).toBeNull();
});

test('a decline under persistent RONA shows the countdown, and Reset posts rona/reset', async () => {
  const ronaUntil = new Date(Date.now() + 90_000).toISOString();
  await renderApp({
    sessions: [OFFER],
    routes: {
      'POST /api/agent/sessions/task-1/decline': () => ({
        body: { session: { ...OFFER, state: 'ended' } },
        then: [{ type: 'me', me: { ...ME, ronaUntil } }],
      }),
      'POST /api/agent/me/rona/reset': () => ({ body: ME, then: [{ type: 'me', me: ME }] }),
    },
  });
  fireEvent.click(within(await screen.findByRole('article', { name: 'Offer from Carol' })).getByRole('button', { name: 'Decline' }));
  const rona = await screen.findByText(/^RONA 1:[23]\d$/);
  fireEvent.click(within(rona.closest('[role="status"]') as HTMLElement).getByRole('button', { name: 'Reset' }));
  await waitFor(() => expect(screen.queryByText(/^RONA /)).toBeNull());
  expect(server.writes()).toEqual([
    { method: 'POST', path: '/api/agent/sessions/task-1/decline', body: {} },
    { method: 'POST', path: '/api/agent/me/rona/reset', body: {} },
  ]);
});

test("the Active switch posts the service's new flag and shows what the server then publishes", async () => {
  const activeRoute: Route = (req) => {
    const active = (req.body as { active: boolean }).active;
    const me = { ...ME, services: ME.services.map((x) => (x.id === 'support' ? { ...x, active } : x)) };
    return { body: me, then: [{ type: 'me', me }] };
  };
  await renderApp({ routes: { 'POST /api/agent/me/services/support/active': activeRoute } });
  // Only IM-enabled services have the switch.
  expect(screen.queryByRole('switch', { name: 'Active in Billing' })).toBeNull();
  expect(switchNamed('Active in Support').checked).toBe(true);

  fireEvent.click(switchNamed('Active in Support'));
  await waitFor(() => expect(switchNamed('Active in Support').checked).toBe(false));
  expect(server.writes()).toEqual([{ method: 'POST', path: '/api/agent/me/services/support/active', body: { active: false } }]);

  fireEvent.click(switchNamed('Active in Support'));
  await waitFor(() => expect(switchNamed('Active in Support').checked).toBe(true));
  expect(server.writes().at(-1)).toEqual({ method: 'POST', path: '/api/agent/me/services/support/active', body: { active: true } });
  expect(switchNamed('On duty').checked).toBe(true);
});

test('the duty switch posts onDuty and its label follows the server: On duty, Off duty, On duty', async () => {
  const dutyRoute: Route = (req) => {
    const me = { ...ME, onDuty: (req.body as { onDuty: boolean }).onDuty };
    return { body: me, then: [{ type: 'me', me }] };
  };
  await renderApp({ routes: { 'POST /api/agent/me/duty': dutyRoute } });
  expect(switchNamed('On duty').checked).toBe(true);

  fireEvent.click(switchNamed('On duty'));
  const off = (await screen.findByRole('switch', { name: 'Off duty' })) as HTMLInputElement;
  expect(off.checked).toBe(false);
  expect(server.writes()).toEqual([{ method: 'POST', path: '/api/agent/me/duty', body: { onDuty: false } }]);

  fireEvent.click(off);
  expect(((await screen.findByRole('switch', { name: 'On duty' })) as HTMLInputElement).checked).toBe(true);
  expect(server.writes()).toEqual([
    { method: 'POST', path: '/api/agent/me/duty', body: { onDuty: false } },
    { method: 'POST', path: '/api/agent/me/duty', body: { onDuty: true } },
  ]);
});

test("a refused duty change shows the reason and the switch keeps the server's state", async () => {
  await renderApp({
    routes: {
      'POST /api/agent/me/duty': () => ({
        status: 503,
        body: { error: { code: 'unavailable', message: 'Stratus is busy. Please try again.' } },
      }),
    },
  });
  fireEvent.click(switchNamed('On duty'));
  expect((await screen.findByRole('alert')).textContent).toBe('Stratus is busy. Please try again.');
  expect(switchNamed('On duty').checked).toBe(true);
  expect(server.writes()).toEqual([{ method: 'POST', path: '/api/agent/me/duty', body: { onDuty: false } }]);
});

test('the duty switch follows the answer to its own change even when the stream does not echo it', async () => {
  // The server publishes the change on the stream after commit; if that publish is lost, the
  // switch must still show what the server answered, not the old state until a reconnect.
  const dutyRoute: Route = (req) => ({ body: { ...ME, onDuty: (req.body as { onDuty: boolean }).onDuty } });
  await renderApp({ routes: { 'POST /api/agent/me/duty': dutyRoute } });
  fireEvent.click(switchNamed('On duty'));
  expect(((await screen.findByRole('switch', { name: 'Off duty' })) as HTMLInputElement).checked).toBe(false);
});

test('an ended session says how it ended', () => {
  const ended = (x: Partial<AgentSession>): AgentSession => ({ ...CONNECTED, state: 'ended', ...x });
  expect(endedText(ended({ outcome: 'handled', endedBy: 'customer' }))).toBe('the customer left');
  expect(endedText(ended({ outcome: 'handled', endedBy: 'agent' }))).toBe('ended by you');
  expect(endedText(ended({ outcome: 'inactive', endedBy: 'system' }))).toBe('closed: the customer stopped answering');
  expect(endedText(ended({ outcome: 'transferred' }))).toBe('transferred');
  expect(endedText(ended({ outcome: 'failed' }))).toBe('ended (failed)');
  const alice = { userId: 'alice', displayName: 'Alice Anders' };
  expect(endedText(ended({ outcome: 'transferred', endedBy: 'supervisor', supervisor: { ...alice, action: 'takeover' } }))).toBe(
    'taken over by Alice Anders (supervisor)',
  );
  expect(endedText(ended({ outcome: 'transferred', endedBy: 'supervisor', supervisor: { ...alice, action: 'reassign' } }))).toBe(
    'reassigned by Alice Anders (supervisor)',
  );
  expect(endedText(ended({ outcome: 'handled', endedBy: 'supervisor', supervisor: { ...alice, action: 'end' } }))).toBe(
    'ended by Alice Anders (supervisor)',
  );
});

test("a deep link's session (the activity feed's) opens once it is loaded", async () => {
  await renderApp({ sessions: [CONNECTED] }, CONNECTED.id);
  expect(await screen.findByRole('region', { name: `Chat with ${CONNECTED.customer.displayName}` })).toBeTruthy();
});

test('without a deep link no session opens by itself', async () => {
  await renderApp({ sessions: [CONNECTED] });
  expect(screen.queryByRole('region', { name: `Chat with ${CONNECTED.customer.displayName}` })).toBeNull();
});

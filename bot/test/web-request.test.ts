/**
 * The Web Request activity through the server: the workflow asks, the server calls a real HTTP
 * endpoint (a local one here), and the answer's values reach the conversation.
 */
import { createServer, type Server } from 'node:http';
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { openCustomerSocket, startHarness, waitFor, type Harness } from './harness';

let h: Harness;
let crm: Server;
const calls: { url: string; body: string; auth?: string }[] = [];

function tenant(crmUrl: string): TenantConfig {
  const t = demoTenant();
  const support = t.services[0]!;
  return {
    ...t,
    services: [{ ...support, im: { ...support.im, workflowId: 'crm' } }],
    workflows: [
      ...t.workflows,
      {
        id: 'crm',
        name: 'CRM lookup',
        start: 'lookup',
        nodes: {
          lookup: {
            activity: 'webRequest',
            params: {
              method: 'POST',
              url: `${crmUrl}/lookup?email={{Customer.Email}}`,
              headers: { Authorization: 'Bearer crm-key' },
              body: '{"name":"{{Customer.DisplayName}}"}',
              timeoutSec: 5,
              pick: { 'Crm.Tier': 'customer.tier' },
            },
            exits: { success: 'hello', failure: 'sorry' },
          },
          hello: { activity: 'message', params: { text: 'Welcome back, {{Crm.Tier}} customer.' }, exits: { next: 'bye' } },
          sorry: { activity: 'message', params: { text: 'We could not look you up.' }, exits: { next: 'bye' } },
          bye: { activity: 'disconnectAsHandled' },
        },
      },
    ],
  };
}

beforeAll(async () => {
  crm = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      calls.push({ url: req.url ?? '', body, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ customer: { tier: 'gold' } }));
    });
  });
  await new Promise<void>((r) => crm.listen(0, '127.0.0.1', () => r()));
  // Loopback is refused by default (server-side request forgery): this test's endpoint is let through explicitly.
  h = await startHarness({
    tenants: [tenant(`http://127.0.0.1:${(crm.address() as { port: number }).port}`)],
    app: { webRequest: { allowAddress: (address) => address === '127.0.0.1' } },
  });
});
afterAll(async () => {
  await h?.stop();
  await new Promise((r) => crm.close(r));
});

test('the workflow calls the endpoint with escaped values and uses what it answers', async () => {
  const chat = (
    await h.call('POST', '/api/interact/support/chats', { displayName: 'Ann "A&B"', email: 'ann+1@example.com', privacyAccepted: true })
  ).data;
  const { frames, ws } = await openCustomerSocket(h.url, chat.chatId, chat.token);
  await waitFor('the message with the CRM value', () =>
    frames.some((f) => f.type === 'message' && f.message.text === 'Welcome back, gold customer.'),
  );
  expect(calls[0]).toMatchObject({ url: '/lookup?email=ann%2B1%40example.com', auth: 'Bearer crm-key' });
  expect(JSON.parse(calls[0]!.body)).toEqual({ name: 'Ann "A&B"' });
  await waitFor('ended', () => frames.some((f) => f.type === 'state' && f.state === 'ended'));
  ws.close();
});

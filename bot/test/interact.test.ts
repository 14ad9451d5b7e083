/**
 * The Interact channel's restrictions over the real server: the widget pages and their CSP,
 * allowed origins on REST and WebSocket, rate limits, licenses, and direct chats to a user.
 */
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { openCustomerSocket, startHarness, waitFor, type Harness } from './harness';

function tenant(): TenantConfig {
  const t = demoTenant();
  const [support, sales] = t.services;
  return {
    ...t,
    users: [
      ...t.users,
      {
        id: 'carl',
        upn: 'carl@contoso.com',
        displayName: 'Carl',
        licenses: ['im'],
        presence: 'online',
        onDuty: true,
        // No direct code: validation refuses one without the Interact User license (shared/tenant/validate.test.ts).
      },
    ],
    services: [
      { ...support!, im: { ...support!.im, interact: { code: 'support', allowedOrigins: ['https://shop.contoso.com'] } } },
      // Interact configured but without the Interact add-on license.
      { ...sales!, licenses: ['contactCenter'] },
    ],
  };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tenants: [tenant()] });
});
afterAll(async () => {
  await h?.stop();
});

const start = (code: string, headers: Record<string, string> = {}, name = 'Olga') =>
  h.call('POST', `/api/interact/${code}/chats`, { displayName: name, email: 'o@example.com', privacyAccepted: true }, undefined, headers);

// The widget page's headers (CSP, frame-ancestors) are pinned in static.test.ts against a fake built tree.

test('allowed origins are enforced on REST and on the live socket', async () => {
  const refused = await start('support', { origin: 'https://evil.example.com' });
  expect(refused.status).toBe(403);
  expect(refused.data.error.code).toBe('origin_not_allowed');
  const ok = await start('support', { origin: 'https://shop.contoso.com' });
  expect(ok.status).toBe(201);
  expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.contoso.com');
  await expect(openCustomerSocket(h.url, ok.data.chatId, ok.data.token, 0, 'https://evil.example.com')).rejects.toThrow(/403/);
  const { ws } = await openCustomerSocket(h.url, ok.data.chatId, ok.data.token, 0, 'https://shop.contoso.com');
  ws.close();
  const post = await h.call('POST', `/api/interact/chats/${ok.data.chatId}/messages`, { text: 'hi' }, ok.data.token, {
    origin: 'https://evil.example.com',
  });
  expect(post.status).toBe(403);
});

test('a service without the Interact license and a user without the Interact User license answer 404, revealing nothing', async () => {
  for (const code of ['sales', 'carl']) {
    const r = await start(code);
    expect(r.status).toBe(404);
    expect(JSON.stringify(r.data)).not.toMatch(/licen|Sales|Carl/i);
    expect((await h.call('GET', `/api/interact/${code}`)).status).toBe(404);
  }
});

test('a direct chat to a user reaches only that user', async () => {
  const chat = await start('bob', {}, 'Dora');
  expect(chat.status).toBe(201);
  const bob = await h.devToken('bob@contoso.com');
  const alice = await h.devToken('alice@contoso.com');
  const offer = await waitFor('the offer to Bob', async () =>
    (await h.call('GET', '/api/agent/sessions', undefined, bob)).data.sessions.find((s: any) => s.customer.displayName === 'Dora'),
  );
  expect(offer).toMatchObject({ state: 'offered', direct: true });
  const aliceSees = (await h.call('GET', '/api/agent/sessions', undefined, alice)).data.sessions;
  expect(aliceSees.some((s: any) => s.customer.displayName === 'Dora')).toBe(false);
  expect((await h.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, bob)).status).toBe(200);
  const alicesReport = (await h.call('GET', '/api/reporting/sessions', undefined, alice)).data.sessions;
  expect(alicesReport.some((s: any) => s.conversationId === chat.data.chatId && s.direct)).toBe(true);
});

test('rate limits answer 429 with Retry-After, and oversized messages 413', async () => {
  const chat = await start('support', {}, 'Rick');
  let limited: { status: number; headers: Headers } | undefined;
  for (let i = 0; i < 40 && !limited; i++) {
    const r = await h.call(
      'POST',
      `/api/interact/chats/${chat.data.chatId}/messages`,
      { text: `m${i}`, clientMessageId: `r${i}` },
      chat.data.token,
    );
    if (r.status === 429) limited = r;
    else expect(r.status).toBe(201);
  }
  expect(limited?.status).toBe(429);
  expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
  const big = await h.call('POST', `/api/interact/chats/${chat.data.chatId}/messages`, { text: 'x'.repeat(4001) }, chat.data.token);
  expect([413, 429]).toContain(big.status);
});

/**
 * Tenant isolation: two tenants on one server. Nothing of one is visible to the other: not its
 * sessions, not its messages, not its reporting, not its codes.
 */
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { startHarness, waitFor, type Harness } from './harness';

function fabrikam(): TenantConfig {
  const t = demoTenant();
  return {
    ...t,
    id: 'fabrikam', name: 'Fabrikam', entraTenantId: '11111111-2222-3333-4444-555555555555',
    twilio: { accountSid: 'AC11111111111111111111111111111111', authToken: 'fabrikam-token', region: 'us1' },
    users: t.users.map((u) => ({ ...u, upn: u.upn.replace('contoso', 'fabrikam'), entraObjectId: (u.entraObjectId ?? '').replace(/^0{8}/, '11111111'), ...(u.interact ? { interact: { ...u.interact, code: `f-${u.interact.code}` } } : {}) })),
    services: t.services.map((s) => ({ ...s, im: { ...s.im, ...(s.im.interact ? { interact: { ...s.im.interact, code: `f-${s.im.interact.code}` } } : {}), ...(s.im.whatsapp ? { whatsapp: { sender: s.im.whatsapp.sender.replace('0100', '0200') } } : {}) } })),
  };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tenants: [demoTenant(), fabrikam()] });
});
afterAll(async () => {
  await h?.stop();
});

test('an agent of one tenant sees nothing of another tenant', async () => {
  const contoso = { alice: await h.devToken('alice@contoso.com'), bob: await h.devToken('bob@contoso.com') };
  const fab = { alice: await h.devToken('alice@fabrikam.com'), bob: await h.devToken('bob@fabrikam.com') };
  const chat = await h.call('POST', '/api/interact/support/chats', { displayName: 'Secret Sam', email: 'sam@example.com', privacyAccepted: true, message: 'my account number is 1234' });
  expect(chat.status).toBe(201);
  const offered = await waitFor('the contoso offer', async () => {
    for (const token of Object.values(contoso)) {
      const s = (await h.call('GET', '/api/agent/sessions', undefined, token)).data.sessions.find((x: any) => x.state === 'offered');
      if (s) return { id: s.id as string, token };
    }
    return undefined;
  });
  await h.call('POST', `/api/agent/sessions/${offered.id}/accept`, {}, offered.token);

  for (const token of Object.values(fab)) {
    const list = await h.call('GET', '/api/agent/sessions', undefined, token);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.data)).not.toContain('Secret Sam');
    // The other tenant's session id does not exist for them (404, not 403: nothing is revealed).
    for (const [method, path] of [['GET', 'messages'], ['POST', 'accept'], ['POST', 'end'], ['POST', 'messages']] as const) {
      const r = await h.call(method, `/api/agent/sessions/${offered.id}/${path}`, method === 'POST' ? { text: 'hi' } : undefined, token);
      expect(r.status).toBe(404);
      expect(JSON.stringify(r.data)).not.toContain('Secret Sam');
    }
  }
  const report = await h.call('GET', '/api/reporting/sessions', undefined, fab.alice);
  expect(report.status).toBe(200);
  expect(report.data.sessions.some((s: any) => s.taskId === offered.id)).toBe(false);
  const own = await h.call('GET', '/api/reporting/sessions', undefined, contoso.alice);
  expect(own.data.sessions.some((s: any) => s.taskId === offered.id)).toBe(true);
});

test('each tenant has its own codes', async () => {
  const r = await h.call('POST', '/api/interact/f-support/chats', { displayName: 'Fay', email: 'fay@example.com', privacyAccepted: true });
  expect(r.status).toBe(201);
  const fabAlice = await h.devToken('alice@fabrikam.com');
  const fabBob = await h.devToken('bob@fabrikam.com');
  await waitFor('a fabrikam offer', async () => {
    for (const token of [fabAlice, fabBob]) {
      const s = (await h.call('GET', '/api/agent/sessions', undefined, token)).data.sessions;
      if (s.some((x: any) => x.customer.displayName === 'Fay')) return true;
    }
    return false;
  });
  const contosoAlice = await h.devToken('alice@contoso.com');
  const contosoBob = await h.devToken('bob@contoso.com');
  for (const token of [contosoAlice, contosoBob]) {
    expect(JSON.stringify((await h.call('GET', '/api/agent/sessions', undefined, token)).data)).not.toContain('Fay');
  }
});

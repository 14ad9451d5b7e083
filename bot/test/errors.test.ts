/** Every bad input gets a JSON error with a fitting status, and changes nothing. */
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function counts() {
  const r = await h.app.store.db.execute(
    'select (select count(*) from conversations)::int as c, (select count(*) from messages)::int as m' as never,
  );
  return (r as unknown as { rows: unknown[] }).rows[0];
}

const valid = { displayName: 'Dan', email: 'dan@example.com', privacyAccepted: true };

test.each([
  ['missing consent', '/api/interact/support/chats', { ...valid, privacyAccepted: false }, 400, 'invalid_request'],
  ['bad email', '/api/interact/support/chats', { ...valid, email: 'not-an-email' }, 400, 'invalid_request'],
  ['missing name', '/api/interact/support/chats', { ...valid, displayName: '' }, 400, 'invalid_request'],
  ['unknown code', '/api/interact/nope/chats', valid, 404, 'not_found'],
  ['oversized first message', '/api/interact/support/chats', { ...valid, message: 'x'.repeat(5000) }, 413, 'too_large'],
])('%s is refused with a JSON error and stores nothing', async (_name, path, body, status, code) => {
  const before = await counts();
  const r = await h.call('POST', path, body);
  expect(r.status).toBe(status);
  expect(r.data.error.code).toBe(code);
  expect(typeof r.data.error.message).toBe('string');
  expect(await counts()).toEqual(before);
});

test('malformed JSON is a 400 with a JSON error', async () => {
  const r = await h.call('POST', '/api/interact/support/chats', '{"displayName": ', undefined);
  expect(r.status).toBe(400);
  expect(r.data.error.code).toBe('invalid_json');
});

test('a body over the size limit is a 413', async () => {
  const r = await h.call('POST', '/api/interact/support/chats', { ...valid, message: 'y'.repeat(70 * 1024) });
  expect(r.status).toBe(413);
  expect(r.data.error.code).toBe('too_large');
});

test('customer calls need the chat token, and a token works for its own chat only', async () => {
  const a = (await h.call('POST', '/api/interact/support/chats', valid)).data;
  const b = (await h.call('POST', '/api/interact/support/chats', valid)).data;
  expect((await h.call('POST', `/api/interact/chats/${a.chatId}/messages`, { text: 'hi' })).status).toBe(401);
  expect((await h.call('POST', `/api/interact/chats/${a.chatId}/messages`, { text: 'hi' }, 'forged')).status).toBe(401);
  const cross = await h.call('POST', `/api/interact/chats/${a.chatId}/messages`, { text: 'hi' }, b.token);
  expect(cross.status).toBe(401);
  expect(cross.data.error.code).toBe('unauthorized');
  const long = await h.call('POST', `/api/interact/chats/${a.chatId}/messages`, { text: 'z'.repeat(4001) }, a.token);
  expect(long.status).toBe(413);
  const empty = await h.call('POST', `/api/interact/chats/${a.chatId}/messages`, { text: '   ' }, a.token);
  expect(empty.status).toBe(400);
});

test('agent calls need a valid token', async () => {
  expect((await h.call('GET', '/api/agent/me')).status).toBe(401);
  expect((await h.call('GET', '/api/agent/me', undefined, 'x.y.z')).status).toBe(401);
  const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsInRpZCI6ImNvbnRvc28ifQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  expect((await h.call('GET', '/api/agent/sessions', undefined, forged)).status).toBe(401);
  expect((await h.call('POST', '/api/dev/token', { upn: 'mallory@evil.com' })).status).toBe(404);
  const me = await h.call('GET', '/api/agent/me', undefined, await h.devToken('alice@contoso.com'));
  expect(me.status).toBe(200);
  expect(me.data.upn).toBe('alice@contoso.com');
});

test('health and readiness answer', async () => {
  expect((await h.call('GET', '/healthz')).status).toBe(200);
  const ready = await h.call('GET', '/readyz');
  expect(ready.status).toBe(200);
});

test('reporting is for supervisors and admins (and users their own direct chats); bad filters are 400', async () => {
  const bob = await h.devToken('bob@contoso.com');
  const alice = await h.devToken('alice@contoso.com');
  expect((await h.call('GET', '/api/reporting/sessions')).status).toBe(401);
  // Bob supervises nothing: a service's reporting is refused; his own direct chats are his to read.
  const refused = await h.call('GET', '/api/reporting/sessions?service=support', undefined, bob);
  expect(refused.status).toBe(403);
  expect(refused.data.error.code).toBe('forbidden');
  const own = await h.call('GET', '/api/reporting/sessions', undefined, bob);
  expect(own.status).toBe(200);
  expect(own.data.sessions.every((s: { serviceId: string }) => s.serviceId === 'direct:bob')).toBe(true);
  expect((await h.call('GET', '/api/reporting/sessions?channel=fax', undefined, alice)).status).toBe(400);
  expect((await h.call('GET', '/api/reporting/sessions?from=yesterday', undefined, alice)).status).toBe(400);
  expect((await h.call('GET', '/api/reporting/sessions?outcome=handled', undefined, alice)).status).toBe(200);
});

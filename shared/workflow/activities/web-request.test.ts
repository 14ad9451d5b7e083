import { around, exitTaken, resume, start, T0, ctx } from './test-kit';

const node = {
  activity: 'webRequest',
  params: {
    method: 'POST',
    url: 'https://crm.example.com/lookup?name={{Customer.DisplayName}}',
    body: '{"name":"{{Customer.DisplayName}}"}',
    headers: { 'X-Who': '{{Customer.DisplayName}}' },
    timeoutSec: 5,
    pick: { 'Crm.Tier': 'customer.tier', 'Crm.Id': 'customer.ids.0' },
  },
};
const def = around(node, ['success', 'failure']);
const evil = { 'Customer.DisplayName': 'a&b="c"' };

describe('webRequest', () => {
  it('asks the host for a templated call with escaped values and waits', () => {
    const r = start(def, ctx(), evil);
    const call = r.effects[0];
    expect(call).toMatchObject({
      type: 'webRequest',
      method: 'POST',
      url: 'https://crm.example.com/lookup?name=a%26b%3D%22c%22',
      body: '{"name":"a&b=\\"c\\""}',
      headers: { 'X-Who': 'a&b="c"' },
      timeoutMs: 5000,
    });
    expect(JSON.parse((call as { body: string }).body)).toEqual({ name: 'a&b="c"' });
    expect(r.effects[1]).toEqual({ type: 'schedule', at: T0 + 10_000 });
    expect(r.snapshot.wait).toMatchObject({ kind: 'webResponse' });
  });

  it('success picks values from the JSON answer', () => {
    const r = start(def);
    const requestId = (r.effects[0] as { requestId: string }).requestId;
    const ok = resume(def, r, { type: 'webResponse', requestId, ok: true, status: 200, body: '{"customer":{"tier":"gold","ids":[7]}}' });
    expect(ok.snapshot.params).toMatchObject({ 'Crm.Tier': 'gold', 'Crm.Id': '7' });
    expect(exitTaken(ok)).toBe('success');
  });

  it('failure on an error answer, bad JSON or timeout; a stale answer is ignored', () => {
    const r = start(def);
    const requestId = (r.effects[0] as { requestId: string }).requestId;
    expect(exitTaken(resume(def, r, { type: 'webResponse', requestId, ok: false, status: 500 }))).toBe('failure');
    expect(exitTaken(resume(def, r, { type: 'webResponse', requestId, ok: true, body: 'not json' }))).toBe('failure');
    expect(exitTaken(resume(def, r, { type: 'timer', at: T0 + 10_000 }))).toBe('failure');
    expect(resume(def, r, { type: 'webResponse', requestId: 'other', ok: true }).effects).toEqual([]);
  });
  it('failure on a non-2xx status even when the host says ok; success without picks needs no JSON', () => {
    const r = start(def);
    const requestId = (r.effects[0] as { requestId: string }).requestId;
    expect(exitTaken(resume(def, r, { type: 'webResponse', requestId, ok: true, status: 404, body: '{}' }))).toBe('failure');
    const plain = around({ activity: 'webRequest', params: { url: 'https://x.test/ping' } }, ['success', 'failure']);
    const p = start(plain);
    const id = (p.effects[0] as { requestId: string }).requestId;
    expect(p.effects[0]).toMatchObject({ method: 'GET', timeoutMs: 10_000 });
    expect(exitTaken(resume(plain, p, { type: 'webResponse', requestId: id, ok: true, status: 204, body: '' }))).toBe('success');
  });
});

import { around, ctx, exitTaken, resume, start, T0 } from './test-kit';

const node = {
  activity: 'collectInformation',
  params: { prompt: 'Your email?', parameter: 'Customer.Email2', validation: 'email', retries: 1, timeoutSec: 120 },
};
const def = around(node, ['ok', 'failed']);

describe('collectInformation', () => {
  it('asks, waits, stores a valid answer: ok', () => {
    const r = start(def);
    expect(r.effects).toEqual([
      { type: 'sendMessage', text: 'Your email?' },
      { type: 'schedule', at: T0 + 120_000 },
    ]);
    expect(r.snapshot.status).toBe('waiting');
    const ok = resume(def, r, { type: 'customerMessage', text: ' carol@example.com ' });
    expect(ok.snapshot.params['Customer.Email2']).toBe('carol@example.com');
    expect(exitTaken(ok)).toBe('ok');
  });

  it('asks again on a bad answer, then fails after the retries', () => {
    const r1 = resume(def, start(def), { type: 'customerMessage', text: 'not an email' });
    expect(r1.effects[0]).toMatchObject({ type: 'sendMessage', text: expect.stringContaining('try again') });
    expect(exitTaken(r1)).toBeUndefined();
    const r2 = resume(def, r1, { type: 'customerMessage', text: 'still not' });
    expect(exitTaken(r2)).toBe('failed');
  });

  it('fails when the customer does not answer in time', () => {
    const r = resume(def, start(def), { type: 'timer', at: T0 + 120_000 }, ctx({ now: T0 + 120_000 }));
    expect(exitTaken(r)).toBe('failed');
  });

  it.each([
    ['phone', '+41 44 123 45 67', true],
    ['phone', 'call me', false],
    ['number', '42,5', true],
    ['number', 'x', false],
  ])('%s validation of %s', (validation, text, ok) => {
    const d = around({ activity: 'collectInformation', params: { prompt: '?', parameter: 'P', validation, retries: 0 } }, ['ok', 'failed']);
    expect(exitTaken(resume(d, start(d), { type: 'customerMessage', text }))).toBe(ok ? 'ok' : 'failed');
  });

  it('pattern validation', () => {
    const d = around(
      {
        activity: 'collectInformation',
        params: { prompt: 'Order?', parameter: 'Order', validation: 'pattern', pattern: '^[A-Z]{2}\\d{4}$', retries: 0 },
      },
      ['ok', 'failed'],
    );
    expect(exitTaken(resume(d, start(d), { type: 'customerMessage', text: 'AB1234' }))).toBe('ok');
    expect(exitTaken(resume(d, start(d), { type: 'customerMessage', text: 'ab12' }))).toBe('failed');
  });
});

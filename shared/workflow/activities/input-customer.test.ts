import { around, exitTaken, resume, start } from './test-kit';

const node = {
  activity: 'inputCustomer',
  params: {
    prompt: '1 = orders, 2 = billing',
    options: [
      { key: '1', label: 'orders', exit: 'orders' },
      { key: '2', label: 'billing', exit: 'billing' },
    ],
    retries: 1,
  },
};
const def = around(node, ['orders', 'billing', 'noMatch']);

describe('inputCustomer', () => {
  it('routes by key or label', () => {
    expect(exitTaken(resume(def, start(def), { type: 'customerMessage', text: '1' }))).toBe('orders');
    expect(exitTaken(resume(def, start(def), { type: 'customerMessage', text: 'Billing' }))).toBe('billing');
  });
  it('asks again, then noMatch', () => {
    const r1 = resume(def, start(def), { type: 'customerMessage', text: 'what?' });
    expect(r1.effects[0]).toMatchObject({ type: 'sendMessage' });
    expect(exitTaken(resume(def, r1, { type: 'customerMessage', text: 'huh' }))).toBe('noMatch');
  });
});

import { SendBudget } from './budget';

test('a chat gets 7 sends a second, then waits', () => {
  const b = new SendBudget();
  for (let i = 0; i < 7; i++) {
    expect(b.wait('t', 'c', 1000)).toBe(0);
    b.record('t', 'c', 1000);
  }
  expect(b.wait('t', 'c', 1000)).toBe(1000);
  expect(b.wait('t', 'c', 2000)).toBe(0);
});

test("60 per 30 s and the tenant's 30 per second hold too", () => {
  const b = new SendBudget();
  let now = 0;
  for (let i = 0; i < 60; i++) {
    now += b.wait('t', 'c', now);
    b.record('t', 'c', now);
  }
  expect(now).toBeLessThan(30_000);
  expect(b.wait('t', 'c', now)).toBeGreaterThan(0);
  expect(b.room('c', now)).toBe(0);
  const t = new SendBudget();
  for (let i = 0; i < 30; i++) t.record('t', `chat${i}`, 5);
  expect(t.wait('t', 'another', 5)).toBe(1000);
});

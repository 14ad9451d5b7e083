import { around, ctx, exitTaken, resume, start, T0 } from './test-kit';

test('delay waits for its timer; a stale timer changes nothing', () => {
  const def = around({ activity: 'delay', params: { seconds: 90 } }, ['next']);
  const r = start(def);
  expect(r.effects).toEqual([{ type: 'schedule', at: T0 + 90_000 }]);
  expect(resume(def, r, { type: 'timer', at: T0 + 1 }).effects).toEqual([]);
  expect(exitTaken(resume(def, r, { type: 'timer', at: T0 + 90_000 }, ctx({ now: T0 + 90_000 })))).toBe('next');
});

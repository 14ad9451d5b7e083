import { start } from './test-kit';

test('disconnectAsHandled ends handled', () => {
  const r = start({ id: 'w', name: 'W', start: 'n', nodes: { n: { activity: 'disconnectAsHandled' } } });
  expect(r.effects).toEqual([{ type: 'end', outcome: 'handled', disconnect: true }]);
  expect(r.snapshot).toMatchObject({ status: 'ended', outcome: 'handled' });
});

import { start } from './test-kit';

test('disconnect ends the conversation, outcome left to the host unless marked handled', () => {
  const plain = start({ id: 'w', name: 'W', start: 'n', nodes: { n: { activity: 'disconnect' } } });
  expect(plain.effects).toEqual([{ type: 'end', disconnect: true }]);
  expect(plain.snapshot.status).toBe('ended');
  const marked = start({
    id: 'w',
    name: 'W',
    start: 'm',
    nodes: { m: { activity: 'markAsHandled', exits: { next: 'n' } }, n: { activity: 'disconnect' } },
  });
  expect(marked.effects).toEqual([{ type: 'end', outcome: 'handled', disconnect: true }]);
});

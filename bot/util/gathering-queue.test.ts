import { GatheringQueue, type Gathered } from './gathering-queue';

/** A queue whose batches are recorded and answered with each item doubled, after a wait on a promise. */
function doubling(opts: { max: number; gather: boolean }) {
  const batches: number[][] = [];
  const q = new GatheringQueue<number, number>(async (batch: Gathered<number, number>[]) => {
    batches.push(batch.map((g) => g.item));
    await Promise.resolve();
    for (const g of batch) g.resolve(g.item * 2);
  }, opts);
  return { q, batches };
}

test('with gather, items pushed in one turn of the event loop run as one batch, in order, each with its own answer', async () => {
  const { q, batches } = doubling({ max: 10, gather: true });
  const answers = await Promise.all([1, 2, 3].map((n) => q.push(n)));
  expect(answers).toEqual([2, 4, 6]);
  expect(batches).toEqual([[1, 2, 3]]);
});

test('without gather, the first item runs at once and those pushed while it runs make the next batch', async () => {
  const { q, batches } = doubling({ max: 10, gather: false });
  expect(await Promise.all([1, 2, 3].map((n) => q.push(n)))).toEqual([2, 4, 6]);
  expect(batches).toEqual([[1], [2, 3]]);
});

test('a batch holds at most `max` items; the rest follow in order', async () => {
  const { q, batches } = doubling({ max: 2, gather: true });
  expect(await Promise.all([1, 2, 3, 4, 5].map((n) => q.push(n)))).toEqual([2, 4, 6, 8, 10]);
  expect(batches).toEqual([[1, 2], [3, 4], [5]]);
});

test('a batch whose run throws fails the items it left unanswered, keeps the answers it gave, and the queue goes on', async () => {
  let calls = 0;
  const q = new GatheringQueue<string, string>(
    async (batch) => {
      calls++;
      if (calls === 1) {
        batch[0]!.resolve('answered');
        throw new Error('broken batch');
      }
      for (const g of batch) g.resolve(`ok ${g.item}`);
    },
    { max: 10, gather: true },
  );
  const first = await Promise.allSettled(['a', 'b'].map((x) => q.push(x)));
  expect(first).toEqual([
    { status: 'fulfilled', value: 'answered' },
    { status: 'rejected', reason: new Error('broken batch') },
  ]);
  expect(await q.push('c')).toBe('ok c');
}, 5_000);

import { around, exitTaken, start } from './test-kit';

const node = {
  activity: 'checkParameter',
  params: {
    parameter: 'X',
    conditions: [
      { op: 'empty', exit: 'none' },
      { op: 'equals', value: 'VIP', exit: 'vip' },
      { op: 'contains', value: 'urgent', exit: 'urgent' },
      { op: 'pattern', value: '^#\\d+$', exit: 'ticket' },
      { op: 'gt', value: 100, exit: 'big' },
      { op: 'lte', value: 10, exit: 'small' },
    ],
  },
};
const def = around(node, ['none', 'vip', 'urgent', 'ticket', 'big', 'small', 'noMatch']);

test.each([
  ['', 'none'],
  ['vip', 'vip'],
  ['this is URGENT', 'urgent'],
  ['#123', 'ticket'],
  ['250', 'big'],
  ['10', 'small'],
  ['50', 'noMatch'],
  ['hello', 'noMatch'],
])('checkParameter %p → %s', (value, exit) => {
  expect(exitTaken(start(def, undefined, { X: value }))).toBe(exit);
});

import { around, ctx, exitTaken, start } from './test-kit';

test('message: sends the templated text, then next', () => {
  const r = start(
    around({ activity: 'message', params: { text: 'Hi {{Customer.DisplayName}}, you are {{Queue.Position}}.' } }, ['next']),
    ctx({ queuePosition: 4 }),
  );
  expect(r.effects[0]).toEqual({ type: 'sendMessage', text: 'Hi Carol, you are 4.' });
  expect(exitTaken(r)).toBe('next');
});

import { activity } from './registry';
import { around, ctx, exitTaken, start } from './test-kit';

test('message: sends the templated text, then next', () => {
  const r = start(
    around({ activity: 'message', params: { text: 'Hi {{Customer.DisplayName}}, you are {{Queue.Position}}.' } }, ['next']),
    ctx({ queuePosition: 4 }),
  );
  expect(r.effects[0]).toEqual({ type: 'sendMessage', text: 'Hi Carol, you are 4.' });
  expect(exitTaken(r)).toBe('next');
});

describe('message in the customer language', () => {
  const params = { text: 'You are number {{Queue.Position}}.', text_de: 'Sie sind Nummer {{Queue.Position}}.', text_fr: ' ' };

  test.each([
    ['de', 'Sie sind Nummer 3.'],
    ['en', 'You are number 3.'],
    [undefined, 'You are number 3.'],
    // A blank translation is no translation: the English text goes out rather than nothing.
    ['fr', 'You are number 3.'],
  ] as const)('language %s sends %s', (language, text) => {
    const r = start(around({ activity: 'message', params }, ['next']), ctx({ queuePosition: 3, ...(language ? { language } : {}) }));
    expect(r.effects[0]).toEqual({ type: 'sendMessage', text });
  });

  test('a French translation is sent to a French customer', () => {
    const r = start(around({ activity: 'message', params: { text: 'Hello', text_fr: 'Bonjour' } }, ['next']), ctx({ language: 'fr' }));
    expect(r.effects[0]).toEqual({ type: 'sendMessage', text: 'Bonjour' });
  });

  test('translations must be texts; `text` stays required', () => {
    const act = activity('message')!;
    expect(act.validate({ text: 'Hi', text_de: 'Hallo', text_fr: 'Salut' })).toEqual([]);
    expect(act.validate({ text: 'Hi', text_de: 5 })).toEqual(['parameter "text_de" must be a text']);
    expect(act.validate({ text_de: 'Hallo' })).toEqual(['parameter "text" is required']);
  });
});

import { around, exitTaken, start } from './test-kit';

test('saveToParameter stores a templated value', () => {
  const r = start(
    around({ activity: 'saveToParameter', params: { parameter: 'Greeting', value: 'Dear {{Customer.DisplayName}}' } }, ['next']),
  );
  expect(r.snapshot.params.Greeting).toBe('Dear Carol');
  expect(exitTaken(r)).toBe('next');
});

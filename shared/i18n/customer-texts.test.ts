import { directChatEndText } from '../task/direct-chat';
import { customerLanguage, customerText, type CustomerTextKey } from './customer-texts';

const KEYS: CustomerTextKey[] = [
  'agentJoined',
  'agentEnded',
  'customerLeft',
  'serviceUnavailable',
  'transferred',
  'endedByKeyword',
  'inactivityWarning',
  'inactivityClosed',
  'directUnavailable',
  'directTimedOut',
  'directDeclined',
];

test('the English sentences are the ones customers and tests already know', () => {
  expect(customerText(undefined, 'agentJoined', { agent: 'Alice Anders' })).toBe('Alice Anders joined the chat.');
  expect(customerText('en', 'agentEnded', { agent: 'Alice Anders' })).toBe('Alice Anders ended the chat.');
  expect(customerText('en', 'customerLeft', { customer: 'Carol' })).toBe('Carol left the chat.');
  expect(customerText('en', 'serviceUnavailable')).toBe('Sorry, this service cannot take chats right now.');
  expect(customerText('en', 'transferred', { service: 'Sales' })).toBe('You are being transferred to Sales.');
});

test('German and French have every sentence, with the names in them', () => {
  expect(customerText('de', 'agentJoined', { agent: 'Alice' })).toBe('Alice ist dem Chat beigetreten.');
  expect(customerText('fr', 'customerLeft', { customer: 'Carole' })).toBe('Carole a quitté la discussion.');
  for (const lang of ['de', 'fr'])
    for (const k of KEYS) {
      const t = customerText(lang, k, { agent: 'A', customer: 'C', service: 'S' });
      expect(t).not.toBe(customerText('en', k, { agent: 'A', customer: 'C', service: 'S' }));
      expect(t.length).toBeGreaterThan(5);
    }
});

test('an unknown or hostile language falls back to English', () => {
  for (const bad of ['../../etc', 'es', 'DE', '', 42, null, undefined, { toString: () => 'de' }]) {
    expect(customerLanguage(bad)).toBeUndefined();
    expect(customerText(bad as string, 'serviceUnavailable')).toBe('Sorry, this service cannot take chats right now.');
  }
  expect(customerLanguage('fr')).toBe('fr');
});

test("a direct chat's end reads in English exactly as the direct-chat rules word it", () => {
  const keys = { unavailable: 'directUnavailable', timedOut: 'directTimedOut', declined: 'directDeclined' } as const;
  for (const [reason, key] of Object.entries(keys)) {
    expect(customerText('en', key, { agent: 'Bob Berg' })).toBe(directChatEndText(reason as keyof typeof keys, 'Bob Berg'));
    expect(customerText('de', key, { agent: 'Bob Berg' })).toMatch(/^Bob Berg .* Bitte versuchen Sie es später noch einmal\.$/);
  }
});

/** @jest-environment jsdom */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGS, pickLang, t, toLang, translatePage, type TextKey } from './i18n';
import { langQuery } from './loader-core';

test('every sentence exists in every language, and the placeholders match English', () => {
  const english = ['stateQueued', 'typing', 'chatWith', 'stateConnectedWith', 'stateQueuedWait'] as const;
  for (const lang of LANGS)
    for (const k of english) {
      const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(placeholders(t(lang, k))).toEqual(placeholders(t('en', k)));
    }
  expect(t('de', 'typing', { agent: 'Alice' })).toBe('Alice schreibt…');
  expect(t('fr', 'stateQueued', { position: 2 })).toBe('Vous êtes numéro 2 dans la file d’attente.');
  expect(t('en', 'stateEnded')).toBe('This chat has ended.');
});

test("every data-i18n key of the chat page is in the dictionary, and the page's English is the dictionary's", () => {
  const html = readFileSync(join(__dirname, 'chat.html'), 'utf8');
  document.documentElement.innerHTML = html.replace(/<script[^>]*><\/script>/g, '');
  const els = Array.from(document.querySelectorAll<HTMLElement>('[data-i18n]'));
  expect(els.length).toBeGreaterThan(15);
  for (const el of els) expect(el.textContent?.trim()).toBe(t('en', el.dataset.i18n as TextKey).trim());
  translatePage(document, 'de');
  expect(document.documentElement.lang).toBe('de');
  expect(document.getElementById('start')!.textContent).toBe('Chat starten');
  expect(document.getElementById('transcript')!.textContent).toBe('Verlauf herunterladen');
  expect(document.getElementById('input')!.getAttribute('placeholder')).toMatch(/^Nachricht schreiben/);
  expect(document.getElementById('chat')!.getAttribute('aria-label')).toBe('Unterhaltung');
  // The privacy link survives the translation (its text changes, the element stays).
  expect(document.getElementById('privacy')!.textContent).toBe('Datenschutzerklärung');
  translatePage(document, 'fr');
  expect(document.getElementById('end')!.textContent).toBe('Terminer la discussion');
});

test('the language: the first one spoken here of setting, page and browser; else English', () => {
  expect(toLang('de-CH')).toBe('de');
  expect(toLang('FR_be')).toBe('fr');
  expect(toLang('es')).toBeUndefined();
  expect(toLang('../../etc')).toBeUndefined();
  expect(toLang(42)).toBeUndefined();
  expect(pickLang(undefined, 'de-DE', 'fr')).toBe('de');
  expect(pickLang('fr', 'de-DE', 'en-US')).toBe('fr');
  expect(pickLang(undefined, 'es', 'fr-CA')).toBe('fr');
  expect(pickLang(undefined, '', 'ja')).toBe('en');
  expect(pickLang()).toBe('en');
});

test("the loader passes the host page's language to the chat, and only a well-formed tag", () => {
  const script = document.createElement('script');
  document.documentElement.lang = 'de-CH';
  expect(langQuery(script, document)).toBe('?lang=de-CH');
  script.dataset.lang = 'fr';
  expect(langQuery(script, document)).toBe('?lang=fr');
  script.dataset.lang = '"><script>';
  expect(langQuery(script, document)).toBe('');
  delete script.dataset.lang;
  document.documentElement.lang = '../../etc';
  expect(langQuery(script, document)).toBe('');
  document.documentElement.lang = '';
  expect(langQuery(script, document)).toBe('');
});

/** @jest-environment jsdom */
import { mount } from './loader-core';

test('the loader adds one host element with a closed shadow root, no globals, and opens the chat on demand', () => {
  const before = new Set(Object.keys(window));
  const script = document.createElement('script');
  script.src = 'https://stratus.example.com/interact/loader.js';
  script.dataset.code = 'support';
  document.body.append(script);
  const host = mount(script)!;
  expect(host).toBeDefined();
  expect(host.shadowRoot).toBeNull(); // closed: the host page cannot reach in
  expect(document.querySelectorAll('style').length).toBe(0); // no CSS in the host page
  expect(document.querySelectorAll('iframe').length).toBe(0);
  expect([...Object.keys(window)].filter((k) => !before.has(k))).toEqual([]);
});

test('a missing or odd code does nothing', () => {
  const script = document.createElement('script');
  script.src = 'https://stratus.example.com/interact/loader.js';
  script.dataset.code = '"><img src=x>';
  expect(mount(script)).toBeUndefined();
});

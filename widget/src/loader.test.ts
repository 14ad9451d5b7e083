/** @jest-environment jsdom */
import { mount } from './loader-core';

const ORIGIN = 'https://stratus.example.com';

function loaderScript(code: string, label?: string): HTMLScriptElement {
  const script = document.createElement('script');
  script.src = `${ORIGIN}/interact/loader.js`;
  script.dataset.code = code;
  if (label) script.dataset.label = label;
  document.body.append(script);
  return script;
}

/**
 * Mounts the loader and keeps the closed shadow root it attaches, the way only the loader itself
 * can see it: the test watches `attachShadow` (a platform method) for the length of the call.
 */
function mountAndPeek(script: HTMLScriptElement): { host: HTMLElement; root: ShadowRoot } {
  const attach = Element.prototype.attachShadow;
  let root: ShadowRoot | undefined;
  const spy = jest.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init: ShadowRootInit) {
    root = attach.call(this, init);
    return root;
  });
  try {
    const host = mount(script)!;
    expect(host).toBeDefined();
    expect(spy).toHaveBeenCalledWith({ mode: 'closed' });
    return { host, root: root! };
  } finally {
    spy.mockRestore();
  }
}

function parts(root: ShadowRoot) {
  return { button: root.querySelector('button')!, frame: root.querySelector('iframe')! };
}

afterEach(() => {
  document.body.replaceChildren();
});

test('the loader adds one host element with a closed shadow root and no globals, and loads nothing until asked', () => {
  const before = new Set(Object.keys(window));
  const host = mount(loaderScript('support'))!;
  expect(host).toBeDefined();
  expect(host.getAttribute('data-stratus-chat')).toBe('support');
  expect(document.querySelectorAll('[data-stratus-chat]')).toHaveLength(1);
  expect(host.shadowRoot).toBeNull(); // closed: the host page cannot reach in
  expect(document.querySelectorAll('style').length).toBe(0); // no CSS in the host page
  expect(document.querySelectorAll('iframe').length).toBe(0);
  expect([...Object.keys(window)].filter((k) => !before.has(k))).toEqual([]);
});

test('opens the chat on demand: the first click loads origin/interact/{code} and shows it, the second hides it without reloading', () => {
  const srcSet = jest.spyOn(HTMLIFrameElement.prototype, 'src', 'set');
  try {
    const { root } = mountAndPeek(loaderScript('support'));
    const { button, frame } = parts(root);
    expect(button.textContent).toBe('Chat with us');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(frame.hidden).toBe(true);
    expect(frame.getAttribute('src')).toBeNull(); // nothing is loaded before the customer asks
    expect(frame.title).toBe('Chat');

    button.click();
    expect(frame.src).toBe(`${ORIGIN}/interact/support`);
    expect(frame.hidden).toBe(false);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(button.textContent).toBe('Close chat');
    expect(root.activeElement).toBe(frame); // focus goes to the chat

    button.click();
    expect(frame.hidden).toBe(true);
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.textContent).toBe('Chat with us');
    expect(frame.src).toBe(`${ORIGIN}/interact/support`); // still loaded: the conversation survives closing

    button.click();
    expect(frame.hidden).toBe(false);
    expect(button.textContent).toBe('Close chat');
    expect(srcSet).toHaveBeenCalledTimes(1); // reopening does not reload the chat
  } finally {
    srcSet.mockRestore();
  }
});

test('a data-label names the launcher again after the chat is closed', () => {
  const { root } = mountAndPeek(loaderScript('bob', 'Ask Bob'));
  const { button, frame } = parts(root);
  expect(button.textContent).toBe('Ask Bob');
  button.click();
  expect(frame.src).toBe(`${ORIGIN}/interact/bob`);
  expect(button.textContent).toBe('Close chat');
  button.click();
  expect(button.textContent).toBe('Ask Bob');
});

test('without constructed stylesheets the styles go in a <style> element inside the shadow root', () => {
  // jsdom has neither CSSStyleSheet.replaceSync nor adoptedStyleSheets: the fallback branch.
  expect('replaceSync' in CSSStyleSheet.prototype).toBe(false);
  const { root } = mountAndPeek(loaderScript('support'));
  const styles = root.querySelectorAll('style');
  expect(styles).toHaveLength(1);
  expect(styles[0]!.textContent).toContain(':host{all:initial}');
  expect(styles[0]!.textContent).toContain('.p[hidden]{display:none}');
  expect(document.querySelectorAll('style')).toHaveLength(0);
});

test('with constructed stylesheets the styles are adopted, so no inline <style> is needed (strict style-src CSP)', () => {
  // Emulates a browser with constructable stylesheets on top of jsdom, for this test only.
  const texts = new WeakMap<CSSStyleSheet, string>();
  const adopted = new WeakMap<ShadowRoot, CSSStyleSheet[]>();
  Object.defineProperty(CSSStyleSheet.prototype, 'replaceSync', {
    configurable: true,
    value(this: CSSStyleSheet, text: string) {
      texts.set(this, text);
    },
  });
  Object.defineProperty(ShadowRoot.prototype, 'adoptedStyleSheets', {
    configurable: true,
    get(this: ShadowRoot) {
      return adopted.get(this) ?? [];
    },
    set(this: ShadowRoot, sheets: CSSStyleSheet[]) {
      adopted.set(this, sheets);
    },
  });
  try {
    const { root } = mountAndPeek(loaderScript('support'));
    expect(root.querySelectorAll('style')).toHaveLength(0);
    expect(root.adoptedStyleSheets).toHaveLength(1);
    const css = texts.get(root.adoptedStyleSheets[0]!);
    expect(css).toContain(':host{all:initial}');
    expect(css).toContain('.p[hidden]{display:none}');
    // The launcher still works on this branch.
    const { button, frame } = parts(root);
    button.click();
    expect(frame.hidden).toBe(false);
    expect(frame.src).toBe(`${ORIGIN}/interact/support`);
  } finally {
    delete (CSSStyleSheet.prototype as Partial<CSSStyleSheet>).replaceSync;
    delete (ShadowRoot.prototype as Partial<ShadowRoot>).adoptedStyleSheets;
  }
});

test('a missing or odd code does nothing', () => {
  const script = document.createElement('script');
  script.src = `${ORIGIN}/interact/loader.js`;
  script.dataset.code = '"><img src=x>';
  expect(mount(script)).toBeUndefined();
  expect(mount(null)).toBeUndefined();
  const noCode = document.createElement('script');
  noCode.src = script.src;
  expect(mount(noCode)).toBeUndefined();
  expect(document.querySelectorAll('[data-stratus-chat]')).toHaveLength(0);
});

test("on a German page the launcher speaks German and the chat opens with the page's language", () => {
  document.documentElement.lang = 'de-CH';
  try {
    const { root } = mountAndPeek(loaderScript('support'));
    const { button, frame } = parts(root);
    expect(button.textContent).toBe('Chatten Sie mit uns');
    button.click();
    expect(frame.src).toBe(`${ORIGIN}/interact/support?lang=de-CH`);
    expect(button.textContent).toBe('Chat schließen');
  } finally {
    document.documentElement.lang = '';
  }
});

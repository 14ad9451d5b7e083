/**
 * The embed script's work (loader.ts runs it): `<script src="https://stratus.example.com/interact/loader.js" data-code="support" async></script>`.
 * Adds a launcher button that opens the chat in an iframe. Everything lives in a closed shadow
 * root on one host element: no global variables, no CSS that touches the host page.
 */
const STYLE = `
:host{all:initial}
.b{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;padding:14px 20px;background:#4f52b2;color:#fff;font:600 15px system-ui,sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer}
.b:focus-visible{outline:3px solid #fff;outline-offset:-6px}
.p{position:fixed;right:20px;bottom:84px;z-index:2147483000;width:min(380px,calc(100vw - 40px));height:min(600px,calc(100vh - 110px));border:0;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff}
.p[hidden]{display:none}`;

/** The launcher's two labels (open, close) per language. */
const LAUNCHER: Record<string, [string, string]> = {
  en: ['Chat with us', 'Close chat'],
  de: ['Chatten Sie mit uns', 'Chat schließen'],
  fr: ['Discutez avec nous', 'Fermer la discussion'],
};

export function mount(script: HTMLScriptElement | null, doc: Document = document): HTMLElement | undefined {
  const code = script?.dataset.code;
  if (!script || !code || !/^[a-z0-9][a-z0-9-]{1,39}$/i.test(code)) return undefined;
  const origin = new URL(script.src, doc.baseURI).origin;
  const host = doc.createElement('div');
  host.setAttribute('data-stratus-chat', code);
  const root = host.attachShadow({ mode: 'closed' });
  // A constructed stylesheet is not an inline style, so a host page whose CSP has no
  // 'unsafe-inline' in style-src still shows the launcher styled; a <style> element otherwise.
  const win = doc.defaultView as (Window & typeof globalThis) | null;
  let style: HTMLStyleElement | undefined;
  if (win?.CSSStyleSheet && 'adoptedStyleSheets' in root && 'replaceSync' in win.CSSStyleSheet.prototype) {
    const sheet = new win.CSSStyleSheet();
    sheet.replaceSync(STYLE);
    root.adoptedStyleSheets = [sheet];
  } else {
    style = doc.createElement('style');
    style.textContent = STYLE;
  }
  // The launcher speaks the host page's language (the chat page has the full dictionary, i18n.ts).
  const words = LAUNCHER[(script.dataset.lang || doc.documentElement.lang || '').slice(0, 2).toLowerCase()] ?? LAUNCHER.en!;
  const button = doc.createElement('button');
  button.className = 'b';
  button.type = 'button';
  button.textContent = script.dataset.label || words[0];
  button.setAttribute('aria-expanded', 'false');
  const frame = doc.createElement('iframe');
  frame.className = 'p';
  frame.title = 'Chat';
  frame.hidden = true;
  let loaded = false;
  button.addEventListener('click', () => {
    const open = frame.hidden;
    if (open && !loaded) {
      frame.src = `${origin}/interact/${encodeURIComponent(code)}${langQuery(script, doc)}`;
      loaded = true;
    }
    frame.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? words[1] : script.dataset.label || words[0];
    if (open) frame.focus();
  });
  root.append(...(style ? [style] : []), frame, button);
  (doc.body ?? doc.documentElement).append(host);
  return host;
}

/**
 * The host page's language for the chat (`data-lang` on the script, else `<html lang>`), as
 * `?lang=de-CH`; only a well-formed language tag passes, the chat page keeps what it speaks.
 */
export function langQuery(script: HTMLScriptElement, doc: Document): string {
  const tag = (script.dataset.lang || doc.documentElement.lang || '').trim();
  return /^[a-z]{2,3}(?:-[a-z0-9]{1,8}){0,3}$/i.test(tag) ? `?lang=${encodeURIComponent(tag)}` : '';
}

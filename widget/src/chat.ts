/**
 * The customer chat page (`/interact/{code}`): pre-chat form, then the conversation, live through
 * the Interact SDK. Customer and agent text is only ever set as textContent, never as HTML. A
 * reload resumes the chat kept in sessionStorage; a dropped connection shows "Reconnecting" and
 * resumes without loss or duplicates. It speaks English, German and French (i18n.ts), shows when
 * the agent is typing, tells the agent what the customer has read, and offers the transcript;
 * after a chat an agent took, where the service asks, a rating form (five stars, a comment).
 */
import { StratusApiError, StratusChat, type ChatMessage, type ChatSession, type ChatStateEvent } from './sdk';
import { pickLang, t, translatePage, type Lang } from './i18n';
import { wireRating } from './rating';

/** How long "… is typing" stays without a new typing frame (the agent's client repeats it every few seconds). */
export const TYPING_SHOWN_MS = 6000;

/**
 * The admin's accent colour, with a text colour readable on it (WCAG relative luminance: dark
 * text on light accents). Anything but `#rrggbb` is ignored.
 */
export function applyAccent(doc: Document, color: string | undefined): void {
  if (!color || !/^#[0-9a-f]{6}$/i.test(color)) return;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(color.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  doc.documentElement.style.setProperty('--accent', color);
  doc.documentElement.style.setProperty('--on-accent', luminance > 0.4 ? '#1b1b1b' : '#ffffff');
}

export interface StartValues {
  name: string;
  email: string;
  consent: boolean;
  first: string;
}

export type FieldErrors = Partial<Record<'name' | 'email' | 'consent', string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks the pre-chat form as the server will, with messages a customer understands. */
export function validateStart(v: StartValues, lang: Lang = 'en'): FieldErrors {
  const errors: FieldErrors = {};
  if (!v.name.trim()) errors.name = t(lang, 'errName');
  if (!v.email.trim()) errors.email = t(lang, 'errEmail');
  else if (!EMAIL.test(v.email.trim())) errors.email = t(lang, 'errEmailFormat');
  if (!v.consent) errors.consent = t(lang, 'errConsent');
  return errors;
}

/** One message as a list item; all text through textContent. */
export function renderMessage(doc: Document, m: ChatMessage, lang: Lang = 'en'): HTMLLIElement {
  const li = doc.createElement('li');
  li.className = `msg ${m.from}`;
  li.dataset.seq = String(m.seq);
  const who = doc.createElement('span');
  who.className = 'who';
  who.textContent = m.from === 'customer' ? t(lang, 'you') : m.from === 'agent' ? (m.author ?? t(lang, 'agent')) : '';
  if (who.textContent) li.append(who);
  const text = doc.createElement('span');
  text.className = 'text';
  text.textContent = m.text;
  li.append(text);
  return li;
}

/** The state line: what the customer should know now. */
export function describeState(s: ChatStateEvent, lang: Lang = 'en'): string {
  switch (s.state) {
    case 'workflow':
      return t(lang, 'stateWorkflow');
    case 'queued':
      return s.position
        ? t(lang, 'stateQueued', { position: s.position }) +
            (s.estimatedWaitSec ? t(lang, 'stateQueuedWait', { minutes: Math.max(1, Math.round(s.estimatedWaitSec / 60)) }) : '')
        : t(lang, 'stateWaiting');
    case 'connected':
      return s.agentName ? t(lang, 'stateConnectedWith', { agent: s.agentName }) : t(lang, 'stateConnected');
    case 'ended':
      return t(lang, 'stateEnded');
  }
}

/** The language the embedding page passed (`?lang=`, from its `<html lang>`; the loader adds it). */
export function pageLangFrom(search: string): string | undefined {
  return new URLSearchParams(search).get('lang') ?? undefined;
}

/** The code from `/interact/{code}`. */
export function codeFromPath(path: string): string {
  const m = /^\/interact\/([^/]+)/.exec(path);
  return m ? decodeURIComponent(m[1] as string) : '';
}

const storageKey = (code: string) => `stratus-chat:${code}`;

function byId<T extends HTMLElement>(doc: Document, id: string): T {
  const el = doc.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el as T;
}

/** Wires the page. `chatFactory` is injected by tests. */
export async function mountChat(
  doc: Document,
  win: Window,
  chatFactory: (code: string) => StratusChat = (code) => new StratusChat({ code, baseUrl: win.location.origin }),
): Promise<void> {
  const code = codeFromPath(win.location.pathname);
  const app = byId(doc, 'app');
  const el = {
    title: byId(doc, 'title'),
    conn: byId(doc, 'conn'),
    prechat: byId<HTMLFormElement>(doc, 'prechat'),
    name: byId<HTMLInputElement>(doc, 'name'),
    email: byId<HTMLInputElement>(doc, 'email'),
    first: byId<HTMLTextAreaElement>(doc, 'first'),
    consent: byId<HTMLInputElement>(doc, 'consent'),
    privacy: byId<HTMLAnchorElement>(doc, 'privacy'),
    formError: byId(doc, 'form-error'),
    start: byId<HTMLButtonElement>(doc, 'start'),
    chat: byId(doc, 'chat'),
    state: byId(doc, 'state'),
    log: byId(doc, 'log'),
    typing: byId(doc, 'typing'),
    composer: byId<HTMLFormElement>(doc, 'composer'),
    input: byId<HTMLTextAreaElement>(doc, 'input'),
    send: byId<HTMLButtonElement>(doc, 'send'),
    sendError: byId(doc, 'send-error'),
    end: byId<HTMLButtonElement>(doc, 'end'),
    transcript: byId<HTMLButtonElement>(doc, 'transcript'),
    again: byId<HTMLButtonElement>(doc, 'new'),
    unavailable: byId(doc, 'unavailable'),
  };
  const chat = chatFactory(code);
  const storage = (() => {
    try {
      return win.sessionStorage;
    } catch {
      return undefined;
    }
  })();
  const save = () => {
    const s = chat.current;
    if (s && storage) storage.setItem(storageKey(code), JSON.stringify(s));
  };
  // Until the code's own setting is known: the embedding page's language, else the browser's.
  const pageLang = pageLangFrom(win.location.search);
  let lang: Lang = pickLang(pageLang, win.navigator?.language);
  translatePage(doc, lang);

  // The agent's messages the customer has on screen: reported as read while the page is visible.
  let newestShown = 0;
  const reportRead = () => {
    if (newestShown > 0 && doc.visibilityState !== 'hidden') chat.markRead(newestShown);
  };
  doc.addEventListener('visibilitychange', reportRead);

  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  const hideTyping = () => {
    if (typingTimer) clearTimeout(typingTimer);
    typingTimer = undefined;
    el.typing.hidden = true;
    el.typing.textContent = '';
  };
  chat.on('typing', (e) => {
    if (chat.isEnded) return;
    el.typing.textContent = e.agentName ? t(lang, 'typing', { agent: e.agentName }) : t(lang, 'typingSomeone');
    el.typing.hidden = false;
    if (typingTimer) clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, TYPING_SHOWN_MS);
  });

  const shown = new Set<number>();
  chat.on('message', (m) => {
    if (shown.has(m.seq)) return;
    shown.add(m.seq);
    if (m.from === 'agent') hideTyping();
    el.log.append(renderMessage(doc, m, lang));
    el.log.scrollTop = el.log.scrollHeight;
    newestShown = Math.max(newestShown, m.seq);
    reportRead();
    save();
  });
  // After the end: the rating form in place of the composer, kept over a reload while it stands.
  const rating = wireRating(doc, chat, {
    lang: () => lang,
    composer: el.composer,
    keep: save,
    forget: () => storage?.removeItem(storageKey(code)),
  });
  chat.on('state', (s) => {
    el.state.textContent = describeState(s, lang);
    if (s.state === 'ended') {
      hideTyping();
      el.input.disabled = true;
      el.send.disabled = true;
      el.end.hidden = true;
      el.again.hidden = false;
      el.transcript.hidden = !chat.current;
      el.conn.hidden = true;
      storage?.removeItem(storageKey(code));
      void rating.lookForRating();
    }
  });
  chat.on('connection', (c) => {
    el.conn.hidden = c.status !== 'reconnecting';
    el.conn.textContent = c.status === 'reconnecting' ? t(lang, 'reconnecting') : '';
  });
  chat.on('error', (e) => {
    if ([401, 403, 404].includes(e.status)) {
      storage?.removeItem(storageKey(code));
      hideTyping();
      el.state.textContent = t(lang, 'gone');
      el.input.disabled = true;
      el.send.disabled = true;
      el.again.hidden = false;
      el.end.hidden = true;
      el.transcript.hidden = true;
      rating.hide();
    } else el.sendError.textContent = e.message;
  });

  const showChat = () => {
    el.prechat.hidden = true;
    el.chat.hidden = false;
    el.input.focus();
  };

  app.setAttribute('aria-busy', 'false');
  let info;
  try {
    info = await chat.info();
  } catch {
    el.unavailable.hidden = false;
    return;
  }
  lang = pickLang(info.language, pageLang, win.navigator?.language);
  translatePage(doc, lang);
  const title = info.title ?? t(lang, 'chatWith', { name: info.name });
  el.title.textContent = title;
  doc.title = title;
  if (info.greeting) byId(doc, 'intro').textContent = info.greeting;
  applyAccent(doc, info.color);
  if (info.privacyPolicyUrl && /^https?:\/\//.test(info.privacyPolicyUrl)) el.privacy.href = info.privacyPolicyUrl;
  else el.privacy.removeAttribute('href');

  const kept = storage?.getItem(storageKey(code));
  if (kept) {
    try {
      const s = JSON.parse(kept) as ChatSession;
      // Start from scratch on screen: the SDK replays the history after seq 0 and then goes live.
      chat.resume({ ...s, lastSeq: 0 });
      showChat();
    } catch {
      storage?.removeItem(storageKey(code));
    }
  }
  if (!kept) {
    el.prechat.hidden = false;
    el.name.focus();
  }

  el.prechat.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const values: StartValues = { name: el.name.value, email: el.email.value, consent: el.consent.checked, first: el.first.value };
    const errors = validateStart(values, lang);
    for (const f of ['name', 'email', 'consent'] as const) {
      byId(doc, `${f}-error`).textContent = errors[f] ?? '';
      el[f].setAttribute('aria-invalid', errors[f] ? 'true' : 'false');
    }
    el.formError.textContent = '';
    const firstBad = (['name', 'email', 'consent'] as const).find((f) => errors[f]);
    if (firstBad) {
      el[firstBad].focus();
      return;
    }
    el.start.disabled = true;
    void chat
      .start({
        displayName: values.name.trim(),
        email: values.email.trim(),
        privacyAccepted: true,
        language: lang,
        ...(values.first.trim() ? { message: values.first.trim() } : {}),
      })
      .then(() => {
        save();
        showChat();
      })
      .catch((e: unknown) => {
        el.formError.textContent = e instanceof StratusApiError ? e.message : t(lang, 'errStart');
      })
      .finally(() => {
        el.start.disabled = false;
      });
  });

  const sendNow = () => {
    const text = el.input.value.trim();
    if (!text || chat.isEnded) return;
    el.sendError.textContent = '';
    el.input.value = '';
    void chat.send(text).catch((e: unknown) => {
      el.input.value = text;
      el.sendError.textContent = e instanceof StratusApiError ? e.message : t(lang, 'errSend');
    });
  };
  el.composer.addEventListener('submit', (ev) => {
    ev.preventDefault();
    sendNow();
  });
  el.input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      sendNow();
    }
  });
  // Typing: the SDK tells the agent at most every 3 s.
  el.input.addEventListener('input', () => {
    if (el.input.value.trim()) chat.typing();
  });
  el.end.addEventListener('click', () => {
    void chat.end().catch((e: unknown) => {
      el.sendError.textContent = e instanceof StratusApiError ? e.message : t(lang, 'errEnd');
    });
  });
  el.transcript.addEventListener('click', () => {
    el.sendError.textContent = '';
    void chat
      .transcript()
      .then(({ blob, filename }) => downloadBlob(doc, win, blob, filename))
      .catch(() => {
        el.sendError.textContent = t(lang, 'transcriptFailed');
      });
  });
  el.again.addEventListener('click', () => {
    storage?.removeItem(storageKey(code));
    win.location.reload();
  });
}

/** Saves a blob as a file through a temporary `<a download>` (works inside the iframe, no pop-up). */
export function downloadBlob(doc: Document, win: Window, blob: Blob, filename: string): void {
  const { URL } = win as Window & typeof globalThis;
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

if (typeof document !== 'undefined' && document.getElementById('app') && !(globalThis as { __STRATUS_TEST__?: boolean }).__STRATUS_TEST__) {
  void mountChat(document, window);
}

/**
 * The customer chat page (`/interact/{code}`): pre-chat form, then the conversation, live through
 * the Interact SDK. Customer and agent text is only ever set as textContent, never as HTML. A
 * reload resumes the chat kept in sessionStorage; a dropped connection shows "Reconnecting" and
 * resumes without loss or duplicates.
 */
import { StratusApiError, StratusChat, type ChatMessage, type ChatSession, type ChatStateEvent } from './sdk';

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
export function validateStart(v: StartValues): FieldErrors {
  const errors: FieldErrors = {};
  if (!v.name.trim()) errors.name = 'Please enter your name.';
  if (!v.email.trim()) errors.email = 'Please enter your email address.';
  else if (!EMAIL.test(v.email.trim())) errors.email = 'Please enter a valid email address, like name@example.com.';
  if (!v.consent) errors.consent = 'Please agree to the privacy policy to start a chat.';
  return errors;
}

/** One message as a list item; all text through textContent. */
export function renderMessage(doc: Document, m: ChatMessage): HTMLLIElement {
  const li = doc.createElement('li');
  li.className = `msg ${m.from}`;
  li.dataset.seq = String(m.seq);
  const who = doc.createElement('span');
  who.className = 'who';
  who.textContent = m.from === 'customer' ? 'You' : m.from === 'agent' ? (m.author ?? 'Agent') : '';
  if (who.textContent) li.append(who);
  const text = doc.createElement('span');
  text.className = 'text';
  text.textContent = m.text;
  li.append(text);
  return li;
}

/** The state line: what the customer should know now. */
export function describeState(s: ChatStateEvent): string {
  switch (s.state) {
    case 'workflow':
      return 'Connecting you…';
    case 'queued':
      return s.position
        ? `You are number ${s.position} in the queue.${s.estimatedWaitSec ? ` About ${Math.max(1, Math.round(s.estimatedWaitSec / 60))} min.` : ''}`
        : 'Waiting for the next free agent…';
    case 'connected':
      return s.agentName ? `You are chatting with ${s.agentName}.` : 'You are connected.';
    case 'ended':
      return 'This chat has ended.';
  }
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
    composer: byId<HTMLFormElement>(doc, 'composer'),
    input: byId<HTMLTextAreaElement>(doc, 'input'),
    send: byId<HTMLButtonElement>(doc, 'send'),
    sendError: byId(doc, 'send-error'),
    end: byId<HTMLButtonElement>(doc, 'end'),
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

  const shown = new Set<number>();
  chat.on('message', (m) => {
    if (shown.has(m.seq)) return;
    shown.add(m.seq);
    el.log.append(renderMessage(doc, m));
    el.log.scrollTop = el.log.scrollHeight;
    save();
  });
  chat.on('state', (s) => {
    el.state.textContent = describeState(s);
    if (s.state === 'ended') {
      el.input.disabled = true;
      el.send.disabled = true;
      el.end.hidden = true;
      el.again.hidden = false;
      el.conn.hidden = true;
      storage?.removeItem(storageKey(code));
    }
  });
  chat.on('connection', (c) => {
    el.conn.hidden = c.status !== 'reconnecting';
    el.conn.textContent = c.status === 'reconnecting' ? 'Reconnecting…' : '';
  });
  chat.on('error', (e) => {
    if ([401, 403, 404].includes(e.status)) {
      storage?.removeItem(storageKey(code));
      el.state.textContent = 'This chat is no longer available.';
      el.input.disabled = true;
      el.send.disabled = true;
      el.again.hidden = false;
      el.end.hidden = true;
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
  const title = info.title ?? `Chat with ${info.name}`;
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
    const errors = validateStart(values);
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
        ...(values.first.trim() ? { message: values.first.trim() } : {}),
      })
      .then(() => {
        save();
        showChat();
      })
      .catch((e: unknown) => {
        el.formError.textContent =
          e instanceof StratusApiError ? e.message : 'The chat could not be started. Please check your connection and try again.';
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
      el.sendError.textContent = e instanceof StratusApiError ? e.message : 'Your message was not sent. Please try again.';
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
  el.end.addEventListener('click', () => {
    void chat.end().catch((e: unknown) => {
      el.sendError.textContent = e instanceof StratusApiError ? e.message : 'The chat could not be ended. Please try again.';
    });
  });
  el.again.addEventListener('click', () => {
    storage?.removeItem(storageKey(code));
    win.location.reload();
  });
}

if (typeof document !== 'undefined' && document.getElementById('app') && !(globalThis as { __STRATUS_TEST__?: boolean }).__STRATUS_TEST__) {
  void mountChat(document, window);
}

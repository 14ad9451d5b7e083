/** @jest-environment jsdom */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
(globalThis as { __STRATUS_TEST__?: boolean }).__STRATUS_TEST__ = true;
import { applyAccent, describeState, mountChat, renderMessage, validateStart } from './chat';
import { StratusApiError, type StratusChat } from './sdk';

function page(): void {
  const html = readFileSync(join(__dirname, 'chat.html'), 'utf8');
  document.documentElement.innerHTML = html.replace(/<script[^>]*><\/script>/g, '');
}

/** A stand-in for the SDK that records calls and lets the test emit events. */
function fakeChat() {
  const handlers: Record<string, ((e: any) => void)[]> = {};
  const calls: {
    start?: any;
    send: string[];
    typing: number;
    read: number[];
    transcript: number;
    rate: [number, string | undefined][];
    status: any;
    rateError?: Error;
  } = {
    send: [],
    typing: 0,
    read: [],
    transcript: 0,
    rate: [],
    status: { state: 'ended' },
  };
  const chat = {
    on: (k: string, fn: (e: any) => void) => ((handlers[k] ??= []).push(fn), () => undefined),
    info: async () => ({
      code: 'support',
      kind: 'service',
      name: 'Support <b>Desk</b>',
      privacyPolicyUrl: 'https://contoso.example/privacy',
    }),
    start: async (o: any) => {
      calls.start = o;
      return { chatId: 'c1', token: 't', lastSeq: 0 };
    },
    send: async (t: string) => {
      calls.send.push(t);
      return { id: 'm', seq: 1 };
    },
    end: async () => undefined,
    resume: () => undefined,
    typing: () => void (calls.typing += 1),
    markRead: (seq: number) => void calls.read.push(seq),
    transcript: async () => {
      calls.transcript += 1;
      return { blob: new Blob(['[2026-12-03 10:00 UTC] Carol: Hallo\r\n'], { type: 'text/plain' }), filename: 'chat-2026-12-03.txt' };
    },
    status: async () => calls.status,
    rate: async (rating: number, comment?: string) => {
      calls.rate.push([rating, comment]);
      if (calls.rateError) throw calls.rateError;
      return { given: rating };
    },
    get current() {
      return { chatId: 'c1', token: 't', lastSeq: 0 };
    },
    isEnded: false,
  };
  return { chat: chat as unknown as StratusChat, calls, emit: (k: string, e: unknown) => handlers[k]?.forEach((fn) => fn(e)) };
}

beforeEach(() => {
  page();
  window.history.pushState({}, '', '/interact/support');
  sessionStorage.clear();
});

test('a customer name or message with markup is shown as text, never as HTML', () => {
  const li = renderMessage(document, {
    id: '1',
    seq: 1,
    from: 'agent',
    author: '<img src=x onerror=alert(1)>',
    text: '<img src=x onerror=alert(1)>',
    at: '',
  });
  expect(li.querySelector('img')).toBeNull();
  expect(li.textContent).toContain('<img src=x onerror=alert(1)>');
});

test('the pre-chat form explains what is missing', () => {
  expect(validateStart({ name: ' ', email: 'nope', consent: false, first: '' })).toEqual({
    name: 'Please enter your name.',
    email: expect.stringContaining('valid email'),
    consent: expect.stringContaining('privacy policy'),
  });
  expect(validateStart({ name: 'Carol', email: 'carol@example.com', consent: true, first: '' })).toEqual({});
});

test('states read as a customer would expect', () => {
  expect(describeState({ state: 'queued', position: 2 })).toBe('You are number 2 in the queue.');
  expect(describeState({ state: 'connected', agentName: 'Alice' })).toBe('You are chatting with Alice.');
  expect(describeState({ state: 'ended' })).toBe('This chat has ended.');
});

test('the page: invalid form shows errors; a valid one starts the chat; Enter sends; the agent name shows as text', async () => {
  const f = fakeChat();
  await mountChat(document, window, () => f.chat);
  expect(document.getElementById('title')!.textContent).toBe('Chat with Support <b>Desk</b>');
  expect(document.querySelector('#title b')).toBeNull();
  expect((document.getElementById('privacy') as HTMLAnchorElement).href).toBe('https://contoso.example/privacy');
  const form = document.getElementById('prechat') as HTMLFormElement;
  form.dispatchEvent(new Event('submit', { cancelable: true }));
  expect(document.getElementById('name-error')!.textContent).toBe('Please enter your name.');
  expect(document.getElementById('consent-error')!.textContent).toContain('privacy policy');
  expect(f.calls.start).toBeUndefined();
  (document.getElementById('name') as HTMLInputElement).value = '<img src=x onerror=alert(1)>';
  (document.getElementById('email') as HTMLInputElement).value = 'carol@example.com';
  (document.getElementById('consent') as HTMLInputElement).checked = true;
  form.dispatchEvent(new Event('submit', { cancelable: true }));
  await new Promise((r) => setTimeout(r, 0));
  expect(f.calls.start).toMatchObject({ displayName: '<img src=x onerror=alert(1)>', email: 'carol@example.com', privacyAccepted: true });
  expect(document.getElementById('chat')!.hidden).toBe(false);
  const input = document.getElementById('input') as HTMLTextAreaElement;
  input.value = 'hello there';
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', cancelable: true }));
  expect(f.calls.send).toEqual(['hello there']);
  f.emit('state', { state: 'connected', agentName: '<script>x</script>Alice' });
  expect(document.getElementById('state')!.textContent).toBe('You are chatting with <script>x</script>Alice.');
  expect(document.querySelector('#state script')).toBeNull();
  f.emit('connection', { status: 'reconnecting' });
  expect(document.getElementById('conn')!.hidden).toBe(false);
  f.emit('state', { state: 'ended' });
  expect((document.getElementById('input') as HTMLTextAreaElement).disabled).toBe(true);
});

test("the admin's title, greeting and colour show, with text readable on the colour; markup stays text", async () => {
  const f = fakeChat();
  const info = {
    code: 'billing',
    kind: 'service',
    name: 'Billing',
    title: 'Billing <i>help</i>',
    greeting: 'Hi! We answer in minutes.',
    color: '#ffd335',
  };
  (f.chat as unknown as { info: () => Promise<unknown> }).info = async () => info;
  await mountChat(document, window, () => f.chat);
  expect(document.getElementById('title')?.textContent).toBe('Billing <i>help</i>');
  expect(document.getElementById('title')?.querySelector('i')).toBeNull();
  expect(document.title).toBe('Billing <i>help</i>');
  expect(document.getElementById('intro')?.textContent).toBe('Hi! We answer in minutes.');
  const style = document.documentElement.style;
  expect(style.getPropertyValue('--accent')).toBe('#ffd335');
  // A light yellow takes dark text; a dark blue white text; anything else is ignored.
  expect(style.getPropertyValue('--on-accent')).toBe('#1b1b1b');
  applyAccent(document, '#1a237e');
  expect(style.getPropertyValue('--on-accent')).toBe('#ffffff');
  applyAccent(document, 'red; background: url(x)');
  expect(style.getPropertyValue('--accent')).toBe('#1a237e');
});

describe('in German, with typing, read marks and the transcript', () => {
  const agentMessage = (seq: number, text: string) => ({ id: `m${seq}`, seq, from: 'agent', author: 'Alice', text, at: '' });

  test("the page language (from the loader's ?lang=) turns the whole page German and the chat starts in German", async () => {
    window.history.pushState({}, '', '/interact/support?lang=de-AT');
    const f = fakeChat();
    await mountChat(document, window, () => f.chat);
    expect(document.documentElement.lang).toBe('de');
    expect(document.getElementById('title')!.textContent).toBe('Chat mit Support <b>Desk</b>');
    expect(document.getElementById('start')!.textContent).toBe('Chat starten');
    document.getElementById('prechat')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(document.getElementById('name-error')!.textContent).toBe('Bitte geben Sie Ihren Namen ein.');
    (document.getElementById('name') as HTMLInputElement).value = 'Greta';
    (document.getElementById('email') as HTMLInputElement).value = 'greta@example.com';
    (document.getElementById('consent') as HTMLInputElement).checked = true;
    document.getElementById('prechat')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await new Promise((r) => setTimeout(r, 0));
    expect(f.calls.start).toMatchObject({ displayName: 'Greta', language: 'de' });
    f.emit('state', { state: 'queued', position: 2 });
    expect(document.getElementById('state')!.textContent).toBe('Sie sind Nummer 2 in der Warteschlange.');
  });

  test("the code's own language wins over the page's and the browser's", async () => {
    window.history.pushState({}, '', '/interact/support?lang=de');
    const f = fakeChat();
    const info = await (f.chat as unknown as { info: () => Promise<object> }).info();
    (f.chat as unknown as { info: () => Promise<unknown> }).info = async () => ({ ...info, language: 'fr' });
    await mountChat(document, window, () => f.chat);
    expect(document.getElementById('start')!.textContent).toBe('Démarrer la discussion');
  });

  test('typing: the agent is told while the customer types; "… schreibt" shows for 6 s, until the agent\'s message', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      window.history.pushState({}, '', '/interact/support?lang=de');
      const f = fakeChat();
      await mountChat(document, window, () => f.chat);
      const input = document.getElementById('input') as HTMLTextAreaElement;
      input.value = 'Hal';
      input.dispatchEvent(new Event('input'));
      expect(f.calls.typing).toBe(1);
      const typing = document.getElementById('typing')!;
      f.emit('typing', { agentName: 'Alice <b>A</b>' });
      expect(typing.hidden).toBe(false);
      expect(typing.textContent).toBe('Alice <b>A</b> schreibt…');
      expect(typing.querySelector('b')).toBeNull();
      jest.advanceTimersByTime(5900);
      expect(typing.hidden).toBe(false);
      jest.advanceTimersByTime(200);
      expect(typing.hidden).toBe(true);
      f.emit('typing', {});
      expect(typing.textContent).toBe('Der Mitarbeiter schreibt…');
      f.emit('message', agentMessage(3, 'Hallo!'));
      expect(typing.hidden).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  test("the agent's messages are reported read while the page is visible, and when it becomes visible again", async () => {
    const f = fakeChat();
    await mountChat(document, window, () => f.chat);
    let state: DocumentVisibilityState = 'visible';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    f.emit('message', agentMessage(2, 'One'));
    expect(f.calls.read).toEqual([2]);
    state = 'hidden';
    f.emit('message', agentMessage(3, 'Two'));
    expect(f.calls.read).toEqual([2]);
    state = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    expect(f.calls.read).toEqual([2, 3]);
    delete (document as unknown as { visibilityState?: unknown }).visibilityState;
  });

  test('once the chat ended, "Download transcript" saves the file through an <a download>', async () => {
    const f = fakeChat();
    const created: string[] = [];
    const clicked: { download: string; href: string }[] = [];
    const url = window.URL as unknown as { createObjectURL?: unknown; revokeObjectURL?: unknown };
    url.createObjectURL = () => (created.push('blob:x'), 'blob:x');
    url.revokeObjectURL = () => undefined;
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ download: this.download, href: this.href });
    });
    try {
      await mountChat(document, window, () => f.chat);
      const button = document.getElementById('transcript') as HTMLButtonElement;
      expect(button.hidden).toBe(true);
      f.emit('state', { state: 'ended' });
      expect(button.hidden).toBe(false);
      expect(button.textContent).toBe('Download transcript');
      button.click();
      await new Promise((r) => setTimeout(r, 0));
      expect(f.calls.transcript).toBe(1);
      expect(clicked).toEqual([{ download: 'chat-2026-12-03.txt', href: 'blob:x' }]);
      expect(document.querySelector('a[download]')).toBeNull(); // the temporary link is gone again
    } finally {
      click.mockRestore();
    }
  });
});

describe('the rating after the chat', () => {
  const tick = () => new Promise((r) => setTimeout(r, 0));
  const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
  const star = (n: number) => $<HTMLInputElement>(`star-${n}`);

  test('asked: five labelled stars replace the composer; Send without a star explains; a rating thanks and forgets the chat', async () => {
    const f = fakeChat();
    f.calls.status = { state: 'ended', rating: { asked: true } };
    await mountChat(document, window, () => f.chat);
    expect($('rating').hidden).toBe(true);
    f.emit('state', { state: 'ended' });
    await tick();
    expect($('rating').hidden).toBe(false);
    expect($('composer').hidden).toBe(true);
    // Kept over a reload while the form stands.
    expect(sessionStorage.getItem('stratus-chat:support')).toContain('"chatId":"c1"');
    const names = [1, 2, 3, 4, 5].map((n) => document.querySelector(`label[for="star-${n}"]`)!.textContent);
    expect(names).toEqual(['★1 star: poor', '★2 stars', '★3 stars', '★4 stars', '★5 stars: excellent']);
    expect(document.querySelector('#rating legend')!.textContent).toBe('How would you rate this chat?');

    $('rating').dispatchEvent(new Event('submit', { cancelable: true }));
    expect($('rating-error').textContent).toBe('Please choose from 1 to 5 stars.');
    expect(document.activeElement).toBe(star(1));
    expect(f.calls.rate).toEqual([]);

    star(4).click();
    const lit = [1, 2, 3, 4, 5].map((n) => document.querySelector(`label[for="star-${n}"]`)!.classList.contains('on'));
    expect(lit).toEqual([true, true, true, true, false]);
    expect($('rating-error').textContent).toBe('');
    $<HTMLTextAreaElement>('rating-comment').value = '<b>Quick</b> and kind';
    $<HTMLButtonElement>('rating-send').focus();
    $('rating').dispatchEvent(new Event('submit', { cancelable: true }));
    await tick();
    expect(f.calls.rate).toEqual([[4, '<b>Quick</b> and kind']]);
    expect($('rating').hidden).toBe(true);
    expect($('composer').hidden).toBe(true);
    expect($('rating-thanks').textContent).toBe('Thank you for your rating!');
    expect(document.activeElement).toBe($('rating-thanks'));
    expect(sessionStorage.getItem('stratus-chat:support')).toBeNull();
  });

  test('in German; a failed send can be tried again; rated in another tab reads as thanks', async () => {
    window.history.pushState({}, '', '/interact/support?lang=de');
    const f = fakeChat();
    f.calls.status = { state: 'ended', rating: { asked: true } };
    await mountChat(document, window, () => f.chat);
    f.emit('state', { state: 'ended' });
    await tick();
    expect(document.querySelector('#rating legend')!.textContent).toBe('Wie bewerten Sie diesen Chat?');
    expect($('rating-send').textContent).toBe('Bewertung senden');
    star(2).click();
    f.calls.rateError = new StratusApiError(503, 'unavailable', 'try later');
    $('rating').dispatchEvent(new Event('submit', { cancelable: true }));
    await tick();
    expect($('rating-error').textContent).toBe('Ihre Bewertung wurde nicht gesendet. Bitte versuchen Sie es noch einmal.');
    expect($('rating').hidden).toBe(false);
    expect($<HTMLButtonElement>('rating-send').disabled).toBe(false);
    f.calls.rateError = new StratusApiError(409, 'already_rated', 'rated');
    $('rating').dispatchEvent(new Event('submit', { cancelable: true }));
    await tick();
    expect($('rating').hidden).toBe(true);
    expect($('rating-thanks').textContent).toBe('Vielen Dank für Ihre Bewertung!');
  });

  test('not asked (or the status fails): no form, the ended chat is forgotten; already given: the thanks', async () => {
    for (const status of [{ state: 'ended' }, new Error('offline')]) {
      page();
      sessionStorage.setItem('stratus-chat:support', JSON.stringify({ chatId: 'c1', token: 't', lastSeq: 3 }));
      const f = fakeChat();
      (f.chat as unknown as { status: () => Promise<unknown> }).status = async () => {
        if (status instanceof Error) throw status;
        return status;
      };
      await mountChat(document, window, () => f.chat);
      f.emit('state', { state: 'ended' });
      await tick();
      expect($('rating').hidden).toBe(true);
      expect($('composer').hidden).toBe(false);
      expect(sessionStorage.getItem('stratus-chat:support')).toBeNull();
    }
    page();
    const f = fakeChat();
    f.calls.status = { state: 'ended', rating: { given: 5 } };
    await mountChat(document, window, () => f.chat);
    f.emit('state', { state: 'ended' });
    await tick();
    expect($('rating').hidden).toBe(true);
    expect($('rating-thanks').textContent).toBe('Thank you for your rating!');
  });
});

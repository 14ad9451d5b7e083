/** @jest-environment jsdom */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
(globalThis as { __STRATUS_TEST__?: boolean }).__STRATUS_TEST__ = true;
import { applyAccent, describeState, mountChat, renderMessage, validateStart } from './chat';
import type { StratusChat } from './sdk';

function page(): void {
  const html = readFileSync(join(__dirname, 'chat.html'), 'utf8');
  document.documentElement.innerHTML = html.replace(/<script[^>]*><\/script>/g, '');
}

/** A stand-in for the SDK that records calls and lets the test emit events. */
function fakeChat() {
  const handlers: Record<string, ((e: any) => void)[]> = {};
  const calls: { start?: any; send: string[] } = { send: [] };
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

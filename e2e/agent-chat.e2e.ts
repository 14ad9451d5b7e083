/**
 * The agent's side of the chat in a real browser (issue 14): a website customer (through the
 * customer API and its live socket) types and reads; the agent in My Sessions sees "is typing…",
 * inserts a canned response by typing `/`, sees it read, ends the chat and files the wrap-up;
 * the agent's own responses are edited in Settings. axe finds no serious or critical violation.
 * Screenshots go to test-results/agent-*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { openCustomerSocket, startHarness, waitFor, type Harness } from '../bot/test/harness';

const shots = join(__dirname, '..', 'test-results');
mkdirSync(shots, { recursive: true });

let h: Harness;
let browser: Browser;
const problems: string[] = [];

function tenant(): TenantConfig {
  const t = demoTenant();
  const support = t.services[0]!;
  return {
    ...t,
    services: [
      {
        ...support,
        im: {
          ...support.im,
          chat: {
            wrapUp: { seconds: 120, reasons: ['Callback promised'] },
            cannedResponses: [
              { id: 'ship', title: 'Ships today', text: 'Hello {customer}, your parcel ships today. {agent}' },
              { id: 'thanks', title: 'Thanks', text: 'Thank you for waiting, {customer}.' },
            ],
          },
        },
      },
      t.services[1]!,
    ],
  };
}

async function newPage(): Promise<Page> {
  // Its own context: axe needs one made with browser.newContext().
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  // teams-js fetches a file from Microsoft's CDN when imported: answer it locally.
  await page.route(/^https:\/\/(res\.cdn\.office\.net|.*\.microsoft\.com)\//, (r) =>
    r.fulfill({ status: 200, contentType: 'application/json', body: '{}' }),
  );
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // A renderer crash shows in the test only as "Target page ... has been closed": say so.
  page.on('crash', () => console.error(`the page at ${page.url()} crashed`));
  return page;
}

async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

beforeAll(async () => {
  h = await startHarness({ tenants: [tenant()], env: { STRATUS_DEV_MODE: 'true', LOG_LEVEL: 'error' } });
  // Bob is off duty: every offer goes to Alice.
  await h.call('POST', '/api/agent/me/duty', { onDuty: false }, await h.devToken('bob@contoso.com'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

test('the agent sees the customer typing, answers with a canned response, sees it read, ends and files the wrap-up', async () => {
  const alice = await newPage();
  await alice.goto(`${h.url}/tab/`);
  await alice.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 15_000 });
  await alice.getByLabel('Agent').selectOption('alice@contoso.com');
  await alice.getByRole('button', { name: 'Sign in' }).click();
  await alice.getByRole('heading', { name: 'My Sessions' }).waitFor();

  const start = await h.call('POST', '/api/interact/support/chats', {
    displayName: 'Carol',
    email: 'carol@example.com',
    privacyAccepted: true,
    message: 'Where is my parcel?',
  });
  expect(start.status).toBe(201);
  const chat = start.data as { chatId: string; token: string };
  const { ws, frames } = await openCustomerSocket(h.url, chat.chatId, chat.token);

  const offer = alice.getByRole('article', { name: 'Offer from Carol' });
  await offer.waitFor({ timeout: 15_000 });
  await offer.getByRole('button', { name: 'Accept' }).click();
  const pane = alice.getByRole('region', { name: 'Chat with Carol' });
  await pane.waitFor();

  // The customer types: the agent sees it for a few seconds.
  ws.send(JSON.stringify({ type: 'typing' }));
  await alice.getByText('Carol is typing…').waitFor({ timeout: 10_000 });
  await alice.screenshot({ path: join(shots, 'agent-typing.png') });

  // `/` opens the canned responses; typing filters; Enter inserts with the names filled in.
  const answer = alice.getByRole('textbox', { name: 'Your answer' });
  await answer.click();
  await answer.pressSequentially('/');
  const picker = alice.getByRole('listbox', { name: 'Canned responses' });
  await picker.waitFor();
  expect(await picker.getByRole('option').count()).toBe(2);
  await answer.pressSequentially('sh');
  await waitFor('the filter', async () => (await picker.getByRole('option').count()) === 1);
  await alice.screenshot({ path: join(shots, 'agent-canned-picker.png') });
  await answer.press('Enter');
  expect(await answer.inputValue()).toBe('Hello Carol, your parcel ships today. Alice Anders');
  // Agent typing reached the customer while the agent wrote the slash command? No: only real text counts.
  await answer.press('End');
  await answer.pressSequentially(' :)');
  await waitFor('the agent typing frame', () => frames.some((f) => f.type === 'typing' && f.agentName === 'Alice Anders'));
  await answer.press('Enter');
  const sent = await waitFor('the canned answer at the customer', () =>
    frames.find((f) => f.type === 'message' && f.message.from === 'agent' && f.message.text.includes('ships today')),
  );
  expect(sent.message.text).toBe('Hello Carol, your parcel ships today. Alice Anders :)');
  await pane.getByText('Sent', { exact: true }).waitFor();

  // The customer has read it: the agent's message shows read.
  ws.send(JSON.stringify({ type: 'read', seq: sent.message.seq }));
  await pane.getByText('Read', { exact: true }).waitFor({ timeout: 10_000 });
  await alice.screenshot({ path: join(shots, 'agent-read.png') });
  expect(await seriousViolations(alice)).toEqual([]);

  // End: the wrap-up form appears with the service's reason, and the time before the next chat.
  await alice.getByRole('button', { name: 'End and mark as handled' }).click();
  const form = alice.getByRole('form', { name: 'Wrap-up' });
  await form.waitFor({ timeout: 10_000 });
  await form.getByText(/Next chat in/).waitFor();
  await form.getByRole('radio', { name: 'Callback promised' }).check();
  await form.getByRole('textbox', { name: /Note/ }).fill('Call back at 5 <b>pm</b>');
  await alice.screenshot({ path: join(shots, 'agent-wrapup-form.png') });
  expect(await seriousViolations(alice)).toEqual([]);
  await form.getByRole('button', { name: 'Save wrap-up' }).click();
  await form.getByText('Saved: Callback promised').waitFor({ timeout: 10_000 });
  await alice.screenshot({ path: join(shots, 'agent-wrapup-saved.png') });
  const report = await waitFor('the reporting session', async () =>
    ((await h.call('GET', '/api/reporting/sessions', undefined, await h.devToken('alice@contoso.com'))).data.sessions as any[]).find(
      (s) => s.conversationId === chat.chatId && s.wrapUp?.filedAt,
    ),
  );
  expect(report.wrapUp).toMatchObject({ outcome: 'Callback promised', note: 'Call back at 5 <b>pm</b>' });

  // Settings: the agent's own responses, shown as text.
  await alice.getByRole('button', { name: 'Settings' }).click();
  const dialog = alice.getByRole('dialog', { name: 'Settings' });
  await dialog.waitFor();
  await dialog.getByRole('textbox', { name: /Name/ }).fill('later');
  await dialog.getByRole('textbox', { name: 'Title' }).fill('Later <script>');
  await dialog.getByRole('textbox', { name: 'Text' }).fill('I will write again later, {customer}.');
  await dialog.getByRole('button', { name: 'Add response' }).click();
  await dialog.getByText('/later · Later <script>').waitFor();
  await alice.screenshot({ path: join(shots, 'agent-settings.png') });
  expect(await seriousViolations(alice)).toEqual([]);
  await dialog.getByRole('button', { name: 'Close' }).click();

  expect(await alice.locator('b').count()).toBe(0);
  expect(problems).toEqual([]);
  ws.close();
  await alice.close();
});

/**
 * The customer's side in a real browser, in German: a shop page with `<html lang="de">` embeds the
 * loader, the chat opens in German, the agent's typing shows, the agent's messages are reported
 * read, and once the chat ended the transcript downloads as a file. Screenshots go to
 * test-results/widget-de-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { events } from '@stratus/shared/contract/events';
import { inTx } from '../bot/runtime/uow';
import { openAgentStream, startHarness, waitFor, type Harness } from '../bot/test/harness';

const shots = join(__dirname, '..', 'test-results');
mkdirSync(shots, { recursive: true });

let h: Harness;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  h = await startHarness({ env: { STRATUS_DEV_MODE: 'true', LOG_LEVEL: 'error' } });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

/**
 * A German shop page with the Stratus loader, served by the browser's router on an origin of its
 * own (`localhost` where the server is `127.0.0.1`). A routed page counts as public to Chromium,
 * which would refuse it the loopback server: the browser is launched without that check.
 */
async function shopPage(): Promise<Page> {
  const shop = `${h.url.replace('127.0.0.1', 'localhost')}/e2e-shop/`;
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 }, locale: 'en-US', acceptDownloads: true });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  await page.route(`${shop}**`, (r) =>
    r.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Wanderladen</title></head>
        <body><h1>Ausrüstung für jeden Weg</h1>
        <script src="${h.url}/interact/loader.js" data-code="support" async></script></body></html>`,
    }),
  );
  await page.goto(shop);
  return page;
}

async function chatFrame(page: Page): Promise<Frame> {
  // The launcher sits in a closed shadow root: press it where it is drawn.
  await page.locator('[data-stratus-chat="support"]').waitFor({ state: 'attached' });
  await page.mouse.click(1200 - 70, 800 - 42);
  return waitFor('the chat frame', () => page.frames().find((f) => /\/interact\/support\?lang=de$/.test(f.url())), 15_000);
}

test('a German page gets the German widget: start form, queue, typing, read marks and the transcript download', async () => {
  const page = await shopPage();
  const chat = await chatFrame(page);
  await chat.getByRole('heading', { name: 'Chat mit Support' }).waitFor({ timeout: 15_000 });
  await chat.getByRole('button', { name: 'Chat starten' }).click();
  await chat.getByText('Bitte geben Sie Ihren Namen ein.').waitFor();
  expect(await chat.evaluate(() => document.documentElement.lang)).toBe('de');
  await page.screenshot({ path: join(shots, 'widget-de-start.png') });

  await chat.getByLabel('Ihr Name').fill('Greta');
  await chat.getByLabel('E-Mail', { exact: true }).fill('greta@example.com');
  await chat.getByLabel('Wie können wir helfen?').fill('Passt das Zelt für drei?');
  await chat.getByRole('checkbox').check();
  await chat.getByRole('button', { name: 'Chat starten' }).click();
  await chat.getByText('Passt das Zelt für drei?').waitFor();
  // The server's and the workflow's own messages come in German too.
  await chat.getByText(/Sie sind in der Warteschlange von Support/).waitFor({ timeout: 15_000 });

  // An agent takes it (over the API: this suite is about the customer's side).
  const alice = await h.devToken('alice@contoso.com');
  const bob = await h.devToken('bob@contoso.com');
  const offer = await waitFor('the offer', async () => {
    for (const token of [alice, bob]) {
      const s = (await h.call('GET', '/api/agent/sessions', undefined, token)).data.sessions.find(
        (x: any) => x.state === 'offered' && x.customer.displayName === 'Greta',
      );
      if (s) return { token, id: s.id as string };
    }
    return undefined;
  });
  const stream = openAgentStream(h.url, offer.token);
  await stream.ready;
  expect((await h.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, offer.token)).status).toBe(200);
  await chat.getByText(/^Sie chatten mit /).waitFor({ timeout: 10_000 });
  await chat.getByText(/ist dem Chat beigetreten\.$/).waitFor();

  // The customer types: the agent's stream hears it (once, however many keys).
  await chat.getByLabel('Ihre Nachricht').pressSequentially('Hallo, noch', { delay: 20 });
  await waitFor('the typing event', () => stream.events.some((e) => e.data.type === 'typing' && e.data.sessionId === offer.id));

  // The agent types (their tab's route, or the event it emits): the widget shows it.
  const agentName = (await h.call('GET', '/api/agent/me', undefined, offer.token)).data.displayName as string;
  const typed = await h.call('POST', `/api/agent/sessions/${offer.id}/typing`, {}, offer.token);
  if (typed.status >= 300) {
    const chatId = (await h.app.store.db.execute(`select conversation_id from tasks where id = '${offer.id}'` as never)) as unknown as {
      rows: { conversation_id: string }[];
    };
    await inTx(h.app.rt, async (u) => u.emit(events.agentTyping('contoso', chatId.rows[0]!.conversation_id, agentName)));
  }
  await chat.getByText(`${agentName} schreibt…`).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: join(shots, 'widget-de-typing.png') });

  // The agent's answer replaces the indicator and, shown on a visible page, is reported read.
  const sent = await h.call('POST', `/api/agent/sessions/${offer.id}/messages`, { text: 'Ja, für drei Personen.' }, offer.token);
  await chat.getByText('Ja, für drei Personen.').waitFor();
  expect(await chat.getByText(`${agentName} schreibt…`).isVisible()).toBe(false);
  await waitFor('the read mark', () => stream.events.some((e) => e.data.type === 'read' && e.data.seq >= sent.data.seq));
  const session = (await h.call('GET', '/api/agent/sessions', undefined, offer.token)).data.sessions.find((s: any) => s.id === offer.id);
  expect(session.customerReadSeq).toBeGreaterThanOrEqual(sent.data.seq);

  // The customer ends the chat and downloads the transcript.
  await chat.getByRole('button', { name: 'Chat beenden' }).click();
  await chat.getByText('Dieser Chat ist beendet.').waitFor({ timeout: 10_000 });
  const button = chat.getByRole('button', { name: 'Verlauf herunterladen' });
  await button.waitFor();
  await page.screenshot({ path: join(shots, 'widget-de-ended.png') });
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toMatch(/^chat-\d{4}-\d{2}-\d{2}\.txt$/);
  const file = join(shots, 'widget-de-transcript.txt');
  await download.saveAs(file);
  const text = readFileSync(file, 'utf8');
  expect(text).toMatch(/\] Greta: Passt das Zelt für drei\?\r\n/);
  expect(text).toContain(`] ${agentName}: Ja, für drei Personen.`);
  expect(text).toContain('Greta hat den Chat verlassen.');

  stream.close();
  expect(problems).toEqual([]);
  await page.close();
});

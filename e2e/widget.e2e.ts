/**
 * The customer's side in a real browser, in German: a shop page with `<html lang="de">` embeds the
 * loader, the chat opens in German, the agent's typing shows, the agent's messages are reported
 * read, and once the chat ended the transcript downloads as a file. Screenshots go to
 * test-results/widget-de-*.png. Then in English: the agent ends the chat, the customer rates it with
 * the keyboard (the form survives a reload), reporting has the rating; test-results/widget-rating*.png,
 * and axe finds no serious or critical violation.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { events } from '@stratus/shared/contract/events';
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { inTx } from '../bot/runtime/uow';
import { openAgentStream, startHarness, waitFor, type Harness } from '../bot/test/harness';

const shots = join(__dirname, '..', 'test-results');
mkdirSync(shots, { recursive: true });

let h: Harness;
let browser: Browser;
const problems: string[] = [];

/** The demo tenant, with Support asking its customers for a rating after the chat. */
function tenant(): TenantConfig {
  const t = demoTenant();
  return {
    ...t,
    services: t.services.map((s) => (s.id === 'support' ? { ...s, im: { ...s.im, chat: { satisfaction: { enabled: true } } } } : s)),
  };
}

beforeAll(async () => {
  h = await startHarness({ tenants: [tenant()], env: { STRATUS_DEV_MODE: 'true', LOG_LEVEL: 'error' } });
  browser = await launchChromium([
    '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights',
  ]);
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

/**
 * A shop page (German by default) with the Stratus loader, served by the browser's router on an
 * origin of its own (`localhost` where the server is `127.0.0.1`). A routed page counts as public
 * to Chromium, which would refuse it the loopback server: the browser is launched without that
 * check. Its own context: axe needs one made with browser.newContext().
 */
async function shopPage(lang: 'de' | 'en' = 'de'): Promise<Page> {
  const shop = `${h.url.replace('127.0.0.1', 'localhost')}/e2e-shop/`;
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'en-US', acceptDownloads: true });
  const page = await context.newPage();
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
      body: `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Wanderladen</title></head>
        <body><main><h1>${lang === 'de' ? 'Ausrüstung für jeden Weg' : 'Gear for every trail'}</h1></main>
        <script src="${h.url}/interact/loader.js" data-code="support" async></script></body></html>`,
    }),
  );
  await page.goto(shop);
  return page;
}

async function chatFrame(page: Page, lang: 'de' | 'en' = 'de'): Promise<Frame> {
  // The launcher sits in a closed shadow root: press it where it is drawn.
  await page.locator('[data-stratus-chat="support"]').waitFor({ state: 'attached' });
  await page.mouse.click(1200 - 70, 800 - 42);
  const url = new RegExp(`/interact/support\\?lang=${lang}$`);
  return waitFor('the chat frame', () => page.frames().find((f) => url.test(f.url())), 15_000);
}

/** The first agent offered the chat of `name` accepts it (over the API: these tests are about the customer's side). */
async function acceptFor(name: string): Promise<{ token: string; id: string }> {
  const tokens = [await h.devToken('alice@contoso.com'), await h.devToken('bob@contoso.com')];
  const offer = await waitFor('the offer', async () => {
    for (const token of tokens) {
      const s = (await h.call('GET', '/api/agent/sessions', undefined, token)).data.sessions.find(
        (x: any) => x.state === 'offered' && x.customer.displayName === name,
      );
      if (s) return { token, id: s.id as string };
    }
    return undefined;
  });
  expect((await h.call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, offer.token)).status).toBe(200);
  return offer;
}

/** Serious and critical axe violations of the page and its chat frame, as readable lines. */
async function axeProblems(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)}`).join(', ')}`);
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
  // Support asks for a rating: the form comes in German, each star named.
  await chat.getByRole('group', { name: 'Wie bewerten Sie diesen Chat?' }).waitFor();
  await chat.getByRole('radio', { name: '5 Sterne: ausgezeichnet' }).waitFor({ state: 'attached' });
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
  await page.context().close();
});

test('after the agent ends the chat the customer rates it with the keyboard; a reload keeps the form; reporting has it', async () => {
  const page = await shopPage('en');
  let chat = await chatFrame(page, 'en');
  await chat.getByRole('heading', { name: 'Chat with Support' }).waitFor({ timeout: 15_000 });
  await chat.getByLabel('Your name').fill('Rosa');
  await chat.getByLabel('Email', { exact: true }).fill('rosa@example.com');
  await chat.getByLabel('How can we help?').fill('My parcel is late.');
  await chat.getByRole('checkbox').check();
  await chat.getByRole('button', { name: 'Start chat' }).click();
  await chat.getByText('My parcel is late.').waitFor();

  const offer = await acceptFor('Rosa');
  await h.call('POST', `/api/agent/sessions/${offer.id}/messages`, { text: 'It arrives tomorrow morning.' }, offer.token);
  await chat.getByText('It arrives tomorrow morning.').waitFor({ timeout: 10_000 });
  // No form while the chat runs.
  expect(await chat.getByRole('group', { name: 'How would you rate this chat?' }).isVisible()).toBe(false);
  expect((await h.call('POST', `/api/agent/sessions/${offer.id}/end`, {}, offer.token)).status).toBe(200);
  await chat.getByText('This chat has ended.').waitFor({ timeout: 10_000 });
  await chat.getByRole('group', { name: 'How would you rate this chat?' }).waitFor({ timeout: 10_000 });
  expect(await chat.getByLabel('Your message').isVisible()).toBe(false);

  // A reload of the shop keeps the ended chat and its form.
  await page.reload();
  chat = await chatFrame(page, 'en');
  await chat.getByText('It arrives tomorrow morning.').waitFor({ timeout: 15_000 });
  const form = chat.getByRole('group', { name: 'How would you rate this chat?' });
  await form.waitFor({ timeout: 10_000 });

  // Keyboard only: into the stars, arrows to four, Tab to the comment, Tab to Send.
  await chat.getByRole('radio', { name: '1 star: poor' }).focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  expect(await chat.getByRole('radio', { name: '4 stars' }).isChecked()).toBe(true);
  await page.keyboard.press('Tab');
  await page.keyboard.type('Quick and clear answer.');
  expect(await chat.getByLabel('Anything you would like to add?').inputValue()).toBe('Quick and clear answer.');
  await page.screenshot({ path: join(shots, 'widget-rating.png') });
  expect(await axeProblems(page)).toEqual([]);
  await page.keyboard.press('Tab');
  expect(await chat.evaluate(() => document.activeElement?.id)).toBe('rating-send');
  await page.keyboard.press('Enter');
  await chat.getByText('Thank you for your rating!').waitFor({ timeout: 10_000 });
  expect(await form.isVisible()).toBe(false);
  await page.screenshot({ path: join(shots, 'widget-rating-thanks.png') });
  expect(await axeProblems(page)).toEqual([]);

  const admin = await h.devToken('alice@contoso.com');
  const sessions = (await h.call('GET', '/api/reporting/sessions?service=support', undefined, admin)).data.sessions;
  expect(sessions.find((s: any) => s.taskId === offer.id)?.csat).toMatchObject({ rating: 4, comment: 'Quick and clear answer.' });
  expect(problems).toEqual([]);
  await page.context().close();
});

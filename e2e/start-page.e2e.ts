/**
 * The first run in a real browser: the start page at `/` (dev mode) with its four destinations,
 * no serious accessibility problem in light or dark, and the demo website whose launcher opens
 * the chat. Screenshots go to test-results/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { destinations } from '../bot/http/start-page';
import { startHarness, type Harness } from '../bot/test/harness';

const root = join(__dirname, '..');
const shots = join(root, 'test-results');
mkdirSync(shots, { recursive: true });

let h: Harness;
let browser: Browser;
const problems: string[] = [];

async function newPage(colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  // Its own context: axe needs one made with browser.newContext().
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, colorScheme });
  const page = await context.newPage();
  // A CSP refusal or a script error shows up here.
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
  return page;
}

async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

beforeAll(async () => {
  // What `npm start` does first: build the tab and widget when missing or stale.
  execFileSync(process.execPath, [join(root, 'tab/scripts/ensure-built.mjs')], {
    stdio: 'inherit',
    env: { ...process.env, STRATUS_WEB_ROOT: '' },
  });
  h = await startHarness({ env: { LOG_LEVEL: 'error' } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

test('the start page links the four places to try, one sentence each, readable in light and dark', async () => {
  const page = await newPage();
  await page.goto(`${h.url}/`);
  await page.getByRole('heading', { level: 1, name: 'Stratus is running' }).waitFor();
  const expected = destinations({ demoCode: 'support', built: true });
  expect(expected.map((d) => d.title)).toEqual(['My Sessions', 'Demo website', 'Widget preview', 'Health check']);
  for (const d of expected) {
    const cards = page.getByRole('list', { name: 'On this server' });
    const link = cards.getByRole('link', { name: d.title, exact: true });
    expect(await link.getAttribute('href')).toBe(d.href);
    const card = cards.getByRole('listitem').filter({ has: page.getByRole('link', { name: d.title, exact: true }) });
    expect(await card.textContent()).toContain(d.text);
  }
  expect(await page.getByText('not built yet').count()).toBe(0);
  await page.screenshot({ path: join(shots, 'start-page.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  const dark = await newPage('dark');
  await dark.goto(`${h.url}/`);
  await dark.getByRole('heading', { level: 1, name: 'Stratus is running' }).waitFor();
  await dark.screenshot({ path: join(shots, 'start-page-dark.png'), fullPage: true });
  expect(await seriousViolations(dark)).toEqual([]);
  expect(problems).toEqual([]);
  await Promise.all([page.close(), dark.close()]);
});

test('the demo website shows the widget launcher, which opens the chat', async () => {
  const page = await newPage();
  await page.goto(`${h.url}/`);
  await page.getByRole('link', { name: 'Demo website', exact: true }).click();
  await page.waitForURL(`${h.url}/demo`);
  await page.getByRole('heading', { level: 1, name: 'Gear for every trail' }).waitFor();
  // The loader's launcher lives in a closed shadow root: find its host, then press it where it sits.
  await page.locator('[data-stratus-chat="support"]').waitFor({ state: 'attached' });
  await page.screenshot({ path: join(shots, 'demo-website.png') });
  expect(await seriousViolations(page)).toEqual([]);
  await page.mouse.click(1200 - 70, 800 - 42);
  // The loader passes the page's language along (?lang=en).
  const chat = await waitForFrame(page, /\/interact\/support(\?lang=en)?$/);
  await chat.getByRole('heading', { name: 'Chat with Support' }).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: join(shots, 'demo-website-chat.png') });
  // The chat page's CSP names its own origin for the live socket ('self'): a chat goes live.
  await chat.getByLabel('Your name').fill('Dana');
  await chat.getByLabel('Email', { exact: true }).fill('dana@example.com');
  await chat.getByLabel('How can we help?').fill('Does the Ridge 2 fit three?');
  await chat.getByRole('checkbox').check();
  await chat.getByRole('button', { name: 'Start chat' }).click();
  await chat.getByText('Does the Ridge 2 fit three?').waitFor();
  await chat
    .getByText(/in the queue|next free agent/)
    .first()
    .waitFor({ timeout: 15_000 });
  expect(problems).toEqual([]);
  await page.close();
});

async function waitForFrame(page: Page, url: RegExp) {
  for (let i = 0; i < 100; i++) {
    const f = page.frames().find((x) => url.test(x.url()));
    if (f) return f;
    await page.waitForTimeout(100);
  }
  throw new Error(`no frame at ${url}`);
}

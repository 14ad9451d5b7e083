/**
 * The Admin page in a real browser against the real server: a tenant admin creates a service with
 * its website chat and a member, saves, and a customer then reaches that member through it.
 * Every admin section is screenshotted to test-results/admin-*.png and checked with axe (no
 * serious or critical violation, light theme). Needs `npm run build -w @stratus/tab` first.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { demoTenant } from '@stratus/shared/tenant/demo';
import { startHarness, type Harness } from '../bot/test/harness';

const shots = join(__dirname, '..', 'test-results');
mkdirSync(shots, { recursive: true });

let h: Harness;
let browser: Browser;
const errors: string[] = [];

async function newPage(name: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  // A context per page: axe needs one (it injects into every frame), and each user signs in alone.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
  const page = await context.newPage();
  // teams-js fetches a file from Microsoft's CDN when imported: answer it locally.
  await page.route(/^https:\/\/(res\.cdn\.office\.net|.*\.microsoft\.com)\//, (r) =>
    r.fulfill({ status: 200, contentType: 'application/json', body: '{}' }),
  );
  page.on('dialog', (d) => {
    errors.push(`${name} dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(`${name} error: ${e.message}`));
  return page;
}

/** The dev sign-in page, then the page at `path`. */
async function signIn(page: Page, path: string, upn: string, heading: string): Promise<void> {
  await page.goto(`${h.url}${path}`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 15_000 });
  await page.getByLabel('Agent').selectOption(upn);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor({ timeout: 15_000 });
}

/**
 * Tabster's focus guards (`<i data-tabster-dummy tabindex="0" aria-hidden="true">`, which Fluent puts
 * around a TabList or a dialog) are focusable and aria-hidden by design: they pass focus on at once
 * and must stay silent (microsoft/fluentui#27517, "By Design"; Accessibility Insights suppresses
 * them too). Only they are left out of aria-hidden-focus.
 */
const isTabsterGuard = (rule: string, html: string) => rule === 'aria-hidden-focus' && html.includes('data-tabster-dummy');

/** Serious and critical axe violations, as readable lines. */
async function axeProblems(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !isTabsterGuard(v.id, n.html)) }))
    .filter((v) => v.nodes.length > 0)
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)}`).join(', ')}`);
}

/** Screenshot and accessibility check of what the page shows now. */
async function check(page: Page, name: string, found: Record<string, string[]>): Promise<void> {
  await page.screenshot({ path: join(shots, `admin-${name}.png`), fullPage: true });
  const problems = await axeProblems(page);
  if (problems.length) found[name] = problems;
}

beforeAll(async () => {
  h = await startHarness({ tenants: [demoTenant()], env: { STRATUS_DEV_MODE: 'true', LOG_LEVEL: 'error' } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

test('a tenant admin creates the Billing service with its website chat; a customer then chats with its member', async () => {
  const alice = await newPage('alice');
  await signIn(alice, '/tab/admin', 'alice@contoso.com', 'Stratus admin');
  const a11y: Record<string, string[]> = {};
  await alice.getByRole('table', { name: 'Services' }).waitFor();
  await check(alice, 'services', a11y);

  // Create the service.
  await alice.getByRole('button', { name: 'New service' }).click();
  const dialog = alice.getByRole('dialog', { name: 'New service' });
  await dialog.getByLabel('Name').fill('Billing');
  expect(await dialog.getByLabel('Id').inputValue()).toBe('billing');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await alice.getByRole('heading', { name: 'Billing', level: 2 }).waitFor();
  await check(alice, 'service-general', a11y);

  // Licenses & IM: both licenses, IM on, the built-in IM workflow.
  await alice.getByRole('tab', { name: 'Licenses & IM' }).click();
  const im = alice.getByRole('switch', { name: 'Instant Messaging' });
  expect(await im.isDisabled()).toBe(true); // needs the Contact Center license first
  await alice.getByRole('checkbox', { name: 'Contact Center' }).check();
  await alice.getByRole('checkbox', { name: 'Interact add-on' }).check();
  await im.check();
  await alice.getByLabel('IM workflow').selectOption('default-im');
  await check(alice, 'service-licenses', a11y);

  // Members: Bob, active.
  await alice.getByRole('tab', { name: 'Members' }).click();
  await alice.getByLabel('Add a member').selectOption({ label: 'Bob Berg (bob@contoso.com)' });
  await alice.getByRole('button', { name: 'Add', exact: true }).click();
  expect(await alice.getByRole('switch', { name: 'Bob Berg active' }).isChecked()).toBe(true);
  await check(alice, 'service-members', a11y);

  await alice.getByRole('tab', { name: 'Distribution' }).click();
  await check(alice, 'service-distribution', a11y);
  await alice.getByRole('tab', { name: 'Opening hours' }).click();
  await check(alice, 'service-hours', a11y);
  await alice.getByRole('tab', { name: 'WhatsApp & SMS' }).click();
  await check(alice, 'service-whatsapp', a11y);

  // Interact: on, code "billing", a greeting the preview shows at once.
  await alice.getByRole('tab', { name: 'Interact' }).click();
  await alice.getByRole('switch', { name: 'Website chat (Interact)' }).check();
  await alice.getByRole('textbox', { name: 'Code' }).fill('billing');
  await alice.getByRole('textbox', { name: 'Greeting' }).fill('Questions about your invoice? We are here.');
  const preview = alice.getByTestId('interact-preview');
  await preview.getByText('Questions about your invoice? We are here.').waitFor();
  expect(await preview.textContent()).toContain('Chat with Billing');
  expect(await alice.getByLabel('Embed snippet').textContent()).toBe(
    `<script src="${h.url}/interact/loader.js" data-code="billing" async></script>`,
  );
  await check(alice, 'service-interact', a11y);

  expect(await alice.getByText('Unsaved changes').isVisible()).toBe(true);
  await alice.getByRole('button', { name: 'Save', exact: true }).click();
  await alice.getByText('Saved.').waitFor({ timeout: 10_000 });
  expect(await alice.getByText('Unsaved changes').count()).toBe(0);

  // Every other section.
  for (const [section, name] of [
    ['Workflows', 'workflows'],
    ['Users & licenses', 'users'],
    ['Calendars', 'calendars'],
    ['Twilio connector', 'twilio'],
    ['Teams', 'teams'],
    ['Audit log', 'audit'],
    ['Import / export', 'import-export'],
  ] as const) {
    await alice.getByRole('tab', { name: section }).click();
    await alice.getByRole('main', { name: section }).waitFor();
    if (name === 'workflows') await alice.locator('.react-flow').first().waitFor({ timeout: 15_000 });
    if (name === 'teams') {
      // Dev mode has no Teams app id: Install now says so instead of failing silently.
      await alice.getByRole('button', { name: 'Install now' }).click();
      await alice.getByText('The app was not installed').waitFor({ timeout: 10_000 });
    }
    if (name === 'audit')
      await alice
        .getByText(/config\.update/)
        .first()
        .waitFor({ timeout: 10_000 });
    await check(alice, name, a11y);
  }
  expect(a11y).toEqual({});

  // The new service works: a customer on its website chat reaches Bob.
  const bob = await newPage('bob');
  await signIn(bob, '/tab/', 'bob@contoso.com', 'My Sessions');
  const customer = await newPage('customer');
  await customer.goto(`${h.url}/interact/billing`);
  await customer.getByRole('heading', { name: 'Chat with Billing' }).waitFor({ timeout: 15_000 });
  await customer.getByLabel('Your name').fill('Carla');
  await customer.getByLabel('Email', { exact: true }).fill('carla@example.com');
  await customer.getByLabel('How can we help?').fill('My invoice is wrong');
  await customer.getByRole('checkbox').check();
  await customer.getByRole('button', { name: 'Start chat' }).click();
  await customer.getByText('My invoice is wrong').waitFor();

  const offer = bob.getByRole('article', { name: 'Offer from Carla' });
  await offer.waitFor({ timeout: 20_000 });
  expect(await offer.textContent()).toContain('Billing');
  await offer.getByRole('button', { name: 'Accept' }).click();
  await bob.getByRole('region', { name: 'Chat with Carla' }).waitFor();
  const answer = bob.getByRole('textbox', { name: 'Your answer' });
  await answer.fill('Let me fix that for you.');
  await answer.press('Enter');
  await customer.getByText('Let me fix that for you.').waitFor({ timeout: 10_000 });
  await customer.screenshot({ path: join(shots, 'admin-customer-chat.png') });
  await bob.screenshot({ path: join(shots, 'admin-bob-chat.png') });

  // The same editor in the dark theme (outside Teams the tab follows the system's colour scheme).
  const dark = await newPage('alice-dark', 'dark');
  await signIn(dark, '/tab/admin', 'alice@contoso.com', 'Stratus admin');
  await dark.getByRole('button', { name: 'Edit Billing' }).click();
  await dark.getByRole('tab', { name: 'Interact' }).click();
  await dark.getByTestId('interact-preview').waitFor();
  await dark.screenshot({ path: join(shots, 'admin-dark-interact.png'), fullPage: true });

  expect(errors).toEqual([]);
  await Promise.all([alice.close(), bob.close(), customer.close(), dark.close()]);
  // Fifteen axe runs on a small machine: more than the suite's default two minutes.
}, 300_000);

/**
 * The whole product in a real browser: a customer in the widget, two agents in the tab, a
 * WhatsApp customer through a signed webhook, and a hostile customer name that must stay text.
 * Screenshots of each step go to test-results/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { demoTenant, DEMO_TWILIO_ACCOUNT_SID, DEMO_TWILIO_AUTH_TOKEN } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { startHarness, waitFor, type Harness } from '../bot/test/harness';
import { postSigned, startTwilioStandIn, type TwilioStandIn } from '../bot/test/twilio-standin';

const XSS = '<img src=x onerror=alert(1)>';
const PUBLIC = 'https://stratus.example.com';
const shots = join(__dirname, '..', 'test-results');
mkdirSync(shots, { recursive: true });

let h: Harness;
let twilioApi: TwilioStandIn;
let browser: Browser;
const dialogs: string[] = [];

function tenant(): TenantConfig {
  const t = demoTenant();
  // Broadcast, so both agents see the offer and the second sees it taken.
  const support = t.services[0]!;
  return {
    ...t,
    services: [{ ...support, im: { ...support.im, distribution: { ...support.im.distribution, type: 'broadcast' } } }, t.services[1]!],
  };
}

async function newPage(name: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  // teams-js fetches a file from Microsoft's CDN when imported: answer it locally.
  await page.route(/^https:\/\/(res\.cdn\.office\.net|.*\.microsoft\.com)\//, (r) =>
    r.fulfill({ status: 200, contentType: 'application/json', body: '{}' }),
  );
  page.on('dialog', (d) => {
    dialogs.push(`${name}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => dialogs.push(`${name} error: ${e.message}`));
  return page;
}

async function signIn(page: Page, upn: string): Promise<void> {
  await page.goto(`${h.url}/tab/`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 15_000 });
  await page.getByLabel('Agent').selectOption(upn);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My Sessions' }).waitFor();
}

beforeAll(async () => {
  twilioApi = await startTwilioStandIn();
  h = await startHarness({
    tenants: [tenant()],
    env: { PUBLIC_BASE_URL: PUBLIC, STRATUS_DEV_MODE: 'true', TWILIO_API_BASE_URL: twilioApi.url, LOG_LEVEL: 'error' },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  await twilioApi?.close();
});

test('a website customer and an agent complete a chat; the second agent sees the offer taken; names stay text', async () => {
  const alice = await newPage('alice');
  const bob = await newPage('bob');
  await signIn(alice, 'alice@contoso.com');
  await signIn(bob, 'bob@contoso.com');

  const customer = await newPage('customer');
  await customer.goto(`${h.url}/interact/support`);
  await customer.getByRole('heading', { name: 'Chat with Support' }).waitFor();
  await customer.getByRole('button', { name: 'Start chat' }).click();
  await customer.getByText('Please enter your name.').waitFor();
  await customer.screenshot({ path: join(shots, '01-prechat-errors.png') });
  await customer.getByLabel('Your name').fill(XSS);
  await customer.getByLabel('Email', { exact: true }).fill('eve@example.com');
  await customer.getByLabel('How can we help?').fill('My parcel is late');
  await customer.getByRole('checkbox').check();
  await customer.getByRole('button', { name: 'Start chat' }).click();
  await customer.getByText('My parcel is late').waitFor();
  // The form gives way to the conversation.
  expect(await customer.getByRole('button', { name: 'Start chat' }).isVisible()).toBe(false);
  await customer.screenshot({ path: join(shots, '02-customer-waiting.png') });

  const aliceOffer = alice.getByRole('article', { name: `Offer from ${XSS}` });
  await aliceOffer.waitFor({ timeout: 15_000 });
  await bob.getByRole('article', { name: `Offer from ${XSS}` }).waitFor({ timeout: 15_000 });
  await alice.screenshot({ path: join(shots, '03-agent-offer.png') });
  await aliceOffer.getByRole('button', { name: 'Accept' }).click();
  await alice.getByRole('region', { name: `Chat with ${XSS}` }).waitFor();
  // The other agent's offer disappears.
  await bob.getByRole('article', { name: `Offer from ${XSS}` }).waitFor({ state: 'detached', timeout: 10_000 });
  await bob.screenshot({ path: join(shots, '04-second-agent-offer-gone.png') });

  await customer.getByText('You are chatting with Alice Anders.').waitFor({ timeout: 10_000 });
  await customer.getByLabel('Your message').fill('Order 42, please hurry');
  await customer.getByLabel('Your message').press('Enter');
  await alice.getByText('Order 42, please hurry').waitFor();
  const answer = alice.getByRole('textbox', { name: 'Your answer' });
  await answer.fill('It ships today!');
  await answer.press('Enter');
  await customer.getByText('It ships today!').waitFor();
  for (const t of ['My parcel is late', 'Order 42, please hurry', 'It ships today!'])
    expect(await customer.getByText(t).isVisible()).toBe(true);
  await customer.screenshot({ path: join(shots, '05-customer-reply.png') });
  await alice.screenshot({ path: join(shots, '06-agent-chat.png') });

  await alice.getByRole('button', { name: 'End and mark as handled' }).click();
  await customer.getByText('This chat has ended.').waitFor({ timeout: 10_000 });
  await alice.getByText(/ended/).first().waitFor();
  await customer.screenshot({ path: join(shots, '07-customer-ended.png') });
  await alice.screenshot({ path: join(shots, '08-agent-ended.png') });

  for (const page of [alice, bob, customer]) {
    expect(await page.locator('img[src="x"]').count()).toBe(0);
  }
  expect(await alice.getByText(XSS).count()).toBeGreaterThan(0);
  expect(dialogs).toEqual([]);
  await Promise.all([alice.close(), bob.close(), customer.close()]);
});

test("a WhatsApp customer appears in the tab and the agent's reply reaches Twilio", async () => {
  const alice = await newPage('alice');
  await signIn(alice, 'alice@contoso.com');
  const r = await postSigned(
    h.url,
    PUBLIC,
    '/api/whatsapp/inbound',
    {
      AccountSid: DEMO_TWILIO_ACCOUNT_SID,
      MessageSid: `SMe2e${Date.now()}`,
      From: 'whatsapp:+41791112233',
      To: 'whatsapp:+15550100',
      Body: 'Hi from WhatsApp',
      NumMedia: '0',
      ProfileName: 'Wendy',
    },
    DEMO_TWILIO_AUTH_TOKEN,
  );
  expect(r.status).toBe(200);
  const offer = alice.getByRole('article', { name: 'Offer from Wendy' });
  await offer.waitFor({ timeout: 15_000 });
  expect(await offer.textContent()).toContain('WhatsApp');
  await offer.getByRole('button', { name: 'Accept' }).click();
  await alice.getByText('Hi from WhatsApp').first().waitFor();
  const answer = alice.getByRole('textbox', { name: 'Your answer' });
  await answer.fill('Hello Wendy, how can I help?');
  await answer.press('Enter');
  const sent = await waitFor('the reply at Twilio', () => twilioApi.sent.find((m) => m.Body === 'Hello Wendy, how can I help?'), 10_000);
  expect(sent.To).toBe('whatsapp:+41791112233');
  await alice.getByText('Sending').or(alice.getByText('Sent')).first().waitFor();
  await alice.screenshot({ path: join(shots, '09-whatsapp-agent.png') });
  expect(dialogs).toEqual([]);
  await alice.close();
});

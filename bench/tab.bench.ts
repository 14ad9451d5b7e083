/**
 * My Sessions with 50 open sessions, in Debian's Chromium: an agent with 50 connected chats signs
 * in to the built tab, then switches between sessions and receives customer messages. Times are
 * taken in the page, up to the first animation frame that shows the change (what the agent sees).
 * Target: no visible lag, taken as 100 ms or less for a switch and for a message to appear.
 *
 *   npm run build && npm run bench:tab     (CHROMIUM_PATH overrides /usr/bin/chromium; SESSIONS=50)
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { startHarness, waitFor } from '../bot/test/harness';

const SESSIONS = Number(process.env.SESSIONS ?? 50);
const ROUNDS = 20;

function tenant(): TenantConfig {
  const t = demoTenant();
  const support = t.services[0]!;
  // Alice alone takes every chat of the support service, up to SESSIONS at once.
  return {
    ...t,
    services: [
      {
        ...support,
        members: [{ userId: 'alice', active: true }],
        im: { ...support.im, distribution: { ...support.im.distribution, type: 'direct', maxConcurrentIm: SESSIONS + 5 } },
      },
      ...t.services.slice(1),
    ],
  };
}

/** Runs `action` in the page and resolves with the ms until a frame where `visible()` holds. */
async function timeInPage(page: Page, action: string, visible: string): Promise<number> {
  // A string, not a function: tsx's helpers would not exist in the page.
  return page.evaluate(`(async () => {
    const t0 = performance.now();
    ${action};
    await new Promise((res) => { const frame = () => ((${visible}) ? res() : requestAnimationFrame(frame)); requestAnimationFrame(frame); });
    return performance.now() - t0;
  })()`);
}

/** Resolves with the page's Date.now() at the first frame where `visible` holds. */
function seenAt(page: Page, visible: string): Promise<number> {
  return page.evaluate(
    `new Promise((res) => { const frame = () => ((${visible}) ? res(Date.now()) : requestAnimationFrame(frame)); requestAnimationFrame(frame); })`,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const max = (xs: number[]) => Math.max(...xs);

async function main(): Promise<void> {
  const web = resolve(__dirname, '../tab/dist/tab/index.html');
  if (!existsSync(web)) throw new Error('The tab is not built: run `npm run build` first.');
  const h = await startHarness({ tenants: [tenant()], env: { INTERACT_RATE_LIMIT_SCALE: '0' } }); // one address starts every chat
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const alice = await h.devToken('alice@contoso.com');
    const chats: { chatId: string; token: string }[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const r = await h.call('POST', '/api/interact/support/chats', {
        displayName: `Customer ${i}`,
        email: `c${i}@example.com`,
        privacyAccepted: true,
        message: `Hello from customer ${i}`,
      });
      if (r.status !== 201) throw new Error(`start chat: ${r.status} ${JSON.stringify(r.data)}`);
      chats.push(r.data);
    }
    await waitFor(
      'every chat connected to Alice',
      async () => {
        const sessions = (await h.call('GET', '/api/agent/sessions', undefined, alice)).data.sessions as { id: string; state: string }[];
        for (const s of sessions.filter((x) => x.state === 'offered'))
          await h.call('POST', `/api/agent/sessions/${s.id}/accept`, {}, alice);
        return sessions.filter((x) => x.state === 'connected').length === SESSIONS;
      },
      120_000,
    );

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.route(/^https:\/\/(res\.cdn\.office\.net|.*\.microsoft\.com)\//, (r) =>
      r.fulfill({ status: 200, contentType: 'application/json', body: '{}' }),
    );
    await page.goto(`${h.url}/tab/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 15_000 });
    await page.getByLabel('Agent').selectOption('alice@contoso.com');
    const signIn = await timeInPage(
      page,
      `[...document.querySelectorAll('button')].find((b) => b.textContent === 'Sign in').click()`,
      `[...document.querySelectorAll('h2')].some((e) => e.textContent === 'Open (${SESSIONS})') && document.body.textContent.includes('Customer ${SESSIONS - 1}')`,
    );

    // Switching: click a session in the list until its chat pane shows.
    const switches: number[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      const i = (k * 7) % SESSIONS;
      switches.push(
        await timeInPage(
          page,
          `[...document.querySelectorAll('nav[aria-label="Sessions"] button')].find((b) => b.querySelector('span')?.textContent === 'Customer ${i}').click()`,
          `!!document.querySelector('section[aria-label="Chat with Customer ${i}"]') && document.querySelector('section[aria-label="Chat with Customer ${i}"]').textContent.includes('Hello from customer ${i}')`,
        ),
      );
    }

    // Live messages: a customer writes; time until the text shows in the open pane (the selected
    // session) or its unread badge shows in the list (another session). Clocks: both Date.now().
    const selected = ((ROUNDS - 1) * 7) % SESSIONS;
    const live = async (i: number, k: number, visible: string): Promise<number> => {
      const text = `live ${k} to ${i}`;
      const seen = seenAt(page, visible.replace('TEXT', text));
      const t0 = Date.now();
      const r = await h.call(
        'POST',
        `/api/interact/chats/${chats[i]!.chatId}/messages`,
        { text, clientMessageId: `live-${k}` },
        chats[i]!.token,
      );
      if (r.status !== 201) throw new Error(`post: ${r.status}`);
      return (await seen) - t0;
    };
    const inPane: number[] = [];
    for (let k = 0; k < ROUNDS; k++)
      inPane.push(await live(selected, k, `document.querySelector('ol[aria-label="Messages"]').textContent.includes('TEXT')`));
    const badges: number[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      const i = (selected + 1 + k) % SESSIONS;
      badges.push(
        await live(
          i,
          100 + k,
          `!!document.querySelector('[aria-label="1 unread"]') && [...document.querySelectorAll('nav[aria-label="Sessions"] button')].some((b) => b.querySelector('span')?.textContent === 'Customer ${i}' && b.querySelector('[aria-label$="unread"]'))`,
        ),
      );
    }
    const heapMb = ((await page.evaluate('performance.memory ? performance.memory.usedJSHeapSize : 0')) as number) / 1048576;
    console.log(`tab: ${SESSIONS} open sessions listed ${signIn.toFixed(0)} ms after sign-in`);
    console.log(`switch session: median ${median(switches).toFixed(1)} ms, max ${max(switches).toFixed(1)} ms (${ROUNDS} switches)`);
    console.log(
      `customer message in the open chat: median ${median(inPane).toFixed(1)} ms, max ${max(inPane).toFixed(1)} ms; unread badge on another session: median ${median(badges).toFixed(1)} ms, max ${max(badges).toFixed(1)} ms`,
    );
    console.log(
      JSON.stringify({
        bench: 'tab',
        sessions: SESSIONS,
        signin_to_list_ms: Math.round(signIn),
        switch_median_ms: Number(median(switches).toFixed(1)),
        switch_max_ms: Number(max(switches).toFixed(1)),
        message_median_ms: Number(median(inPane).toFixed(1)),
        message_max_ms: Number(max(inPane).toFixed(1)),
        badge_median_ms: Number(median(badges).toFixed(1)),
        page_heap_mb: Number(heapMb.toFixed(1)),
      }),
    );
  } finally {
    await browser.close();
    await h.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

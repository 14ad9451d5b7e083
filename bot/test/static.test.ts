/**
 * The pages the server serves (tab, widget, preview, start page, demo shop) and their headers,
 * over HTTP against a web root of small fake built files (STRATUS_WEB_ROOT), so the answers do
 * not depend on whether `npm run build` has run. Also: the same server with nothing built.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { startHarness, type Harness } from './harness';

const TEAMS =
  "'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.office.com https://outlook.office.com";
const TAB_CSP = `default-src 'self'; script-src 'self' https://res.cdn.office.net; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' https://*.microsoft.com https://res.cdn.office.net; frame-ancestors ${TEAMS}; base-uri 'none'; form-action 'self'`;
const widgetCsp = (connect: string, ancestors: string) =>
  `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src ${connect}; frame-ancestors ${ancestors}; base-uri 'none'; form-action 'self'`;

/** The demo tenant; `support` may be framed by one shop, `sales` has no allowed origins. */
function tenant(overrides: Partial<TenantConfig> = {}): TenantConfig {
  const t = demoTenant();
  const [support, sales] = t.services;
  return {
    ...t,
    services: [
      { ...support!, im: { ...support!.im, interact: { code: 'support', allowedOrigins: ['https://shop.contoso.com'] } } },
      sales!,
    ],
    ...overrides,
  };
}

/** A production-like tenant: not the demo tenant, no Twilio placeholder. */
function productionTenant(): TenantConfig {
  const t = tenant();
  return {
    ...tenant({ id: 'fabrikam', name: 'Fabrikam', entraTenantId: '7d2a0d1c-4a5b-4c8e-9f10-2b3c4d5e6f70', twilio: undefined }),
    users: t.users.map((u) => ({ ...u, upn: u.upn.replace('contoso', 'fabrikam'), entraObjectId: undefined })),
    services: t.services.map((s) => ({ ...s, im: { ...s.im, whatsapp: undefined } })),
  };
}

function fakeWebRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'stratus-web-'));
  const files: Record<string, string> = {
    'tab/index.html': '<!doctype html><title>My Sessions</title><script type="module" src="/tab/assets/app.js"></script>',
    'tab/assets/app.js': 'console.log("tab")',
    'interact/chat.html': '<!doctype html><title>Chat</title><script type="module" src="/interact/assets/chat.js"></script>',
    'interact/preview.html': '<!doctype html><title>Chat preview</title>',
    'interact/assets/chat.js': 'console.log("chat")',
    'interact/loader.js': '(function(){})()',
    'interact/sdk.js': 'export {}',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const get = (h: Harness, path: string) => fetch(h.url + path, { redirect: 'manual' });

/** The CSP's style hash must be the hash of the page's one inline stylesheet. */
function expectStyleHashMatches(html: string, policy: string): void {
  const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
  expect(css).toBeDefined();
  expect(policy).toContain(`style-src 'sha256-${createHash('sha256').update(css!).digest('base64')}'`);
}

const shellCsp = (html: string, ancestors = "'none'") => {
  const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  return `default-src 'none'; style-src 'sha256-${createHash('sha256').update(css).digest('base64')}'; img-src data:; frame-ancestors ${ancestors}; base-uri 'none'; form-action 'self'`;
};

describe('in dev mode with the tab and widget built', () => {
  let h: Harness;
  let web: string;
  beforeAll(async () => {
    web = fakeWebRoot();
    h = await startHarness({ tenants: [tenant()], env: { STRATUS_WEB_ROOT: web, PUBLIC_BASE_URL: 'http://localhost:3978' } });
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(web, { recursive: true, force: true });
  });

  test('the start page links My Sessions, the demo website, the widget preview and the health check, one sentence each', async () => {
    const r = await get(h, '/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await r.text();
    expect(r.headers.get('content-security-policy')).toBe(shellCsp(html));
    expectStyleHashMatches(html, r.headers.get('content-security-policy')!);
    const links = [...html.matchAll(/<h2><a href="([^"]+)">([^<]+)<\/a><\/h2><p>([^<]+)<\/p>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(links.map(([href, title]) => [href, title])).toEqual([
      ['/tab/', 'My Sessions'],
      ['/demo', 'Demo website'],
      ['/interact/support/preview', 'Widget preview'],
      ['/healthz', 'Health check'],
    ]);
    for (const [, , sentence] of links) expect(sentence).toMatch(/^[A-Z].{30,}\.$/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('not built');
  });

  test('the demo website embeds the widget loader for the demo code and runs no inline script', async () => {
    const r = await get(h, '/demo');
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('<script src="/interact/loader.js" data-code="support" async></script>');
    expect([...html.matchAll(/<script\b[^>]*>/g)].every((m) => / src="/.test(m[0]))).toBe(true);
    // No 'unsafe-inline': the page's own stylesheet by its hash, as a careful customer site would.
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = `'sha256-${createHash('sha256').update(css).digest('base64')}'`;
    expect(r.headers.get('content-security-policy')).toBe(
      `default-src 'self'; script-src 'self'; style-src ${hash}; img-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
    );
  });

  test('the widget page may be framed by its allowed origins, or by any site in dev mode when it has none; it connects to its own origin only', async () => {
    const support = await get(h, '/interact/support');
    expect(support.status).toBe(200);
    expect(support.headers.get('content-security-policy')).toBe(widgetCsp("'self' ws://localhost:3978", "'self' https://shop.contoso.com"));
    const sales = await get(h, '/interact/sales');
    expect(sales.headers.get('content-security-policy')).toBe(widgetCsp("'self' ws://localhost:3978", '*'));
    const preview = await get(h, '/interact/support/preview');
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-security-policy')).toBe(widgetCsp("'self' ws://localhost:3978", "'self'"));
  });

  test('the tab is served with its CSP, client routes get the app, and a missing file gets an HTML page with a way back', async () => {
    for (const path of ['/tab', '/tab/', '/tab/sessions/123']) {
      const r = await get(h, path);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-security-policy')).toBe(TAB_CSP);
      expect(await r.text()).toContain('<title>My Sessions</title>');
    }
    const asset = await get(h, '/tab/assets/app.js');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const missing = await get(h, '/tab/assets/gone-1234.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await missing.text();
    expect(html).toContain('href="/tab/"');
    expect(missing.headers.get('content-security-policy')).toBe(shellCsp(html, TEAMS));
  });

  test('an unknown code and a missing widget asset get small HTML pages, never bare text', async () => {
    const unknown = await get(h, '/interact/nope');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('No chat is available here');
    const asset = await get(h, '/interact/assets/gone.js');
    expect(asset.status).toBe(404);
    expect(asset.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(asset.headers.get('content-security-policy')).toContain("base-uri 'none'");
  });

  test('the loader and the SDK may be loaded by any site', async () => {
    for (const path of ['/interact/loader.js', '/interact/sdk.js']) {
      const r = await get(h, path);
      expect(r.status).toBe(200);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      expect(r.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    }
  });
});

describe('outside dev mode', () => {
  let h: Harness;
  let web: string;
  beforeAll(async () => {
    web = fakeWebRoot();
    h = await startHarness({
      tenants: [productionTenant()],
      env: {
        STRATUS_WEB_ROOT: web,
        PUBLIC_BASE_URL: 'https://stratus.example.com',
        ENTRA_CLIENT_ID: '3f1c2b4a-0000-4000-8000-000000000001',
        STRATUS_DEV_MODE: 'false',
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(web, { recursive: true, force: true });
  });

  test('a code without allowed origins may be framed only by its own origin; the chat connects only to the public origin', async () => {
    const sales = await get(h, '/interact/sales');
    expect(sales.status).toBe(200);
    expect(sales.headers.get('content-security-policy')).toBe(widgetCsp("'self' wss://stratus.example.com", "'self'"));
    const support = await get(h, '/interact/support');
    expect(support.headers.get('content-security-policy')).toBe(
      widgetCsp("'self' wss://stratus.example.com", "'self' https://shop.contoso.com"),
    );
  });

  test('/ goes to My Sessions and there is no demo website', async () => {
    const root = await get(h, '/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/tab/');
    const demo = await get(h, '/demo');
    expect(demo.status).toBe(404);
    expect(demo.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await demo.text()).not.toContain('loader.js');
  });
});

describe('with nothing built', () => {
  let h: Harness;
  let web: string;
  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), 'stratus-web-empty-'));
    h = await startHarness({ tenants: [tenant()], env: { STRATUS_WEB_ROOT: web } });
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(web, { recursive: true, force: true });
  });

  test('/tab answers 503 with a page that says how to build, never a bare "Not found"', async () => {
    for (const path of ['/tab', '/tab/', '/tab/index.html', '/tab/sessions']) {
      const r = await get(h, path);
      expect(r.status).toBe(503);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await r.text();
      expect(html).toContain('<code>npm run build</code>');
      expect(r.headers.get('content-security-policy')).toBe(shellCsp(html, TEAMS));
    }
    const asset = await get(h, '/tab/assets/app.js');
    expect(asset.status).toBe(404);
    expect(await asset.text()).toContain('<!doctype html>');
  });

  test('the widget page and the loader say the widget is not built; the start page says so too', async () => {
    for (const path of ['/interact/support', '/interact/support/preview', '/interact/loader.js']) {
      const r = await get(h, path);
      expect(r.status).toBe(503);
      expect(await r.text()).toContain('npm run build');
    }
    const start = await (await get(h, '/')).text();
    expect(start).toContain('not built yet');
  });
});

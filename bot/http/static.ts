/**
 * Serves the built tab (`/tab/`, from tab/dist) and the customer widget pages (`/interact/...`,
 * from widget/dist), both from STRATUS_WEB_ROOT when it is set, and in dev mode the start page
 * (`/`) and the demo shop (`/demo`). Every page gets a strict Content-Security-Policy; the widget
 * page's `frame-ancestors` comes from the code's allowed origins, so only allowed sites can embed
 * it. Nothing here answers a bare "Not found": a missing build or file gets a page that says what
 * to do.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Runtime } from '../runtime/runtime';
import { allowedOrigins, resolveCode } from '../channels/interact/interact';
import { AppError } from '../errors';
import { csp, messagePage, shellCsp, type ShellPage } from './page-shell';
import type { Request, Response, Server } from './server';
import { demoCsp, renderDemoPage, renderStartPage } from './start-page';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Teams renders the tab in an iframe on these hosts. */
const TEAMS_ANCESTORS =
  "'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.office.com https://outlook.office.com";

const notBuilt = (what: string): ShellPage =>
  messagePage({
    title: 'Stratus: not built yet',
    heading: `The ${what} is not built yet`,
    text: 'Run <code>npm run build</code> in the Stratus folder (or restart with <code>npm start</code>, which builds what is missing), then reload this page.',
  });

async function sendFile(res: Response, root: string, rel: string, headers: Record<string, string> = {}): Promise<boolean> {
  const path = normalize(join(root, rel));
  if (!path.startsWith(root + sep) && path !== root) return false;
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    return false; // missing or unreadable: the caller answers with a page saying so
  }
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  const immutable = /\/assets\//.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, { 'Content-Type': type, 'Cache-Control': immutable, 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(body);
  return true;
}

function sendPage(res: Response, status: number, page: ShellPage, policy = shellCsp(page), headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'Content-Security-Policy': policy,
    ...headers,
  });
  res.end(page.html);
}

/** The chat page's WebSocket origin: the public URL's, with ws(s) for http(s). */
export function liveOrigin(publicBaseUrl: string): string {
  const u = new URL(publicBaseUrl);
  return `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}`;
}

/**
 * Who may frame a code's chat page: its allowed origins when it has some; without any, every site
 * in dev mode (to try the widget anywhere) and only this origin otherwise.
 */
export function widgetAncestors(origins: string[], devMode: boolean): string {
  if (origins.length) return `'self' ${origins.join(' ')}`;
  return devMode ? '*' : "'self'";
}

/** The first Interact code that takes chats, the demo tenant's `support` first: the demo shop's. */
function demoCode(rt: Runtime): string | undefined {
  const codes = rt.tenants.tenants.flatMap((t) => t.services.map((s) => s.im.interact?.code).filter((c): c is string => !!c));
  for (const code of [...codes].sort((a, b) => Number(b === 'support') - Number(a === 'support'))) {
    try {
      resolveCode(rt, code);
      return code;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
    }
  }
  return undefined;
}

export function registerStatic(server: Server, rt: Runtime): void {
  const tabRoot = join(rt.config.webRoot, 'tab');
  const interactRoot = join(rt.config.widgetRoot, 'interact');
  const tabCsp = csp({
    imgSrc: "'self' data:",
    styleSrc: "'self' 'unsafe-inline'",
    connectSrc: "'self' https://*.microsoft.com https://res.cdn.office.net",
    scriptSrc: "'self' https://res.cdn.office.net",
    frameAncestors: TEAMS_ANCESTORS,
  });
  const connect = `'self' ${liveOrigin(rt.config.publicBaseUrl)}`;
  const builtFiles = [join(tabRoot, 'index.html'), join(interactRoot, 'chat.html'), join(interactRoot, 'loader.js')];
  const isBuilt = async () =>
    (
      await Promise.all(
        builtFiles.map((f) =>
          stat(f).then(
            () => true,
            () => false,
          ),
        ),
      )
    ).every(Boolean);

  const tab = async (req: Request, res: Response) => {
    const rel = req.path().replace(/^\/tab\/?/, '') || 'index.html';
    if (await sendFile(res, tabRoot, rel, { 'Content-Security-Policy': tabCsp })) return;
    // Client-side routes (no extension) get the app; a missing file gets a page, not bare text.
    if (!extname(rel) && (await sendFile(res, tabRoot, 'index.html', { 'Content-Security-Policy': tabCsp }))) return;
    const missingApp = !extname(rel) || rel === 'index.html';
    const page = missingApp
      ? notBuilt('My Sessions tab')
      : messagePage({
          title: 'Stratus: not found',
          heading: 'This file does not exist',
          text: 'The address may be from an older version of My Sessions.',
          link: { href: '/tab/', label: 'Open My Sessions' },
        });
    sendPage(res, missingApp ? 503 : 404, page, shellCsp(page, TEAMS_ANCESTORS));
  };
  server.get('/tab', tab);
  server.get('/tab/*', tab);

  const script = (file: string, what: string) => async (_req: Request, res: Response) => {
    if (!(await sendFile(res, interactRoot, file, { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' })))
      sendPage(res, 503, notBuilt(what));
  };
  server.get('/interact/loader.js', script('loader.js', 'widget'));
  server.get('/interact/sdk.js', script('sdk.js', 'SDK'));
  server.get('/interact/assets/*', async (req: Request, res: Response) => {
    const rel = req.path().replace(/^\/interact\//, '');
    if (await sendFile(res, interactRoot, rel, { 'Cross-Origin-Resource-Policy': 'cross-origin' })) return;
    const page = messagePage({
      title: 'Stratus: not found',
      heading: 'This file does not exist',
      text: 'The chat was probably updated: reload the page that shows it.',
    });
    sendPage(res, 404, page, shellCsp(page, '*'));
  });

  const widgetPage = (file: 'chat.html' | 'preview.html') => async (req: Request, res: Response) => {
    const code = (req.params as Record<string, string>).code ?? '';
    let ancestors: string;
    try {
      ancestors = file === 'preview.html' ? "'self'" : widgetAncestors(allowedOrigins(resolveCode(rt, code)), rt.config.devMode);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      // Shown inside a customer site's frame; a message without script or links is safe anywhere.
      const page = messagePage({
        title: 'Chat',
        heading: 'No chat is available here',
        text: 'Check the address, or contact the website you came from.',
      });
      return sendPage(res, 404, page, shellCsp(page, '*'));
    }
    const policy = csp({
      imgSrc: "'self' data:",
      styleSrc: "'self' 'unsafe-inline'",
      scriptSrc: "'self'",
      connectSrc: connect,
      frameAncestors: ancestors,
    });
    if (!(await sendFile(res, interactRoot, file, { 'Content-Security-Policy': policy }))) sendPage(res, 503, notBuilt('chat page'));
  };
  server.get('/interact/:code', widgetPage('chat.html'));
  server.get('/interact/:code/preview', widgetPage('preview.html'));

  // Dev mode shows what there is to try; a production server has only the tab to show.
  server.get('/', async (_req: Request, res: Response) => {
    if (!rt.config.devMode) {
      res.writeHead(302, { Location: '/tab/' });
      res.end();
      return;
    }
    sendPage(res, 200, renderStartPage({ demoCode: demoCode(rt), built: await isBuilt() }));
  });
  server.get('/demo', async (_req: Request, res: Response) => {
    const code = rt.config.devMode ? demoCode(rt) : undefined;
    if (!code) {
      const page = messagePage({
        title: 'Stratus: not found',
        heading: 'There is no demo here',
        text: 'The demo website is shown in dev mode, for a code that takes chats.',
        link: { href: '/tab/', label: 'Open My Sessions' },
      });
      return sendPage(res, 404, page);
    }
    const demo = renderDemoPage(code);
    sendPage(res, 200, demo, demoCsp(demo));
  });
}

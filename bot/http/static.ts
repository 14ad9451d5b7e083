/**
 * Serves the built tab (`/tab/`) and the customer widget pages (`/interact/...`) from tab/dist.
 * The widget page sets `frame-ancestors` from the code's allowed origins, so only allowed sites
 * can embed it; every page gets a strict Content-Security-Policy.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Runtime } from '../services/runtime';
import { allowedOrigins, resolveCode } from '../channels/interact/routes';
import { AppError } from './errors';
import type { Request, Response, Server } from './server';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.map': 'application/json', '.txt': 'text/plain; charset=utf-8',
};

const notBuilt = (what: string) => `<!doctype html><meta charset="utf-8"><title>Stratus</title><p>The ${what} is not built yet: run <code>npm run build</code>, then reload.</p>`;

async function sendFile(res: Response, root: string, rel: string, headers: Record<string, string> = {}): Promise<boolean> {
  const path = normalize(join(root, rel));
  if (!path.startsWith(root + sep) && path !== root) return false;
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    return false;
  }
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  const immutable = /\/assets\//.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, { 'Content-Type': type, 'Cache-Control': immutable, 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(body);
  return true;
}

function sendHtml(res: Response, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(html);
}

export function registerStatic(server: Server, rt: Runtime): void {
  const tabRoot = join(rt.config.webRoot, 'tab');
  const interactRoot = join(rt.config.webRoot, 'interact');
  // Teams renders the tab in an iframe on these hosts.
  const tabCsp = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self' https://*.microsoft.com https://res.cdn.office.net; script-src 'self' https://res.cdn.office.net; frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.office.com https://outlook.office.com";

  const tab = async (req: Request, res: Response) => {
    const rel = req.path().replace(/^\/tab\/?/, '') || 'index.html';
    if (await sendFile(res, tabRoot, rel, { 'Content-Security-Policy': tabCsp })) return;
    if (!extname(rel) && (await sendFile(res, tabRoot, 'index.html', { 'Content-Security-Policy': tabCsp }))) return;
    sendHtml(res, extname(rel) ? 404 : 503, extname(rel) ? 'Not found' : notBuilt('My Sessions tab'));
  };
  server.get('/tab', tab);
  server.get('/tab/*', tab);

  server.get('/interact/loader.js', async (_req: Request, res: Response) => {
    if (!(await sendFile(res, interactRoot, 'loader.js', { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' }))) sendHtml(res, 503, notBuilt('widget'));
  });
  server.get('/interact/sdk.js', async (_req: Request, res: Response) => {
    if (!(await sendFile(res, interactRoot, 'sdk.js', { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' }))) sendHtml(res, 503, notBuilt('SDK'));
  });
  server.get('/interact/assets/*', async (req: Request, res: Response) => {
    const rel = req.path().replace(/^\/interact\//, '');
    if (!(await sendFile(res, interactRoot, rel, { 'Cross-Origin-Resource-Policy': 'cross-origin' }))) sendHtml(res, 404, 'Not found');
  });
  const page = (file: 'chat.html' | 'preview.html') => async (req: Request, res: Response) => {
    const code = (req.params as Record<string, string>).code ?? '';
    let ancestors = "'self'";
    try {
      const target = resolveCode(rt, code);
      const list = allowedOrigins(target);
      ancestors = list.length ? `'self' ${list.join(' ')}` : '*';
    } catch (e) {
      if (e instanceof AppError) return sendHtml(res, 404, '<!doctype html><meta charset="utf-8"><title>Chat</title><p>No chat is available here.</p>');
      throw e;
    }
    const csp = `default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self' ws: wss:; frame-ancestors ${file === 'preview.html' ? "'self'" : ancestors}`;
    if (!(await sendFile(res, interactRoot, file, { 'Content-Security-Policy': csp }))) sendHtml(res, 503, notBuilt('chat page'));
  };
  server.get('/interact/:code', page('chat.html'));
  server.get('/interact/:code/preview', page('preview.html'));
  server.get('/', async (_req: Request, res: Response) => {
    res.writeHead(302, { Location: '/tab/' });
    res.end();
  });
}

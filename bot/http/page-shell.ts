/**
 * The server's own HTML pages (start page, demo shop, "not built" and "not found" pages) and the
 * Content-Security-Policy every page gets. A page's stylesheet is inlined and allowed by its
 * hash, so no page needs `'unsafe-inline'` or a second request, and no page runs inline script.
 */
import { createHash } from 'node:crypto';

/** CSP directives; `base-uri 'none'` and `form-action 'self'` are added to every policy. */
export interface CspParts {
  defaultSrc?: string;
  scriptSrc?: string;
  styleSrc?: string;
  imgSrc?: string;
  connectSrc?: string;
  frameSrc?: string;
  frameAncestors: string;
}

/** One policy string; a page can never leave out the base and form restrictions. */
export function csp(p: CspParts): string {
  const parts = [
    `default-src ${p.defaultSrc ?? "'self'"}`,
    p.scriptSrc && `script-src ${p.scriptSrc}`,
    p.styleSrc && `style-src ${p.styleSrc}`,
    p.imgSrc && `img-src ${p.imgSrc}`,
    p.connectSrc && `connect-src ${p.connectSrc}`,
    p.frameSrc && `frame-src ${p.frameSrc}`,
    `frame-ancestors ${p.frameAncestors}`,
    "base-uri 'none'",
    "form-action 'self'",
  ];
  return parts.filter(Boolean).join('; ');
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The CSP hash source of an inline `<style>` element's text. */
export function styleHash(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/** Fluent-like tokens (Teams' brand purple, neutral greys), light and dark. */
export const BASE_CSS = `
:root{color-scheme:light dark;--bg:#f5f5f5;--card:#fff;--fg:#242424;--muted:#5c5c5c;--brand:#4f52b2;--brand-bg:#5b5fc7;--brand-fg:#fff;--line:#e0e0e0;--focus:#000;--warn-bg:#fff9f5;--warn-line:#f4bfab;--code:#f0f0f0;--shadow:0 1px 2px rgba(0,0,0,.12),0 0 2px rgba(0,0,0,.08);--shadow-hover:0 4px 8px rgba(0,0,0,.14),0 0 2px rgba(0,0,0,.1);font:14px/1.5 "Segoe UI","Segoe UI Web (West European)",system-ui,-apple-system,BlinkMacSystemFont,Roboto,"Helvetica Neue",sans-serif}
@media (prefers-color-scheme:dark){:root{--bg:#1f1f1f;--card:#292929;--fg:#fff;--muted:#c8c8c8;--brand:#9ea2ff;--brand-bg:#5b5fc7;--line:#3d3d3d;--focus:#fff;--warn-bg:#3b2a22;--warn-line:#8a4a30;--code:#333;--shadow:0 1px 2px rgba(0,0,0,.5),0 0 2px rgba(0,0,0,.4);--shadow-hover:0 4px 10px rgba(0,0,0,.6),0 0 2px rgba(0,0,0,.5)}}
*{box-sizing:border-box}
html,body{margin:0;min-height:100%}
body{background:var(--bg);color:var(--fg);display:flex;flex-direction:column;min-height:100vh}
a{color:var(--brand)}
a:focus-visible,button:focus-visible{outline:2px solid var(--focus);outline-offset:2px;border-radius:4px}
code{font:13px/1.4 Consolas,"Cascadia Mono",ui-monospace,monospace;background:var(--code);padding:1px 5px;border-radius:4px}
.wrap{width:100%;max-width:960px;margin:0 auto;padding:0 24px}
.top{background:var(--brand-bg);color:var(--brand-fg)}
.top .wrap{display:flex;align-items:center;gap:12px;height:52px}
.logo{display:flex}
.name{font-size:16px;font-weight:600}
.badge{margin-left:auto;font-size:12px;font-weight:600;padding:2px 10px;border-radius:999px;background:#fff;color:#3d3e78}
main{flex:1;padding:32px 0 40px}
h1{font-size:28px;line-height:36px;font-weight:600;margin:0 0 8px}
.lead{font-size:16px;line-height:24px;color:var(--muted);margin:0 0 24px;max-width:680px}
.notice{background:var(--warn-bg);border:1px solid var(--warn-line);border-radius:8px;padding:12px 16px;margin:0 0 24px}
.notice p{margin:0}
.cards{list-style:none;margin:0 0 32px;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,420px),1fr));gap:16px}
.card{position:relative;background:var(--card);border-radius:8px;box-shadow:var(--shadow);padding:20px 20px 16px;display:flex;gap:16px;transition:box-shadow .15s}
.card:hover{box-shadow:var(--shadow-hover)}
.card:focus-within{outline:2px solid var(--focus);outline-offset:2px}
.icon{flex:none;width:40px;height:40px;border-radius:8px;background:var(--brand-bg);color:#fff;display:flex;align-items:center;justify-content:center}
.card h2{font-size:16px;line-height:22px;font-weight:600;margin:0 0 4px}
.card h2 a{color:var(--fg);text-decoration:none}
.card h2 a::after{content:"";position:absolute;inset:0;border-radius:8px}
.card h2 a:focus-visible{outline:none}
.card:hover h2 a{color:var(--brand)}
.card p{margin:0 0 8px;color:var(--muted)}
.card .path{margin:0;font-size:12px}
.steps{background:var(--card);border-radius:8px;box-shadow:var(--shadow);padding:20px 24px}
.steps h2{font-size:16px;font-weight:600;margin:0 0 8px}
.steps ol{margin:0;padding-left:20px}
.steps li{margin:4px 0}
.foot{border-top:1px solid var(--line);color:var(--muted);font-size:12px;padding:16px 0}
.foot p{margin:0}
.center{text-align:center;max-width:560px}
.center h1{margin-top:24px}
.button{display:inline-block;background:var(--brand-bg);color:#fff;text-decoration:none;font-weight:600;padding:6px 20px;border-radius:4px;margin-top:8px}
.button:hover{background:#4f52b2}
`;

/** A small cloud mark: the Stratus logo. */
export const LOGO_SVG =
  '<svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M7 19a5 5 0 0 1-.7-9.95A6.5 6.5 0 0 1 18.8 9.6 4.7 4.7 0 0 1 17.5 19z"/></svg>';
const FAVICON = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="#5b5fc7"/><path fill="#fff" d="M8 17a3.8 3.8 0 0 1-.5-7.55 5 5 0 0 1 9.55.45A3.6 3.6 0 0 1 16 17z"/></svg>')}`;

export interface ShellPage {
  html: string;
  /** The hash source that allows this page's inline stylesheet. */
  styleHash: string;
}

/** A whole HTML document around `body` (trusted markup: escape every value put into it). */
export function renderShell(opts: { title: string; body: string; css?: string }): ShellPage {
  const css = opts.css ?? BASE_CSS;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="same-origin">
<title>${escapeHtml(opts.title)}</title>
<link rel="icon" href="${FAVICON}">
<style>${css}</style>
</head>
<body>
${opts.body}
</body>
</html>
`;
  return { html, styleHash: styleHash(css) };
}

/** The policy of a server page without script: only its own inline stylesheet and data: images. */
export function shellCsp(page: ShellPage, frameAncestors = "'none'"): string {
  return csp({ defaultSrc: "'none'", styleSrc: page.styleHash, imgSrc: 'data:', frameAncestors });
}

/** A one-message page ("not built", "not found") with the product header and a way on. */
export function messagePage(opts: { title: string; heading: string; text: string; link?: { href: string; label: string } }): ShellPage {
  const link = opts.link ? `<p><a class="button" href="${escapeHtml(opts.link.href)}">${escapeHtml(opts.link.label)}</a></p>` : '';
  return renderShell({
    title: opts.title,
    body: `<header class="top"><div class="wrap"><span class="logo">${LOGO_SVG}</span><span class="name">Stratus</span></div></header>
<main><div class="wrap center"><h1>${escapeHtml(opts.heading)}</h1><p class="lead">${opts.text}</p>${link}</div></main>`,
  });
}

/**
 * The first-run pages of dev mode: the start page at `/` (what to open on this server, one
 * sentence each) and a demo shop at `/demo` with the chat widget embedded, as a customer's
 * website would embed it. Pure rendering: static.ts decides when they are served.
 */
import { BASE_CSS, csp, escapeHtml, LOGO_SVG, renderShell, type ShellPage } from './page-shell';

/** What the start page needs to know about this server. */
export interface StartPageInfo {
  /** The Interact code the demo shop and the preview use; undefined when no code takes chats. */
  demoCode?: string;
  /** Whether the tab and widget are built (tab/dist, widget/dist). */
  built: boolean;
}

interface Destination {
  href: string;
  title: string;
  text: string;
  icon: string;
}

const icon = (d: string) =>
  `<svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false"><path fill="currentColor" d="${d}"/></svg>`;
const ICONS = {
  sessions: icon(
    'M3 4.5A2.5 2.5 0 0 1 5.5 2h9A2.5 2.5 0 0 1 17 4.5v7a2.5 2.5 0 0 1-2.5 2.5H9.2l-3.9 3.2A.8.8 0 0 1 4 16.6V14a2.5 2.5 0 0 1-1-2zm3 2a.75.75 0 0 0 0 1.5h8a.75.75 0 0 0 0-1.5zm0 3a.75.75 0 0 0 0 1.5h5a.75.75 0 0 0 0-1.5z',
  ),
  shop: icon(
    'M2 3.75A.75.75 0 0 1 2.75 3h1.1a1.5 1.5 0 0 1 1.46 1.15L5.5 5h11.25a.75.75 0 0 1 .73.92l-1.3 5.5a1.5 1.5 0 0 1-1.46 1.16H7.2l.3 1.42h7.75a.75.75 0 0 1 0 1.5H7.2a1.5 1.5 0 0 1-1.47-1.2L3.85 4.5h-1.1A.75.75 0 0 1 2 3.75M7.5 17.5a1.25 1.25 0 1 1 2.5 0 1.25 1.25 0 0 1-2.5 0m6 0a1.25 1.25 0 1 1 2.5 0 1.25 1.25 0 0 1-2.5 0',
  ),
  preview: icon(
    'M3 5a2 2 0 0 1 2-2h10a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2zm4.2 2.45a.75.75 0 0 0-1.06 1.06L7.63 10l-1.5 1.5a.75.75 0 1 0 1.07 1.05l2-2a.75.75 0 0 0 0-1.06zM10.5 12a.75.75 0 0 0 0 1.5h3a.75.75 0 0 0 0-1.5z',
  ),
  health: icon(
    'M10 17.3 3.7 11A4.2 4.2 0 0 1 10 5.5 4.2 4.2 0 0 1 16.3 11zM6.5 10h1.6l1-2 1.8 4 1-2h1.6v-1.5h-2.5l-.1.2L9 4.9 7.2 8.5h-.7z',
  ),
};

/** The four places to go, each with the one sentence that says what it is for. */
export function destinations(info: StartPageInfo): Destination[] {
  const code = info.demoCode;
  const list: Destination[] = [
    {
      href: '/tab/',
      title: 'My Sessions',
      icon: ICONS.sessions,
      text: 'The agents\u2019 tab, as Teams shows it: sign in as any configured user (dev sign-in), take offers, chat, transfer and end sessions.',
    },
  ];
  if (code) {
    list.push(
      {
        href: '/demo',
        title: 'Demo website',
        icon: ICONS.shop,
        text: `A sample shop page with the chat widget embedded: start a chat as a customer of the Interact code \u201c${code}\u201d and answer it in My Sessions.`,
      },
      {
        href: `/interact/${encodeURIComponent(code)}/preview`,
        title: 'Widget preview',
        icon: ICONS.preview,
        text: 'The snippet a website pastes to embed the chat, next to a live preview of the chat window.',
      },
    );
  }
  list.push({
    href: '/healthz',
    title: 'Health check',
    icon: ICONS.health,
    text: 'Answers 200 with {"status":"ok"} while the server runs: point your monitor or load balancer at it.',
  });
  return list;
}

/** The start page at `/` in dev mode. */
export function renderStartPage(info: StartPageInfo): ShellPage {
  const cards = destinations(info)
    .map(
      (d) =>
        `<li class="card"><span class="icon">${d.icon}</span><div><h2><a href="${escapeHtml(d.href)}">${escapeHtml(d.title)}</a></h2><p>${escapeHtml(d.text)}</p><p class="path"><code>${escapeHtml(d.href)}</code></p></div></li>`,
    )
    .join('\n');
  const notBuilt = info.built
    ? ''
    : '<div class="notice" role="status"><p><strong>The tab and the widget are not built yet.</strong> Run <code>npm run build</code> (or restart with <code>npm start</code>, which builds them), then reload.</p></div>';
  const steps = info.demoCode
    ? `<section class="steps" aria-labelledby="try"><h2 id="try">Try a whole chat</h2><ol>
<li>Open <a href="/tab/">My Sessions</a> and sign in as an agent of the service.</li>
<li>In another window, open the <a href="/demo">demo website</a>, press <strong>Chat with us</strong> and start a chat.</li>
<li>Accept the offer in My Sessions and answer: the customer sees it at once.</li>
</ol></section>`
    : '';
  return renderShell({
    title: 'Stratus',
    body: `<header class="top"><div class="wrap"><span class="logo">${LOGO_SVG}</span><span class="name">Stratus</span><span class="badge">Dev mode</span></div></header>
<main><div class="wrap">
<h1>Stratus is running</h1>
<p class="lead">Instant messaging for your contact center in Microsoft Teams. Everything on this server, one click away:</p>
${notBuilt}<ul class="cards" aria-label="On this server">
${cards}
</ul>
${steps}
</div></main>
<footer class="foot"><div class="wrap"><p>Dev mode: anyone who reaches this server can sign in as any configured user. Keep it on your machine; the README says how to run Stratus in production.</p></div></footer>`,
  });
}

const SHOP_CSS = `${BASE_CSS}
.demo-bar{background:var(--card);border-bottom:1px solid var(--line);font-size:13px}
.demo-bar .wrap{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:center;padding-top:8px;padding-bottom:8px}
.demo-bar p{margin:0}
.demo-bar p:first-child{flex:1 1 520px}
.shop-top{background:#1b4332;color:#fff}
.shop-top .wrap{display:flex;align-items:center;gap:16px;height:60px}
.shop-name{font-size:20px;font-weight:700;letter-spacing:.02em}
.shop-tag{margin-left:auto;font-size:13px;opacity:.9}
.hero{background:linear-gradient(120deg,#2d6a4f,#40916c 60%,#95d5b2);color:#fff;border-radius:12px;padding:40px 32px;margin-bottom:32px}
.hero h1{font-size:32px;line-height:40px;margin:0 0 8px}
.hero p{font-size:16px;margin:0;max-width:520px}
.products{list-style:none;margin:0 0 32px;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:16px}
.product{background:var(--card);border-radius:8px;box-shadow:var(--shadow);overflow:hidden}
.swatch{display:block;height:120px}
.s1{background:linear-gradient(135deg,#e9c46a,#f4a261)}
.s2{background:linear-gradient(135deg,#2a9d8f,#264653)}
.s3{background:linear-gradient(135deg,#e76f51,#9d0208)}
.s4{background:linear-gradient(135deg,#8ecae6,#219ebc)}
.product div{padding:12px 16px 16px}
.product h3{font-size:15px;margin:0 0 2px}
.product p{margin:0;color:var(--muted)}
.product .price{color:var(--fg);font-weight:600;margin-top:8px}
h2{font-size:20px;margin:0 0 16px}
.help{background:var(--card);border-radius:8px;box-shadow:var(--shadow);padding:20px 24px}
.help h2{font-size:16px;margin:0 0 4px}
.help p{margin:0;color:var(--muted)}
`;

const PRODUCTS = [
  { name: 'Ridge 2 tent', note: 'Two people, 1.9 kg', price: 'CHF 349', swatch: 's1' },
  { name: 'Alpine 45 backpack', note: 'Rain cover included', price: 'CHF 189', swatch: 's2' },
  { name: 'Ember down jacket', note: '800 fill power', price: 'CHF 259', swatch: 's3' },
  { name: 'Glacier bottle', note: 'Keeps cold for 24 h', price: 'CHF 35', swatch: 's4' },
];

/** The demo shop page: a customer's website with the Stratus loader embedded. */
export function renderDemoPage(code: string): ShellPage {
  const c = escapeHtml(code);
  const products = PRODUCTS.map(
    (p) =>
      `<li class="product"><span class="swatch ${p.swatch}" aria-hidden="true"></span><div><h3>${p.name}</h3><p>${p.note}</p><p class="price">${p.price}</p></div></li>`,
  ).join('\n');
  return renderShell({
    title: 'Contoso Outdoor (Stratus demo)',
    css: SHOP_CSS,
    body: `<aside class="demo-bar" aria-label="About this page"><div class="wrap"><p><strong>Demo website.</strong> The <strong>Chat with us</strong> button at the bottom right is the Stratus widget for the Interact code <code>${c}</code>, embedded with one script tag.</p><p><a href="/">Back to the start page</a></p></div></aside>
<header class="shop-top"><div class="wrap"><span class="shop-name">Contoso Outdoor</span><span class="shop-tag">Free returns within 60 days</span></div></header>
<main><div class="wrap">
<section class="hero"><h1>Gear for every trail</h1><p>Tents, packs and jackets tested in the Alps. A question about an order? Our support team is one chat away.</p></section>
<section aria-labelledby="popular"><h2 id="popular">Popular this week</h2><ul class="products">
${products}
</ul></section>
<section class="help" aria-labelledby="help"><h2 id="help">Need help?</h2><p>Press <strong>Chat with us</strong>: an agent answers in Microsoft Teams, in My Sessions.</p></section>
</div></main>
<script src="/interact/loader.js" data-code="${c}" async></script>`,
  });
}

/**
 * The demo shop's policy, as strict as a careful customer site's: its own stylesheet by hash (no
 * 'unsafe-inline': the loader styles its shadow root with a constructed stylesheet), scripts and
 * frames from this origin only.
 */
export function demoCsp(page: ShellPage): string {
  return csp({
    defaultSrc: "'self'",
    scriptSrc: "'self'",
    styleSrc: page.styleHash,
    imgSrc: "'self' data:",
    frameSrc: "'self'",
    connectSrc: "'self'",
    frameAncestors: "'none'",
  });
}

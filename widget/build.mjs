// Builds the customer widget (src/) into dist/interact, served by the server at /interact/:
// chat.html and preview.html (hashed assets under /interact/assets/), loader.js (one IIFE, no
// globals) and sdk.js (an ES module). Prints gzipped sizes and fails above the budgets: loader
// 5 kB, chat page 80 kB (JS + CSS).
import { build } from 'vite';
import { gzipSync } from 'node:zlib';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');
const out = join(here, 'dist', 'interact');
const quiet = { logLevel: 'warn', configFile: false };

rmSync(out, { recursive: true, force: true });
await build({
  ...quiet,
  root: src,
  base: '/interact/',
  build: {
    outDir: out,
    emptyOutDir: true,
    target: 'es2020',
    modulePreload: false,
    rollupOptions: { input: { chat: join(src, 'chat.html'), preview: join(src, 'preview.html') } },
  },
});
await build({
  ...quiet,
  root: src,
  build: {
    outDir: out,
    emptyOutDir: false,
    target: 'es2019',
    lib: { entry: join(src, 'loader.ts'), formats: ['iife'], name: 'stratusLoader', fileName: () => 'loader.js' },
  },
});
await build({
  ...quiet,
  root: src,
  build: {
    outDir: out,
    emptyOutDir: false,
    target: 'es2020',
    lib: { entry: join(src, 'sdk.ts'), formats: ['es'], fileName: () => 'sdk.js' },
  },
});

const gz = (p) => gzipSync(readFileSync(p)).length;
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const loader = gz(join(out, 'loader.js'));
const sdk = gz(join(out, 'sdk.js'));
const html = readFileSync(join(out, 'chat.html'), 'utf8');
const assets = [...html.matchAll(/(?:src|href)="\/interact\/(assets\/[^"]+)"/g)].map((m) => m[1]);
const page = assets.reduce((n, a) => n + gz(join(out, a)), gz(join(out, 'chat.html')));
console.log(
  `interact: loader.js ${kb(loader)} gz (budget 5 kB), chat page ${kb(page)} gz over ${assets.length + 1} files (budget 80 kB), sdk.js ${kb(sdk)} gz`,
);
let failed = false;
if (loader > 5 * 1024) {
  console.error('loader.js is over its 5 kB budget');
  failed = true;
}
if (page > 80 * 1024) {
  console.error('the chat page is over its 80 kB budget');
  failed = true;
}
if (failed) process.exit(1);

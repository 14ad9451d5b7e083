// `npm start`'s first step (the root `prestart` script): builds the tab and the widget into
// tab/dist when they are missing or older than their sources, so a fresh clone shows the
// product. Up to date, it only compares modification times (a few milliseconds). A stamp in
// tab/dist records when the last successful build started; edits made during a build are
// therefore seen as newer next time. Skipped when STRATUS_WEB_ROOT points the server elsewhere.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const tab = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(tab, '..');
const dist = join(tab, 'dist');
const stamp = join(dist, '.build-stamp');
const lock = join(dist, '.build-lock');
/** What the build reads; tests are not part of it. */
const sources = ['src', 'interact', 'index.html', 'vite.config.mts', 'build-interact.mjs', 'package.json']
  .map((p) => join(tab, p))
  .concat(join(root, 'shared'));
/** What the server serves; any of them missing means "not built". */
const outputs = ['tab/index.html', 'interact/chat.html', 'interact/preview.html', 'interact/loader.js', 'interact/sdk.js'].map((p) =>
  join(dist, p),
);
const skip = (name) => name === 'node_modules' || name === 'dist' || name.startsWith('.') || /\.test\.tsx?$/.test(name);

/** The newest modification time (ms) under `path`, 0 when it does not exist. */
function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0; // an optional source (e.g. no tab/src in a deployment): nothing to compare
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs; // a deleted file changes its folder's time
  for (const e of readdirSync(path, { withFileTypes: true })) {
    if (!skip(e.name)) max = Math.max(max, newest(join(path, e.name)));
  }
  return max;
}

/** Why a build is needed, or undefined when tab/dist is up to date. */
function reason() {
  if (outputs.some((f) => !existsSync(f))) return 'tab/dist is missing or incomplete';
  if (!existsSync(join(tab, 'src'))) return undefined; // shipped without sources: serve what is there
  // Without a stamp (a manual `npm run build`), the oldest output says when that build ran.
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  return sources.some((s) => newest(s) > built) ? 'the tab or widget sources changed since the last build' : undefined;
}

/** Waits while another `npm start` builds (two starts at once must not write tab/dist together). */
function takeLock() {
  mkdirSync(dist, { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      return;
    } catch {
      // Held: a lock older than three minutes belongs to a build that died; take it over.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000 || Date.now() > deadline) rmSync(lock, { force: true });
      } catch {
        // it went away between the two calls: try again
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
}

if (process.env.STRATUS_WEB_ROOT?.trim()) process.exit(0);
const why = reason();
if (!why) process.exit(0);
takeLock();
try {
  // Another start may have built while this one waited.
  const still = reason();
  if (still) {
    const started = new Date();
    process.stdout.write(`Stratus: building the tab and the widget (${still}); this takes a few seconds once... `);
    rmSync(stamp, { force: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['run', '--silent', 'build'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    if (r.status === 0) {
      writeFileSync(stamp, `built ${started.toISOString()}\n`);
      utimesSync(stamp, started, started);
      process.stdout.write(`done in ${((Date.now() - started.getTime()) / 1000).toFixed(1)} s.\n`);
    } else {
      // The API works without the UI: start anyway; /tab/ and the start page say it is not built.
      process.stdout.write('failed.\n');
      process.stderr.write(
        `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}\nStratus: the build failed (above); starting the server anyway. Fix it and run \`npm run build\`.\n`,
      );
    }
  }
} finally {
  rmSync(lock, { force: true });
}

// `npm start`'s first step (the root `prestart` script): builds the tab (into tab/dist) and the
// widget (into widget/dist) when they are missing or older than their sources, so a fresh clone
// shows the product; each workspace is built only when it needs to be. Up to date, it only
// compares modification times (a few milliseconds). A stamp in each dist records when its last
// successful build started; edits made during a build are therefore seen as newer next time.
// Skipped when STRATUS_WEB_ROOT points the server elsewhere.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** One lock for every build, in the tab's dist as before. */
const lock = join(root, 'tab', 'dist', '.build-lock');
/**
 * The workspaces the server serves: what each build reads (`sources`; tests are not part of it)
 * and what it writes (`outputs`; any of them missing means "not built").
 */
const parts = [
  {
    name: 'tab',
    workspace: '@stratus/tab',
    sources: ['src', 'index.html', 'vite.config.mts', 'package.json'],
    outputs: ['tab/index.html'],
  },
  {
    name: 'widget',
    workspace: '@stratus/widget',
    sources: ['src', 'build.mjs', 'package.json'],
    outputs: ['interact/chat.html', 'interact/preview.html', 'interact/loader.js', 'interact/sdk.js'],
  },
].map((p) => {
  const dir = join(root, p.name);
  const dist = join(dir, 'dist');
  return {
    ...p,
    dir,
    stamp: join(dist, '.build-stamp'),
    sources: p.sources.map((s) => join(dir, s)).concat(join(root, 'shared')),
    outputs: p.outputs.map((o) => join(dist, o)),
  };
});
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
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

/** Why a workspace needs a build, or undefined when its dist is up to date. */
function reason(p) {
  if (p.outputs.some((f) => !existsSync(f))) return `${p.name}/dist is missing or incomplete`;
  if (!existsSync(join(p.dir, 'src'))) return undefined; // shipped without sources: serve what is there
  // Without a stamp (a manual `npm run build`), the oldest output says when that build ran.
  const built = existsSync(p.stamp) ? statSync(p.stamp).mtimeMs : Math.min(...p.outputs.map((f) => statSync(f).mtimeMs));
  return p.sources.some((s) => newest(s) > built) ? `the ${p.name} sources changed since the last build` : undefined;
}

/** The workspaces that need a build, each with why. */
const stale = () => parts.map((p) => ({ p, why: reason(p) })).filter((s) => s.why);

/** Waits while another `npm start` builds (two starts at once must not write a dist together). */
function takeLock() {
  mkdirSync(dirname(lock), { recursive: true });
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
if (stale().length === 0) process.exit(0);
takeLock();
try {
  // Another start may have built while this one waited.
  const still = stale();
  if (still.length) {
    const what = still.map((s) => `the ${s.p.name}`).join(' and ');
    const begun = Date.now();
    process.stdout.write(`Stratus: building ${what} (${still.map((s) => s.why).join('; ')}); this takes a few seconds once... `);
    const failures = [];
    for (const { p } of still) {
      const started = new Date();
      rmSync(p.stamp, { force: true });
      const r = spawnSync(npm, ['run', '--silent', 'build', '-w', p.workspace], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        shell: process.platform === 'win32',
      });
      if (r.status === 0) {
        writeFileSync(p.stamp, `built ${started.toISOString()}\n`);
        utimesSync(p.stamp, started, started);
      } else {
        failures.push(`${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`);
      }
    }
    if (failures.length === 0) {
      process.stdout.write(`done in ${((Date.now() - begun) / 1000).toFixed(1)} s.\n`);
    } else {
      // The API works without the UI: start anyway; /tab/ and the start page say it is not built.
      process.stdout.write('failed.\n');
      process.stderr.write(
        `${failures.join('\n')}\nStratus: the build failed (above); starting the server anyway. Fix it and run \`npm run build\`.\n`,
      );
    }
  }
} finally {
  rmSync(lock, { force: true });
}

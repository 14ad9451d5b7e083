// Prints the tab's gzipped size as its two pages load it, and fails above a budget or when My
// Sessions would load Admin code:
//   My Sessions, initial load: the entry chunk and what it imports statically (budget 250 kB);
//   Admin: the chunks only the Admin page loads, the lazy workflow editor included (budget 350 kB);
//   Supervisor: the chunks only the Supervisor page loads, its lazy charts included (budget 250 kB).
// Reads dist/bundle-stats.json, written by the build (vite.config.mts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = { initial: 250, admin: 350, supervisor: 250 };
const ADMIN_ENTRY = 'tab/src/admin/AdminPage.tsx';
const SUPERVISOR_ENTRY = 'tab/src/supervisor/SupervisorPage.tsx';
/** Modules My Sessions must never load at start. */
const ADMIN_ONLY = [/^tab\/src\/admin\//, /node_modules\/@xyflow\//];

const dist = join(import.meta.dirname, '..', 'dist');
const { chunks } = JSON.parse(readFileSync(join(dist, 'bundle-stats.json'), 'utf8'));
const byFile = new Map(chunks.map((c) => [c.file, c]));
const gz = new Map();
const size = (file) => {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(dist, 'tab', file))).length);
  return gz.get(file);
};

/** The chunks `from` loads: their static imports, and with `dynamic` their lazy ones too (not walking into `stop`). */
function closure(from, dynamic, stop = new Set()) {
  const seen = new Set();
  const walk = (file) => {
    if (seen.has(file) || stop.has(file)) return;
    seen.add(file);
    const c = byFile.get(file);
    for (const f of [...c.imports, ...(dynamic ? c.dynamicImports : [])]) walk(f);
  };
  from.forEach(walk);
  return seen;
}
const filesOf = (set) => [...set].flatMap((f) => [f, ...(byFile.get(f).css ?? [])]);
const kb = (files) => files.reduce((n, f) => n + size(f), 0) / 1024;
const list = (files) => files.map((f) => `${f} ${(size(f) / 1024).toFixed(1)} kB`).join(', ');

const entries = chunks.filter((c) => c.isEntry).map((c) => c.file);
const initial = closure(entries, false);
/** The chunks a lazy page loads on top of My Sessions' initial load (the entry's other lazy pages are not walked into). */
function pageOnly(entry, name) {
  const page = chunks.find((c) => c.facade === entry);
  if (!page) {
    console.error(`tab: no chunk for ${entry}: the ${name} page must be a lazy import of its own`);
    process.exit(1);
  }
  return [...closure([page.file], true, initial)];
}
const adminOnly = pageOnly(ADMIN_ENTRY, 'Admin');
const supervisorOnly = pageOnly(SUPERVISOR_ENTRY, 'Supervisor');

const problems = [];
const leaked = [...initial].flatMap((f) => byFile.get(f).modules.filter((m) => ADMIN_ONLY.some((r) => r.test(m))));
if (leaked.length)
  problems.push(`My Sessions loads Admin code at start: ${leaked.slice(0, 5).join(', ')}${leaked.length > 5 ? ', …' : ''}`);
const initialKb = kb(filesOf(initial));
const adminKb = kb(filesOf(adminOnly));
const supervisorKb = kb(filesOf(supervisorOnly));
if (initialKb > BUDGET_KB.initial) problems.push(`My Sessions' initial load is over its ${BUDGET_KB.initial} kB budget`);
if (adminKb > BUDGET_KB.admin) problems.push(`the Admin page is over its ${BUDGET_KB.admin} kB budget`);
if (supervisorKb > BUDGET_KB.supervisor) problems.push(`the Supervisor page is over its ${BUDGET_KB.supervisor} kB budget`);

console.log(`tab, gzipped:`);
console.log(`  My Sessions initial load: ${initialKb.toFixed(1)} kB (budget ${BUDGET_KB.initial} kB): ${list(filesOf(initial))}`);
console.log(`  Admin page on top of it:  ${adminKb.toFixed(1)} kB (budget ${BUDGET_KB.admin} kB): ${list(filesOf(adminOnly))}`);
console.log(
  `  Supervisor page on top:  ${supervisorKb.toFixed(1)} kB (budget ${BUDGET_KB.supervisor} kB): ${list(filesOf(supervisorOnly))}`,
);
console.log(`  Admin or @xyflow modules in My Sessions' initial load: ${leaked.length}`);
for (const p of problems) console.error(`tab: ${p}`);
if (problems.length) process.exit(1);

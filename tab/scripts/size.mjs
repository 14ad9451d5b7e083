// Prints the tab's gzipped JavaScript and fails above its 250 kB budget.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = join(import.meta.dirname, '..', 'dist', 'tab', 'assets');
const js = readdirSync(dir).filter((f) => f.endsWith('.js'));
const total = js.reduce((n, f) => n + gzipSync(readFileSync(join(dir, f))).length, 0);
console.log(`tab: ${js.length} JavaScript file(s), ${(total / 1024).toFixed(1)} kB gzipped (budget 250 kB)`);
if (total > 250 * 1024) {
  console.error('the tab is over its 250 kB budget');
  process.exit(1);
}

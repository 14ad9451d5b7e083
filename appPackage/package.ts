/**
 * `npm run package [-- --env dev]`: fills the manifest's `${{NAME}}` placeholders from
 * env/.env.<environment> (default `local`), validates the result against the Teams manifest JSON
 * schema bundled in @microsoft/app-manifest (offline), checks the icons, and writes
 * appPackage/build/appPackage.<environment>.zip.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { ManifestUtil } from '@microsoft/app-manifest';

const here = __dirname;
const root = join(here, '..');

/** KEY=VALUE lines; `#` starts a comment; values may be quoted. */
export function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trim().startsWith('#')) continue;
    out[m[1]!] = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/** Replaces every `${{NAME}}`; throws listing every name without a value. */
export function fill(template: string, vars: Record<string, string>): string {
  const missing = new Set<string>();
  const out = template.replace(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_m, name: string) => {
    const v = vars[name];
    if (v === undefined) {
      missing.add(name);
      return '';
    }
    return JSON.stringify(v).slice(1, -1);
  });
  if (missing.size)
    throw new Error(`No value for ${[...missing].join(', ')}: set ${missing.size > 1 ? 'them' : 'it'} in the environment file.`);
  return out;
}

/** Width and height from a PNG's IHDR. */
export function pngSize(buf: Buffer): { width: number; height: number } {
  if (buf.readUInt32BE(12) !== 0x49484452) throw new Error('not a PNG');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

export function schema(): Record<string, unknown> {
  const path = require.resolve('@microsoft/app-manifest/build/json-schemas/teams/v1.24/MicrosoftTeams.schema.json');
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** Problems with the filled manifest (empty: valid). */
export async function validate(manifest: Record<string, unknown>): Promise<string[]> {
  const s = schema();
  delete s.$schema; // draft-04 is what the validator speaks; the id must not trigger a fetch
  return ManifestUtil.validateManifestAgainstSchema(manifest as never, s as never);
}

export async function buildPackage(env: string, vars?: Record<string, string>): Promise<{ path: string; files: string[] }> {
  const values = vars ?? { ...parseEnv(readFileSync(join(root, 'env', `.env.${env}`), 'utf8')), ...pick(process.env) };
  const manifestText = fill(readFileSync(join(here, 'manifest.json'), 'utf8'), values);
  const manifest = JSON.parse(manifestText) as Record<string, unknown>;
  const problems = await validate(manifest);
  if (problems.length) throw new Error(`The manifest is not valid:\n  ${problems.join('\n  ')}`);
  const color = readFileSync(join(here, 'color.png'));
  const outline = readFileSync(join(here, 'outline.png'));
  const c = pngSize(color);
  const o = pngSize(outline);
  if (c.width !== 192 || c.height !== 192) throw new Error(`color.png must be 192x192, is ${c.width}x${c.height}`);
  if (o.width !== 32 || o.height !== 32) throw new Error(`outline.png must be 32x32, is ${o.width}x${o.height}`);
  const files = { 'manifest.json': Buffer.from(JSON.stringify(manifest, null, 2)), 'color.png': color, 'outline.png': outline };
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, new Uint8Array(v)])));
  mkdirSync(join(here, 'build'), { recursive: true });
  const path = join(here, 'build', `appPackage.${env}.zip`);
  writeFileSync(path, zip);
  return { path, files: Object.keys(files) };
}

/** Manifest variables may also come from the process environment (CI, Teams Toolkit). */
function pick(env: NodeJS.ProcessEnv): Record<string, string> {
  const names = ['APP_VERSION', 'TEAMS_APP_ID', 'BOT_ID', 'TAB_DOMAIN', 'TAB_ENDPOINT', 'AAD_APP_CLIENT_ID', 'APP_NAME_SUFFIX'];
  return Object.fromEntries(names.flatMap((n) => (env[n] !== undefined ? [[n, env[n] as string]] : [])));
}

if (require.main === module) {
  const i = process.argv.indexOf('--env');
  const env = i >= 0 ? (process.argv[i + 1] ?? 'local') : 'local';
  buildPackage(env).then(
    (r) => console.log(`wrote ${r.path} (${r.files.join(', ')})`),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}

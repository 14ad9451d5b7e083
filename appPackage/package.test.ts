import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { buildPackage, fill, parseEnv, pngSize, validate } from './package';

const vars = parseEnv(readFileSync(join(__dirname, '..', 'env', '.env.local'), 'utf8'));
const template = readFileSync(join(__dirname, 'manifest.json'), 'utf8');

test('the manifest template, filled, validates against the Teams manifest schema (offline)', async () => {
  const manifest = JSON.parse(fill(template, vars));
  expect(await validate(manifest)).toEqual([]);
  expect(manifest.staticTabs.map((t: { name: string; contentUrl: string }) => [t.name, t.contentUrl])).toEqual([
    ['My Sessions', 'https://localhost:3978/tab/'],
    ['Admin', 'https://localhost:3978/tab/admin'],
    ['Supervisor', 'https://localhost:3978/tab/supervisor'],
  ]);
  // My Sessions' entityId is what the Supervisor page navigates to after a takeover (tab/src/main.tsx).
  expect(manifest.staticTabs[0].entityId).toBe('mysessions');
  expect(manifest.bots[0].scopes).toEqual(['personal']);
  expect(manifest.webApplicationInfo.resource).toBe(`api://localhost:3978/${vars.AAD_APP_CLIENT_ID}`);
});

test('the validator does catch a broken manifest', async () => {
  const manifest = JSON.parse(fill(template, vars));
  delete manifest.name;
  manifest.bots[0].scopes = ['everywhere'];
  const problems = await validate(manifest);
  expect(problems.length).toBeGreaterThanOrEqual(2);
});

test('a missing variable is reported by name', () => {
  const { BOT_ID: _gone, TAB_DOMAIN: _gone2, ...rest } = vars;
  expect(() => fill(template, rest)).toThrow(/No value for BOT_ID, TAB_DOMAIN/);
});

test('the package zip has the manifest and both icons at the right sizes', async () => {
  const r = await buildPackage('test', vars);
  const files = unzipSync(new Uint8Array(readFileSync(r.path)));
  expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  expect(pngSize(Buffer.from(files['color.png']!))).toEqual({ width: 192, height: 192 });
  expect(pngSize(Buffer.from(files['outline.png']!))).toEqual({ width: 32, height: 32 });
  expect(JSON.parse(Buffer.from(files['manifest.json']!).toString()).id).toBe(vars.TEAMS_APP_ID);
});

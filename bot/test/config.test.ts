/** Bad configuration stops the server with exit code 2 and every problem listed. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, maskUrl, maskUrlsIn } from '../config';

test('loadConfig lists every problem, not just the first', () => {
  let err: unknown;
  try {
    loadConfig({ PORT: 'eighty', PUBLIC_BASE_URL: 'not a url', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', BOT_ID: 'abc' });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  const problems = (err as ConfigError).problems.join('\n');
  expect(problems).toMatch(/PORT/);
  expect(problems).toMatch(/PUBLIC_BASE_URL/);
  expect(problems).toMatch(/LOG_LEVEL/);
  expect(problems).toMatch(/DATABASE_URL/);
  expect(problems).toMatch(/SECRET_BOT_PASSWORD/);
});

test('npm start exits with code 2 on a bad environment or tenant file, saying why', () => {
  const root = resolve(__dirname, '../..');
  const bad = spawnSync(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: 'eighty', DATA_DIR: 'memory://' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('PORT');
  const dir = mkdtempSync(join(tmpdir(), 'stratus-cfg-'));
  const file = join(dir, 'tenant.json');
  writeFileSync(
    file,
    JSON.stringify({ id: 'x', name: 'X', users: [], services: [{ id: 's', name: 'S', im: { enabled: true, workflowId: 'nope' } }] }),
  );
  const badTenant = spawnSync(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', DATA_DIR: 'memory://', STRATUS_CONFIG: file },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(badTenant.status).toBe(2);
  expect(badTenant.stderr).toContain('services[0].im.workflowId: unknown workflow "nope"');
});

const KEY = Buffer.alloc(32, 1).toString('base64');
const LOCAL = { PORT: '0', DATA_DIR: 'memory://', STRATUS_SECRET_KEY: KEY };
const problemsOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
    return '';
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.join('\n');
    throw e;
  }
};

test('dev mode is on by default only on loopback, with a loopback public URL and no Entra app', () => {
  const c = loadConfig(LOCAL);
  expect(c.host).toBe('127.0.0.1');
  expect(c.devMode).toBe(true);
  for (const PUBLIC_BASE_URL of ['http://localhost:3978', 'http://127.0.0.1:8080', 'http://[::1]:3978', 'https://LOCALHOST']) {
    expect(loadConfig({ ...LOCAL, PUBLIC_BASE_URL }).devMode).toBe(true);
  }
  for (const HOST of ['127.0.0.1', '::1', 'localhost']) expect(loadConfig({ ...LOCAL, HOST }).devMode).toBe(true);
  expect(loadConfig({ ...LOCAL, DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/x' }).devMode).toBe(true);
});

test.each([
  ['bot credentials', { BOT_ID: 'b', SECRET_BOT_PASSWORD: 'p' }, /BOT_ID/],
  [
    'a public URL',
    { PUBLIC_BASE_URL: 'https://stratus.example.com' },
    /PUBLIC_BASE_URL is not a loopback URL \(https:\/\/stratus\.example\.com\)/,
  ],
  ['a look-alike URL', { PUBLIC_BASE_URL: 'http://localhost.example.com' }, /PUBLIC_BASE_URL/],
  ['every interface', { HOST: '0.0.0.0' }, /HOST is not a loopback address \(0\.0\.0\.0\)/],
  ['a LAN address', { HOST: '192.168.1.5' }, /HOST/],
])('without Entra, %s refuses dev mode unless STRATUS_DEV_MODE says so', (_name, extra, reason) => {
  const problems = problemsOf({ ...LOCAL, ...extra });
  expect(problems).toMatch(reason);
  expect(problems).toMatch(/ENTRA_CLIENT_ID/);
  expect(problems).toMatch(/STRATUS_DEV_MODE=true/);
  const forced = loadConfig({ ...LOCAL, ...extra, STRATUS_DEV_MODE: 'true' });
  expect(forced.devMode).toBe(true);
  expect(forced.warnings.join(' ')).toMatch(/DEV MODE forced by STRATUS_DEV_MODE=true although/);
  const off = loadConfig({ ...LOCAL, ...extra, STRATUS_DEV_MODE: 'false' });
  expect(off.devMode).toBe(false);
  expect(off.warnings.join(' ')).toMatch(/no agent can sign in/);
});

test("an Entra app (ENTRA_CLIENT_ID or Teams Toolkit's AAD_APP_CLIENT_ID) turns dev mode off and listens on every interface", () => {
  const toolkit = loadConfig({
    ...LOCAL,
    AAD_APP_CLIENT_ID: 'toolkit-app',
    BOT_ID: 'b',
    SECRET_BOT_PASSWORD: 'p',
    PUBLIC_BASE_URL: 'https://stratus.example.com',
  });
  expect(toolkit.entra?.clientId).toBe('toolkit-app');
  expect(toolkit.devMode).toBe(false);
  expect(toolkit.host).toBe('0.0.0.0');
  expect(toolkit.warnings).toEqual([]);
  expect(loadConfig({ ...LOCAL, AAD_APP_CLIENT_ID: 'toolkit-app', ENTRA_CLIENT_ID: 'explicit' }).entra?.clientId).toBe('explicit');
  expect(loadConfig({ ...LOCAL, ENTRA_CLIENT_ID: 'e', HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
  expect(problemsOf({ ...LOCAL, AAD_APP_CLIENT_ID: 'toolkit-app', STRATUS_DEV_MODE: 'true' })).toMatch(
    /STRATUS_DEV_MODE=true with an Entra app configured/,
  );
  expect(problemsOf({ ...LOCAL, STRATUS_DEV_MODE: 'yes' })).toMatch(/STRATUS_DEV_MODE: true or false/);
});

test('STRATUS_DEV_MODE=false without Entra starts with dev mode off and says nobody can sign in', () => {
  const c = loadConfig({ ...LOCAL, STRATUS_DEV_MODE: 'false' });
  expect(c.devMode).toBe(false);
  expect(c.warnings).toHaveLength(1);
});

test('outside dev mode a secret key is required, and a malformed one is refused without being printed', () => {
  const { STRATUS_SECRET_KEY: _key, ...noKey } = LOCAL;
  expect(problemsOf({ ...noKey, STRATUS_DEV_MODE: 'false' })).toMatch(/STRATUS_SECRET_KEY is required outside dev mode/);
  expect(loadConfig({ ...noKey }).secretKey).toBeUndefined();
  const bad = problemsOf({ ...LOCAL, STRATUS_SECRET_KEY: 'too-short-a-key' });
  expect(bad).toMatch(/STRATUS_SECRET_KEY: expected 32 random bytes/);
  expect(bad).not.toContain('too-short-a-key');
  expect(loadConfig({ ...LOCAL, STRATUS_SECRET_KEY: 'ab'.repeat(32) }).secretKey).toEqual(Buffer.alloc(32, 0xab));
  expect(loadConfig({ ...LOCAL }).secretKey).toEqual(Buffer.alloc(32, 1));
});

test('a database password never appears in a configuration problem', () => {
  expect(maskUrl('postgres://u:secret@db:5432/x')).toBe('postgres://u:***@db:5432/x');
  expect(maskUrl('postgres://u:p@ss@db/x')).toBe('postgres://u:***@db/x');
  expect(maskUrl('postgres://db/x')).toBe('postgres://db/x');
  expect(maskUrlsIn('connect to postgres://u:secret@db/x failed; mysql://a:b@c/')).toBe(
    'connect to postgres://u:***@db/x failed; mysql://a:***@c/',
  );
  const problems = problemsOf({
    ...LOCAL,
    DATABASE_URL: 'mysql://u:secret@db/x',
    PUBLIC_BASE_URL: 'https://admin:secret@stratus.example.com',
  });
  expect(problems).toMatch(/DATABASE_URL/);
  expect(problems).not.toContain('secret');
});

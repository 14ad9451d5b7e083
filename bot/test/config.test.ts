/** Bad configuration stops the server with exit code 2 and every problem listed. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config';

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
  const bad = spawnSync(process.execPath, ['--import', 'tsx', 'bot/main.ts'], { cwd: root, env: { ...process.env, PORT: 'eighty', DATA_DIR: 'memory://' }, encoding: 'utf8', timeout: 60_000 });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('PORT');
  const dir = mkdtempSync(join(tmpdir(), 'stratus-cfg-'));
  const file = join(dir, 'tenant.json');
  writeFileSync(file, JSON.stringify({ id: 'x', name: 'X', users: [], services: [{ id: 's', name: 'S', im: { enabled: true, workflowId: 'nope' } }] }));
  const badTenant = spawnSync(process.execPath, ['--import', 'tsx', 'bot/main.ts'], { cwd: root, env: { ...process.env, PORT: '0', DATA_DIR: 'memory://', STRATUS_CONFIG: file }, encoding: 'utf8', timeout: 60_000 });
  expect(badTenant.status).toBe(2);
  expect(badTenant.stderr).toContain('services[0].im.workflowId: unknown workflow "nope"');
});

/**
 * Start-up refusals, as `npm start` runs them (a child process): every unsafe dev-mode
 * combination exits with code 2 and says why; STRATUS_DEV_MODE=true starts it anyway, loudly;
 * known secrets are refused outside dev mode; a database password is never printed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { demoTenant } from '@stratus/shared/tenant/demo';

jest.setTimeout(300_000);

const root = resolve(__dirname, '../..');
const INHERITED_SETTINGS = [
  'ENTRA_CLIENT_ID',
  'AAD_APP_CLIENT_ID',
  'ENTRA_AUDIENCES',
  'ENTRA_AUTHORITY',
  'BOT_ID',
  'SECRET_BOT_PASSWORD',
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'DATABASE_URL',
  'HOST',
  'PUBLIC_BASE_URL',
  'STRATUS_CONFIG',
  'STRATUS_DEV_MODE',
  'TRUST_PROXY',
];
const baseEnv: Record<string, string> = Object.fromEntries(
  Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !INHERITED_SETTINGS.includes(e[0])),
);

interface Run {
  code: number | null;
  output: string;
  /** The server said it listens (then it was stopped with SIGTERM). */
  listened: boolean;
}

/**
 * Runs bot/main.ts with `env`; stops it with SIGTERM as soon as it prints `until` (by default,
 * that it listens).
 */
function run(env: Record<string, string>, until = 'Stratus listening on'): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
      cwd: root,
      env: { ...baseEnv, PORT: '0', DATA_DIR: 'memory://', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let seen = false;
    const onData = (d: Buffer) => {
      output += String(d);
      if (!seen && output.includes(until)) {
        seen = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const guard = setTimeout(() => child.kill('SIGKILL'), 280_000);
    child.on('exit', (code) => {
      clearTimeout(guard);
      done({ code, output, listened: output.includes('Stratus listening on') });
    });
  });
}

function tenantFile(authToken: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-startup-'));
  const file = join(dir, 'tenant.json');
  const t = demoTenant();
  writeFileSync(file, JSON.stringify({ tenants: [{ ...t, twilio: { ...t.twilio, authToken } }] }));
  return file;
}

const KEY = 'q1OMlbJ7B7mS4p1xF0cYk6iQ2nL0vX8a3HhT5wRzE9c=';

/** Contoso with a real-looking token, and a second tenant whose entry is broken in two ways. */
function twoTenantsOneBroken(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-startup-'));
  const file = join(dir, 'tenants.json');
  const t = demoTenant();
  const good = { ...t, twilio: { ...t.twilio, authToken: '9f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99' } };
  const broken = {
    id: 'fabrikam',
    name: 'Fabrikam',
    users: [],
    services: [{ id: 'help', name: 'Help', im: { enabled: true, workflowId: 'ghost' } }],
    workflows: [],
  };
  writeFileSync(file, JSON.stringify({ tenants: [broken, good] }));
  return file;
}

const UNSAFE: [string, Record<string, string>, RegExp][] = [
  ['bot credentials without Entra', { BOT_ID: 'bot-app', SECRET_BOT_PASSWORD: 'bot-secret' }, /BOT_ID, SECRET_BOT_PASSWORD/],
  ['a public URL without Entra', { PUBLIC_BASE_URL: 'https://stratus.example.com' }, /PUBLIC_BASE_URL is not a loopback URL/],
  ['every interface without Entra', { HOST: '0.0.0.0' }, /HOST is not a loopback address \(0\.0\.0\.0\)/],
];

// Every child starts at once (a server start is the slow part): the tests below read the results.
let runs: Record<string, Promise<Run>>;
beforeAll(() => {
  runs = {
    ...Object.fromEntries(UNSAFE.map(([name, env]) => [`refused ${name}`, run(env)])),
    // A server start is slow on a busy machine: each forced combination is let through the
    // configuration (its warning printed), and all of them together, with a placeholder Twilio
    // token that dev mode takes, start up to listening.
    ...Object.fromEntries(UNSAFE.map(([name, env]) => [`forced ${name}`, run({ ...env, STRATUS_DEV_MODE: 'true' }, 'DEV MODE forced')])),
    forcedAll: run({
      ...Object.assign({}, ...UNSAFE.map(([, env]) => env)),
      STRATUS_DEV_MODE: 'true',
      STRATUS_CONFIG: tenantFile('${{SECRET_TWILIO_AUTH_TOKEN}}'),
    }),
    demo: run({ STRATUS_DEV_MODE: 'false', STRATUS_SECRET_KEY: KEY }),
    placeholder: run({ STRATUS_DEV_MODE: 'false', STRATUS_SECRET_KEY: KEY, STRATUS_CONFIG: tenantFile('changeme') }),
    malformed: run({ STRATUS_DEV_MODE: 'false', STRATUS_SECRET_KEY: KEY, STRATUS_CONFIG: tenantFile('0123456789abcdef') }),
    demoToken: run({
      ENTRA_CLIENT_ID: 'tab-app',
      HOST: '127.0.0.1',
      STRATUS_SECRET_KEY: KEY,
      STRATUS_CONFIG: tenantFile('demo-twilio-auth-token'),
    }),
    realToken: run({ STRATUS_DEV_MODE: 'false', STRATUS_SECRET_KEY: KEY, STRATUS_CONFIG: tenantFile('9f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99') }),
    noKey: run({ STRATUS_DEV_MODE: 'false', STRATUS_CONFIG: tenantFile('9f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99') }),
    oneBroken: run({ STRATUS_DEV_MODE: 'false', STRATUS_SECRET_KEY: KEY, STRATUS_CONFIG: twoTenantsOneBroken() }),
    database: run({ DATABASE_URL: 'postgres://stratus:secret@127.0.0.1:1/stratus' }),
  };
});

test('every unsafe dev-mode combination exits with code 2 and says why; STRATUS_DEV_MODE=true starts it, loudly', async () => {
  for (const [name, , reason] of UNSAFE) {
    const r = await runs[`refused ${name}`]!;
    const f = await runs[`forced ${name}`]!;
    expect({ name, code: r.code, listened: r.listened }).toEqual({ name, code: 2, listened: false });
    expect(r.output).toMatch(/Stratus cannot start/);
    expect(r.output).toMatch(reason);
    expect(r.output).toMatch(/ENTRA_CLIENT_ID or AAD_APP_CLIENT_ID/);
    expect(r.output).not.toContain('bot-secret');
    expect(f.code).not.toBe(2);
    expect(f.output).toMatch(/WARN DEV MODE forced by STRATUS_DEV_MODE=true although/);
    expect(f.output).toMatch(reason);
  }
  const all = await runs.forcedAll!;
  expect({ listened: all.listened, output: all.listened ? '' : all.output }).toEqual({ listened: true, output: '' });
  expect(all.output).toMatch(/WARN DEV MODE forced by STRATUS_DEV_MODE=true although bot credentials are set .*PUBLIC_BASE_URL.*HOST/);
});

test('outside dev mode, the demo tenant and placeholder or malformed Twilio tokens are refused; a real token starts', async () => {
  const [demo, placeholder, malformed, demoToken, realToken] = await Promise.all([
    runs.demo!,
    runs.placeholder!,
    runs.malformed!,
    runs.demoToken!,
    runs.realToken!,
  ]);
  expect([demo.code, placeholder.code, malformed.code, demoToken.code]).toEqual([2, 2, 2, 2]);
  expect(demo.output).toMatch(/STRATUS_CONFIG is not set: the demo tenant .* runs only in dev mode/);
  expect(placeholder.output).toMatch(/tenants\[0\]\.twilio\.authToken: tenant "contoso" has a placeholder Twilio auth token/);
  expect(malformed.output).toMatch(
    /tenants\[0\]\.twilio\.authToken: tenant "contoso" has a malformed Twilio auth token \(expected 32 hexadecimal characters\)/,
  );
  expect(demoToken.output).toMatch(/placeholder Twilio auth token/);
  expect({ listened: realToken.listened, output: realToken.listened ? '' : realToken.output }).toEqual({ listened: true, output: '' });
  expect(realToken.output).toMatch(/no agent can sign in/);
  expect(realToken.output).toMatch(/\/api\/messages refuses every activity/);
});

test('outside dev mode the secret key is required; a broken tenant in the file is reported and the others run', async () => {
  const [noKey, oneBroken] = await Promise.all([runs.noKey!, runs.oneBroken!]);
  expect(noKey.code).toBe(2);
  expect(noKey.output).toMatch(/STRATUS_SECRET_KEY is required outside dev mode/);
  expect({ listened: oneBroken.listened, output: oneBroken.listened ? '' : oneBroken.output }).toEqual({ listened: true, output: '' });
  expect(oneBroken.output).toMatch(
    /tenant configuration refused: tenants\[0\]\.services\[0\]\.im\.workflowId: unknown workflow "ghost" \(tenant "fabrikam" is refused\)/,
  );
  expect(oneBroken.output).not.toMatch(/tenants\[1\]/);
});

test('an unreachable database is reported with its password masked', async () => {
  const r = await runs.database!;
  expect(r.listened).toBe(false);
  expect(r.code).not.toBe(0);
  expect(r.output).toContain('postgres://stratus:***@127.0.0.1:1/stratus');
  expect(r.output).not.toContain('secret');
});

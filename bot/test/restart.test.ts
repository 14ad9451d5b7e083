/**
 * Crash safety: `npm start` on a data folder, a chat in progress, SIGKILL, `npm start` again on the
 * same data. Every acknowledged message is there, the connected session is still connected and
 * works, and a task that was waiting in the queue is offered again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from './harness';

jest.setTimeout(120_000);

const root = resolve(__dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'stratus-restart-'));
let port = 0;
let child: ChildProcess | undefined;
let output = '';

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

async function startServer(): Promise<void> {
  // Its own process group, so SIGKILL reaches npm and the node process it runs.
  child = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  await waitFor(`the server on port ${port}`, async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 60_000).catch((e) => {
    throw new Error(`${String(e)}\n${output}`);
  });
}

function kill9(): Promise<void> {
  const c = child;
  if (!c?.pid) return Promise.resolve();
  return new Promise((res) => {
    c.once('exit', () => res());
    process.kill(-c.pid!, 'SIGKILL');
  });
}

async function call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; data: any }> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return { status: r.status, data: text ? JSON.parse(text) : undefined };
}

const token = async (upn: string) => (await call('POST', '/api/dev/token', { upn })).data.token as string;

beforeAll(async () => {
  port = await freePort();
  await startServer();
});

afterAll(async () => {
  await kill9();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a SIGKILL mid-chat loses no acknowledged message and leaves no task stuck', async () => {
  const agents = { alice: await token('alice@contoso.com'), bob: await token('bob@contoso.com') };
  const chat = (
    await call('POST', '/api/interact/support/chats', {
      displayName: 'Rita',
      email: 'rita@example.com',
      privacyAccepted: true,
      message: 'first',
    })
  ).data;
  const offer = await waitFor('an offer', async () => {
    for (const [name, t] of Object.entries(agents)) {
      const s = (await call('GET', '/api/agent/sessions', undefined, t)).data.sessions.find((x: any) => x.state === 'offered');
      if (s) return { name, t, id: s.id as string };
    }
    return undefined;
  });
  expect((await call('POST', `/api/agent/sessions/${offer.id}/accept`, {}, offer.t)).status).toBe(200);
  const acked: string[] = ['first'];
  for (let i = 1; i <= 5; i++) {
    const text = `customer message ${i}`;
    expect((await call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text, clientMessageId: `m${i}` }, chat.token)).status).toBe(
      201,
    );
    acked.push(text);
  }
  expect(
    (await call('POST', `/api/agent/sessions/${offer.id}/messages`, { text: 'agent reply', clientMessageId: 'r1' }, offer.t)).status,
  ).toBe(201);
  acked.push('agent reply');
  // A second customer's chat is offered, not yet answered, when the server dies.
  const waiting = (
    await call('POST', '/api/interact/support/chats', {
      displayName: 'Walt',
      email: 'walt@example.com',
      privacyAccepted: true,
      message: 'anyone?',
    })
  ).data;
  expect(waiting.chatId).toBeDefined();
  const findWalt = async () => {
    for (const t of Object.values(agents)) {
      const s = (await call('GET', '/api/agent/sessions', undefined, t)).data.sessions.find(
        (x: any) => x.state === 'offered' && x.customer.displayName === 'Walt',
      );
      if (s) return { t, id: s.id as string };
    }
    return undefined;
  };
  await waitFor('the second chat to be offered', findWalt);

  await kill9();
  await startServer();

  const history = await call('GET', `/api/interact/chats/${chat.chatId}/messages`, undefined, chat.token);
  expect(history.status).toBe(200);
  const texts = history.data.messages.map((m: any) => m.text);
  for (const t of acked) expect(texts).toContain(t);
  const seqs = history.data.messages.map((m: any) => m.seq);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));

  const sessions = (await call('GET', '/api/agent/sessions', undefined, offer.t)).data.sessions;
  expect(sessions.find((s: any) => s.id === offer.id)?.state).toBe('connected');
  // The session still works both ways.
  expect(
    (await call('POST', `/api/agent/sessions/${offer.id}/messages`, { text: 'still here', clientMessageId: 'r2' }, offer.t)).status,
  ).toBe(201);
  expect(
    (await call('POST', `/api/interact/chats/${chat.chatId}/messages`, { text: 'great', clientMessageId: 'm9' }, chat.token)).status,
  ).toBe(201);

  // The offered task is still offered after the restart, and can be taken.
  const walt = await waitFor('the second chat to be offered after the restart', findWalt, 20_000);
  expect((await call('POST', `/api/agent/sessions/${walt.id}/accept`, {}, walt.t)).status).toBe(200);
});

test('a configuration change made through the admin API survives a SIGKILL restart (the demo tenant is not imported over it)', async () => {
  const alice = await token('alice@contoso.com');
  const r = await fetch(`http://127.0.0.1:${port}/api/admin/config`, { headers: { authorization: `Bearer ${alice}` } });
  const config = await r.json();
  const etag = r.headers.get('etag') ?? '';
  const support = config.services[0];
  const next = {
    ...config,
    name: 'Contoso after the change',
    services: [
      ...config.services,
      {
        ...support,
        id: 'billing',
        name: 'Billing',
        im: { ...support.im, interact: { code: 'billing', allowedOrigins: [] }, whatsapp: undefined },
      },
    ],
  };
  const saved = await fetch(`http://127.0.0.1:${port}/api/admin/config`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json', 'if-match': etag },
    body: JSON.stringify(next),
  });
  expect(saved.status).toBe(200);
  const savedEtag = saved.headers.get('etag');

  await kill9();
  await startServer();

  const after = await fetch(`http://127.0.0.1:${port}/api/admin/config`, { headers: { authorization: `Bearer ${alice}` } });
  expect(after.headers.get('etag')).toBe(savedEtag);
  expect((await after.json()).name).toBe('Contoso after the change');
  const chat = await call('POST', '/api/interact/billing/chats', { displayName: 'Ben', email: 'ben@example.com', privacyAccepted: true });
  expect(chat.status).toBe(201);
});

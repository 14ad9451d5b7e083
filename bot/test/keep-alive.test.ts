/**
 * Idle keep-alive connections stay open longer than a proxy in front keeps its own (HTTP_KEEP_ALIVE_S,
 * default 65 s; Node's own is 5 s): a proxy never sends a request on a connection the server is
 * closing, and a client reuses its connections when traffic rises instead of opening new ones.
 */
import net from 'node:net';
import { ConfigError, loadConfig } from '../config';
import { startHarness, type Harness } from './harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw connection to the server: send a request, wait for its answer's headers, see when the server closes it. */
function connection(url: string) {
  const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
  let text = '';
  let waiting: ((at: number) => void) | undefined;
  socket.on('data', (d) => {
    text += d.toString('latin1');
    if (text.includes('\r\n\r\n')) waiting?.(performance.now());
  });
  let closedAt: number | undefined;
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve((closedAt = performance.now()))));
  return {
    /** GET /healthz on this connection: the answer's head, and when it came. */
    get: async (): Promise<{ head: string; at: number }> => {
      text = '';
      const answered = new Promise<number>((resolve) => (waiting = resolve));
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
      const at = await answered;
      return { head: text.slice(0, text.indexOf('\r\n\r\n')).toLowerCase(), at };
    },
    closed,
    isClosed: () => closedAt !== undefined,
    destroy: () => socket.destroy(),
  };
}

describe('the default', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 60_000);
  afterAll(() => h?.stop());

  test("a connection idle for longer than Node's 5 s stays open and carries the next request", async () => {
    const c = connection(h.url);
    try {
      const first = await c.get();
      expect(first.head).toMatch(/^http\/1\.1 200/);
      expect(first.head).toContain('keep-alive: timeout=65');
      // Node's own timeout closes an idle connection 5 to 6 s after its last answer.
      await sleep(7_000);
      expect(c.isClosed()).toBe(false);
      expect((await c.get()).head).toMatch(/^http\/1\.1 200/);
    } finally {
      c.destroy();
    }
  }, 20_000);
});

describe('HTTP_KEEP_ALIVE_S', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { HTTP_KEEP_ALIVE_S: '1' } });
  }, 60_000);
  afterAll(() => h?.stop());

  test('sets how long an idle connection stays: the answer says so, and the server closes it then', async () => {
    const c = connection(h.url);
    try {
      const { head, at } = await c.get();
      expect(head).toMatch(/^http\/1\.1 200/);
      expect(head).toContain('keep-alive: timeout=1');
      // Closed by the server a second after its answer (Node checks its timers loosely), well before Node's own 5 s.
      const idle = (await c.closed) - at;
      expect(idle).toBeGreaterThanOrEqual(900);
      expect(idle).toBeLessThan(4_000);
    } finally {
      c.destroy();
    }
  }, 20_000);
});

test('HTTP_KEEP_ALIVE_S defaults to 65 s and takes whole seconds from 1 to 3600', () => {
  expect(loadConfig({}).keepAliveMs).toBe(65_000);
  expect(loadConfig({ HTTP_KEEP_ALIVE_S: '120' }).keepAliveMs).toBe(120_000);
  for (const bad of ['0', '-5', '1.5', 'forever', '3601']) {
    expect(() => loadConfig({ HTTP_KEEP_ALIVE_S: bad })).toThrow(ConfigError);
    try {
      loadConfig({ HTTP_KEEP_ALIVE_S: bad });
    } catch (e) {
      expect((e as ConfigError).problems.join('\n')).toMatch(/HTTP_KEEP_ALIVE_S: seconds an idle connection stays open \(1-3600\)/);
    }
  }
});

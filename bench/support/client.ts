/**
 * The load generator's HTTP side: `node:http` with keep-alive rather than fetch (the generator shares
 * the machine with the server, so it should cost as little CPU as it can; fetch costs about twice as
 * much per post), bounded retries, and a concurrency pool.
 */
import http from 'node:http';
import { sleep } from './server';

/** Runs `fn` over `items` with at most `n` at once. */
export async function pool<T, R>(items: T[], n: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T, i);
      }
    }),
  );
  return out;
}

/** Keep-alive JSON client for one server. */
export class BenchClient {
  readonly agent: http.Agent;

  constructor(
    readonly base: string,
    maxSockets = 200,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(method: string, path: string, body: string | undefined, token?: string): Promise<{ status: number; text: string }> {
    return new Promise((res, rej) => {
      const req = http.request(
        this.base + path,
        {
          method,
          agent: this.agent,
          timeout: 30_000,
          headers: {
            ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (r) => {
          let text = '';
          r.setEncoding('utf8');
          r.on('data', (c: string) => (text += c));
          r.on('end', () => res({ status: r.statusCode ?? 0, text }));
          r.on('error', rej);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      req.on('error', rej);
      req.end(body);
    });
  }

  /**
   * POSTs JSON and parses the answer. Every post the benches make is idempotent (client message ids,
   * tokens, accepts), so a reset connection is retried 3 times and a 503 for up to 5 s.
   */
  async post(path: string, body: unknown, token?: string): Promise<any> {
    for (let attempt = 0, busy = 0; ;) {
      const r = await this.request('POST', path, JSON.stringify(body), token).catch((e: unknown) => {
        if (++attempt > 3) throw e;
        return undefined;
      });
      if (!r) continue;
      if (r.status === 503 && ++busy <= 100) {
        await sleep(50);
        continue;
      }
      if (r.status >= 300) throw new Error(`${path}: ${r.status} ${r.text}`);
      return JSON.parse(r.text);
    }
  }

  async get(path: string, token?: string): Promise<any> {
    const r = await this.request('GET', path, undefined, token);
    if (r.status >= 300) throw new Error(`${path}: ${r.status} ${r.text}`);
    return JSON.parse(r.text);
  }

  destroy(): void {
    this.agent.destroy();
  }
}

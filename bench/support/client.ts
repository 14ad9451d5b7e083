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

/**
 * Opens an agent's event stream (`GET /api/agent/events`) and calls `onEvent` with each frame's
 * JSON whose raw block contains `marker` (a cheap filter: most frames are not the bench's).
 * Resolves once the stream answered; the request is returned so the caller can close it.
 */
export function openAgentEvents(base: string, token: string, marker: string, onEvent: (e: any) => void): Promise<http.ClientRequest> {
  return new Promise((res, rej) => {
    const req = http.get(`${base}/api/agent/events`, { headers: { authorization: `Bearer ${token}` } }, (r) => {
      let buf = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (!block.includes(marker)) continue;
          const line = block.split('\n').find((l) => l.startsWith('data: '));
          if (line) onEvent(JSON.parse(line.slice(6)));
        }
      });
      r.on('error', () => undefined);
      res(req);
    });
    req.on('error', rej);
  });
}

/**
 * A local stand-in for the Bot Connector service: records every activity the bot sends or
 * updates, answers with activity ids, and can answer 429 with Retry-After when a test asks.
 */
import { createServer } from 'node:http';

export interface Recorded {
  method: string;
  conversationId: string;
  activityId?: string;
  at: number;
  activity: any;
}

export interface ConnectorStandIn {
  url: string;
  recorded: Recorded[];
  throttleNext: number;
  /** Answer the next sends with this status (e.g. 504, 403). */
  failNext: number[];
  close(): Promise<void>;
}

export async function startConnectorStandIn(): Promise<ConnectorStandIn> {
  const state: { recorded: Recorded[]; throttleNext: number; failNext: number[] } = { recorded: [], throttleNext: 0, failNext: [] };
  let n = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
      if (!m) {
        res.writeHead(404);
        res.end();
        return;
      }
      if (state.throttleNext > 0) {
        state.throttleNext -= 1;
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'slow down' } }));
        return;
      }
      const fail = state.failNext.shift();
      if (fail) {
        res.writeHead(fail, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'Failure', message: `stand-in ${fail}` } }));
        return;
      }
      const activity = body ? JSON.parse(body) : {};
      const conversationId = decodeURIComponent(m[1]!);
      if (req.method === 'PUT') {
        state.recorded.push({ method: 'PUT', conversationId, activityId: decodeURIComponent(m[2]!), at: Date.now(), activity });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: decodeURIComponent(m[2]!) }));
        return;
      }
      n += 1;
      const id = `act-${n}`;
      state.recorded.push({ method: 'POST', conversationId, activityId: id, at: Date.now(), activity });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    get recorded() {
      return state.recorded;
    },
    get throttleNext() {
      return state.throttleNext;
    },
    set throttleNext(v: number) {
      state.throttleNext = v;
    },
    get failNext() {
      return state.failNext;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** What the agent reads in a card, a line per block: TextBlocks, RichTextBlocks (their TextRuns joined), FactSet rows. */
export function cardTexts(activity: any): string[] {
  const out: string[] = [];
  const walk = (x: any) => {
    if (!x || typeof x !== 'object') return;
    if (x.type === 'TextBlock' && typeof x.text === 'string') out.push(x.text);
    if (x.type === 'RichTextBlock') out.push((x.inlines ?? []).map((r: any) => r.text).join(''));
    if (x.type === 'FactSet') for (const f of x.facts ?? []) out.push(`${f.title}: ${f.value}`);
    for (const v of Object.values(x)) walk(v);
  };
  walk(activity.attachments);
  return out;
}

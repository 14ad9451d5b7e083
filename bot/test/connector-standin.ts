/**
 * A local stand-in for the Bot Connector service: records every activity the bot sends, updates
 * (PUT) or deletes (DELETE), answers with activity ids as the connector does (a DELETE with 200
 * and no body), can answer 429 with Retry-After when a test asks, and can refuse deletes with 403
 * as Teams does in chats where a bot may not delete.
 */
import { createServer } from 'node:http';

export interface Recorded {
  method: string;
  conversationId: string;
  activityId?: string;
  at: number;
  activity: any;
  /** A DELETE the stand-in refused. */
  refused?: boolean;
}

export interface ConnectorStandIn {
  url: string;
  recorded: Recorded[];
  throttleNext: number;
  /** Answer the next sends with this status (e.g. 504, 403). */
  failNext: number[];
  /** Refuse this many of the next DELETEs with 403 (recorded with `refused: true`). */
  refuseDeletes: number;
  close(): Promise<void>;
}

export async function startConnectorStandIn(): Promise<ConnectorStandIn> {
  const state: { recorded: Recorded[]; throttleNext: number; failNext: number[]; refuseDeletes: number } = {
    recorded: [],
    throttleNext: 0,
    failNext: [],
    refuseDeletes: 0,
  };
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
      if (req.method === 'DELETE' && m[2]) {
        const refused = state.refuseDeletes > 0;
        if (refused) state.refuseDeletes -= 1;
        state.recorded.push({ method: 'DELETE', conversationId, activityId: decodeURIComponent(m[2]), at: Date.now(), activity, refused });
        if (!refused) {
          res.writeHead(200);
          res.end();
          return;
        }
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'BotNotAllowed', message: 'this chat does not allow a bot to delete' } }));
        return;
      }
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
    get refuseDeletes() {
      return state.refuseDeletes;
    },
    set refuseDeletes(v: number) {
      state.refuseDeletes = v;
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

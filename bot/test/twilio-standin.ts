/**
 * A local stand-in for Twilio's REST API: records every message the server sends and answers
 * as Twilio would (201 with a SID), or with the failures a test asks for.
 */
import { createServer, type Server } from 'node:http';
import twilio from 'twilio';

export interface SentMessage {
  accountSid: string;
  To: string;
  From: string;
  Body: string;
  StatusCallback?: string;
  sid: string;
}

export interface TwilioStandIn {
  url: string;
  sent: SentMessage[];
  /** Statuses to answer the next sends with (e.g. [503, 503]); empty: 201. */
  failNext: number[];
  close(): Promise<void>;
}

export async function startTwilioStandIn(): Promise<TwilioStandIn> {
  const sent: SentMessage[] = [];
  const failNext: number[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const m = /^\/2010-04-01\/Accounts\/(AC\w+)\/Messages\.json$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 20404, message: 'not found', status: 404 }));
        return;
      }
      const status = failNext.shift();
      if (status) {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: status === 429 ? 20429 : 20500, message: 'stand-in failure', status }));
        return;
      }
      const p = Object.fromEntries(new URLSearchParams(body));
      n += 1;
      const sid = `SM${String(n).padStart(32, '0')}`;
      sent.push({ accountSid: m[1]!, To: p.To ?? '', From: p.From ?? '', Body: p.Body ?? '', StatusCallback: p.StatusCallback, sid });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid, status: 'queued', to: p.To, from: p.From, body: p.Body, account_sid: m[1] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, sent, failNext, close: () => new Promise((r) => server.close(() => r())) };
}

/** Posts a form to the server signed as Twilio signs it (X-Twilio-Signature over base URL + path and every field). */
export async function postSigned(
  serverUrl: string,
  publicBaseUrl: string,
  path: string,
  params: Record<string, string>,
  authToken: string,
  forge = false,
): Promise<{ status: number; text: string }> {
  const signature = twilio.getExpectedTwilioSignature(authToken, publicBaseUrl + path, params);
  const r = await fetch(serverUrl + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': forge ? signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) : signature,
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: r.status, text: await r.text() };
}

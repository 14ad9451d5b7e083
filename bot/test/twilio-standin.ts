/**
 * A local stand-in for Twilio's REST API: records every message the server sends and answers
 * as Twilio would (201 with a SID), or with the failures a test asks for. It also answers account
 * fetches (the admin's "test connection") for the accounts it is told of.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import twilio from 'twilio';
import { DEMO_TWILIO_ACCOUNT_SID, DEMO_TWILIO_AUTH_TOKEN } from '@stratus/shared/tenant/demo';

export interface SentMessage {
  accountSid: string;
  To: string;
  From: string;
  Body: string;
  StatusCallback?: string;
  sid: string;
}

/** An account the stand-in knows: `GET /2010-04-01/Accounts/{sid}.json` answers it to these credentials. */
export interface StandInAccount {
  sid: string;
  token: string;
  friendlyName: string;
  /** Twilio's account status; default `active`. */
  status?: 'active' | 'suspended' | 'closed';
}

/** By default the stand-in knows the demo tenant's account. */
export const DEFAULT_STANDIN_ACCOUNTS: StandInAccount[] = [
  { sid: DEMO_TWILIO_ACCOUNT_SID, token: DEMO_TWILIO_AUTH_TOKEN, friendlyName: 'Contoso (demo)' },
];

export interface TwilioStandIn {
  url: string;
  sent: SentMessage[];
  /** Statuses to answer the next sends with (e.g. [503, 503]); empty: 201. */
  failNext: number[];
  close(): Promise<void>;
}

export async function startTwilioStandIn(opts: { accounts?: StandInAccount[] } = {}): Promise<TwilioStandIn> {
  const sent: SentMessage[] = [];
  const failNext: number[] = [];
  const accounts = opts.accounts ?? DEFAULT_STANDIN_ACCOUNTS;
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const account = /^\/2010-04-01\/Accounts\/(AC\w+)\.json$/.exec(req.url ?? '');
      if (req.method === 'GET' && account) {
        const answer = fetchAccount(account[1]!, req.headers, accounts);
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
        return;
      }
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

/** Twilio's answer to an account fetch: the account to its own credentials, 401 (code 20003) to any others. */
function fetchAccount(sid: string, headers: IncomingHttpHeaders, accounts: StandInAccount[]): { status: number; body: unknown } {
  const basic = /^Basic (.+)$/.exec(headers.authorization ?? '');
  const [user, ...rest] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
  const caller = accounts.find((a) => a.sid === user && a.token === rest.join(':'));
  if (!caller)
    return {
      status: 401,
      body: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 },
    };
  if (caller.sid !== sid)
    return {
      status: 404,
      body: { code: 20404, message: `The requested resource /2010-04-01/Accounts/${sid}.json was not found`, status: 404 },
    };
  return { status: 200, body: { sid, friendly_name: caller.friendlyName, status: caller.status ?? 'active', type: 'Full' } };
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

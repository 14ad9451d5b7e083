/**
 * The admin's "test connection" for a Twilio connector: fetches the account with the client the
 * sender uses (so it proves what sending will meet) and says in plain words what is wrong. The
 * auth token never appears in the answer: our sentences do not name it, and anything Twilio or
 * the network said is scrubbed of it before it is passed on.
 */
import type { TwilioTestResult } from '@stratus/shared/contract/admin';
import type { TwilioConnector } from '@stratus/shared/tenant/model';
import { twilioClient } from './twilio-client';

/** An admin waits for this answer: 10 s, not the sender's 15. */
export const TWILIO_TEST_TIMEOUT_MS = 10_000;

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

/** `{ok: true, friendlyName}` when Twilio accepts the credentials and the account is active; otherwise why not. */
export async function testTwilioConnection(
  conn: TwilioConnector,
  baseUrl?: string,
  timeoutMs = TWILIO_TEST_TIMEOUT_MS,
): Promise<TwilioTestResult> {
  if (!ACCOUNT_SID.test(conn.accountSid))
    return { ok: false, problem: 'The Account SID is not one: it starts with AC followed by 32 hexadecimal characters.' };
  if (!conn.authToken.trim()) return { ok: false, problem: 'The Auth Token is empty.' };
  try {
    const account = await twilioClient(conn, baseUrl, timeoutMs).api.v2010.accounts(conn.accountSid).fetch();
    switch (account.status) {
      case 'active':
        return { ok: true, friendlyName: account.friendlyName };
      case 'suspended':
        return problem(
          conn,
          `Twilio accepted the credentials, but account ${conn.accountSid} is suspended: reactivate it in the Twilio Console.`,
        );
      case 'closed':
        return problem(conn, `Twilio accepted the credentials, but account ${conn.accountSid} is closed: use another account.`);
      default:
        return problem(conn, `Twilio accepted the credentials, but account ${conn.accountSid} is ${String(account.status)}, not active.`);
    }
  } catch (e) {
    return problem(conn, explain(e, conn, baseUrl, timeoutMs));
  }
}

function problem(conn: TwilioConnector, text: string): TwilioTestResult {
  return { ok: false, problem: scrub(text, conn.authToken) };
}

/** What a failed fetch means: Twilio's answer (RestException) or no answer at all (axios' error codes). */
function explain(e: unknown, conn: TwilioConnector, baseUrl: string | undefined, timeoutMs: number): string {
  const x = e as { status?: unknown; code?: unknown; message?: unknown };
  const said = typeof x.message === 'string' ? x.message.slice(0, 200) : String(e);
  if (typeof x.status === 'number') {
    const tag = `HTTP ${x.status}${x.code !== undefined ? `, Twilio code ${String(x.code)}` : ''}`;
    switch (x.status) {
      case 401:
        return `Twilio refused the Account SID and Auth Token (${tag}): copy both again from the Twilio Console's Account Info.`;
      case 403:
        return `Twilio refused access to account ${conn.accountSid} (${tag}): ${said}`;
      case 404:
        return `Twilio has no account ${conn.accountSid} for these credentials (${tag}): check the Account SID.`;
      case 429:
        return `Twilio is throttling requests (${tag}): try again in a minute.`;
      default:
        return x.status >= 500 ? `Twilio is having trouble (${tag}): try again later.` : `Twilio answered unexpectedly (${tag}): ${said}`;
    }
  }
  const where = baseUrl ? ` at ${new URL(baseUrl).host}` : '';
  // axios reports its own timeout as ECONNABORTED (ETIMEDOUT when told to be clear about it).
  if (x.code === 'ECONNABORTED' || x.code === 'ETIMEDOUT') return `Twilio did not answer within ${timeoutMs / 1000} s${where}.`;
  if (typeof x.code === 'string') return `Could not reach Twilio${where}: ${x.code}.`;
  return `Could not reach Twilio${where}: ${said}`;
}

/** The token is never echoed, whatever a message we pass on happened to contain. */
function scrub(text: string, token: string): string {
  return token.length >= 4 ? text.split(token).join('[auth token]') : text;
}

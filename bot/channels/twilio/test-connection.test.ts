import { createServer, type Server } from 'node:http';
import { DEMO_TWILIO_ACCOUNT_SID, DEMO_TWILIO_AUTH_TOKEN } from '@stratus/shared/tenant/demo';
import type { TwilioConnector } from '@stratus/shared/tenant/model';
import { startTwilioStandIn, type TwilioStandIn } from '../../test/twilio-standin';
import { testTwilioConnection } from './test-connection';

const SUSPENDED_SID = 'AC11111111111111111111111111111111';
const SUSPENDED_TOKEN = 'suspended-account-token-0123456789';
const demo: TwilioConnector = { accountSid: DEMO_TWILIO_ACCOUNT_SID, authToken: DEMO_TWILIO_AUTH_TOKEN, region: 'us1' };

let standIn: TwilioStandIn;
beforeAll(async () => {
  standIn = await startTwilioStandIn({
    accounts: [
      { sid: DEMO_TWILIO_ACCOUNT_SID, token: DEMO_TWILIO_AUTH_TOKEN, friendlyName: 'Contoso (demo)' },
      { sid: SUSPENDED_SID, token: SUSPENDED_TOKEN, friendlyName: 'Old account', status: 'suspended' },
    ],
  });
});
afterAll(() => standIn.close());

test("good credentials answer ok with the account's friendly name", async () => {
  expect(await testTwilioConnection(demo, standIn.url)).toEqual({ ok: true, friendlyName: 'Contoso (demo)' });
});

test("the stand-in's default accounts accept the demo tenant's connector", async () => {
  const plain = await startTwilioStandIn();
  try {
    expect(await testTwilioConnection(demo, plain.url)).toEqual({ ok: true, friendlyName: 'Contoso (demo)' });
  } finally {
    await plain.close();
  }
});

test('a wrong token says Twilio refused the credentials (401, code 20003), without the token', async () => {
  const wrong = { ...demo, authToken: 'wrong-token-abcdef0123456789' };
  const r = await testTwilioConnection(wrong, standIn.url);
  expect(r.ok).toBe(false);
  const problem = (r as { problem: string }).problem;
  expect(problem).toMatch(/^Twilio refused the Account SID and Auth Token \(HTTP 401, Twilio code 20003\)/);
  expect(problem).not.toContain(wrong.authToken);
});

test('a suspended account is reported as suspended', async () => {
  const r = await testTwilioConnection({ accountSid: SUSPENDED_SID, authToken: SUSPENDED_TOKEN, region: 'us1' }, standIn.url);
  expect(r).toEqual({ ok: false, problem: expect.stringContaining(`account ${SUSPENDED_SID} is suspended`) });
});

test('an unreachable base URL says Twilio could not be reached, and where', async () => {
  const port = await freePort();
  const r = await testTwilioConnection(demo, `http://127.0.0.1:${port}`);
  expect(r).toEqual({ ok: false, problem: `Could not reach Twilio at 127.0.0.1:${port}: ECONNREFUSED.` });
});

test('a Twilio that does not answer times out', async () => {
  const silent: Server = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (silent.address() as { port: number }).port;
    const r = await testTwilioConnection(demo, `http://127.0.0.1:${port}`, 300);
    expect(r).toEqual({ ok: false, problem: `Twilio did not answer within 0.3 s at 127.0.0.1:${port}.` });
  } finally {
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  }
});

test('an unexpected status is named, and the token never appears even if an answer echoes it', async () => {
  const token = 'echoed-secret-token-9876543210';
  const echo: Server = createServer((_req, res) => {
    res.writeHead(418, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 99999, message: `bad token ${token}`, status: 418 }));
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (echo.address() as { port: number }).port;
    const r = await testTwilioConnection({ ...demo, authToken: token }, `http://127.0.0.1:${port}`);
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain(token);
    expect((r as { problem: string }).problem).toMatch(/^Twilio answered unexpectedly \(HTTP 418, Twilio code 99999\)/);
  } finally {
    await new Promise((r) => echo.close(r));
  }
});

test('a malformed SID or an empty token is refused before any request', async () => {
  let requests = 0;
  const counting: Server = createServer((_req, res) => {
    requests += 1;
    res.end();
  });
  await new Promise<void>((r) => counting.listen(0, '127.0.0.1', () => r()));
  try {
    const url = `http://127.0.0.1:${(counting.address() as { port: number }).port}`;
    expect(await testTwilioConnection({ ...demo, accountSid: 'SK123' }, url)).toEqual({
      ok: false,
      problem: expect.stringMatching(/Account SID/),
    });
    expect(await testTwilioConnection({ ...demo, authToken: ' ' }, url)).toEqual({ ok: false, problem: 'The Auth Token is empty.' });
    expect(requests).toBe(0);
  } finally {
    await new Promise((r) => counting.close(r));
  }
});

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * Forged and misplaced credentials: Entra tokens without the user scope, app-only tokens, a
 * tenant id in other casing or of a tenant we do not serve (no key fetch for it); dev tokens
 * outside dev mode, however well signed; Teams activities without the bot's signature, which
 * leave no row behind.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { DEMO_ENTRA_TENANT_ID, demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { inboundSeen, settings } from '../store/schema';
import { InboundDedupe } from '../teams/dedupe';
import { createLogger } from '../util/log';
import { startHarness, type Harness } from './harness';

const CLIENT_ID = 'tab-app-id';
const ALICE_OID = '00000000-0000-0000-0000-0000000a11ce';
const FOREIGN_TID = '99999999-0000-0000-0000-000000000000';

/** The demo tenant with a Twilio token that looks real: outside dev mode the demo's is refused. */
function tenant(): TenantConfig {
  const t = demoTenant();
  return { ...t, twilio: { ...t.twilio!, authToken: '9f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99' } };
}

/** A stand-in for login.microsoftonline.com's key endpoint, counting fetches per path. */
async function keyServer(jwk: object): Promise<{ url: string; fetches: string[]; close(): Promise<void> }> {
  const fetches: string[] = [];
  const server: Server = createServer((req, res) => {
    fetches.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fetches,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const activity = (id: string) => ({
  id,
  type: 'message',
  text: 'hello',
  channelId: 'msteams',
  serviceUrl: 'http://127.0.0.1:9',
  timestamp: new Date().toISOString(),
  from: { id: '29:alice', aadObjectId: ALICE_OID },
  recipient: { id: '28:bot' },
  conversation: { id: 'a:alice', conversationType: 'personal', tenantId: DEMO_ENTRA_TENANT_ID },
  channelData: { tenant: { id: DEMO_ENTRA_TENANT_ID } },
});

describe('with an Entra app and bot credentials', () => {
  let h: Harness;
  let keys: Awaited<ReturnType<typeof keyServer>>;
  let sign: (claims: JWTPayload, tid?: string) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    keys = await keyServer({ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' });
    sign = (claims, issuerTid = DEMO_ENTRA_TENANT_ID) =>
      new SignJWT({ tid: DEMO_ENTRA_TENANT_ID, oid: ALICE_OID, ver: '2.0', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(`${keys.url}/${issuerTid}/v2.0`)
        .setAudience(CLIENT_ID)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
    h = await startHarness({
      tenants: [tenant()],
      env: { ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_AUTHORITY: keys.url, BOT_ID: 'bot-app-id', SECRET_BOT_PASSWORD: 'bot-password' },
    });
  });
  afterAll(async () => {
    await h?.stop();
    await keys?.close();
  });

  const sessions = (token: string) => h.call('GET', '/api/agent/sessions', undefined, token);

  test('a user token with the access_as_user scope signs Alice in', async () => {
    expect((await sessions(await sign({ scp: 'User.Read access_as_user' }))).status).toBe(200);
  });

  test.each<[string, JWTPayload, RegExp]>([
    ['no scope at all', {}, /access_as_user/],
    ['another scope only', { scp: 'User.Read' }, /access_as_user/],
    ['an app-only token (roles, no scope)', { roles: ['Tasks.ReadWrite'] }, /App-only tokens are not accepted/],
    ['an app-only token (idtyp app)', { idtyp: 'app', scp: 'access_as_user' }, /App-only tokens are not accepted/],
  ])('a token with %s is refused with 401 and the reason', async (_what, claims, reason) => {
    const r = await sessions(await sign(claims));
    expect(r.status).toBe(401);
    expect(r.data.error.code).toBe('unauthorized');
    expect(r.data.error.message).toMatch(reason);
  });

  test("a tenant id in other casing uses the configured tenant's keys; an unconfigured tenant fetches nothing", async () => {
    const upper = DEMO_ENTRA_TENANT_ID.toUpperCase();
    expect((await sessions(await sign({ scp: 'access_as_user', tid: upper }))).status).toBe(200);
    const foreign = await sessions(await sign({ scp: 'access_as_user', tid: FOREIGN_TID }, FOREIGN_TID));
    expect(foreign.status).toBe(401);
    expect(foreign.data.error.message).toMatch(/not configured/);
    // One key set, fetched under the configured id, whatever casing the tokens carried.
    expect(new Set(keys.fetches)).toEqual(new Set([`/${DEMO_ENTRA_TENANT_ID}/discovery/v2.0/keys`]));
  });

  test("dev sign-in does not exist, and a dev token signed with the server's own secret is refused", async () => {
    expect((await h.call('POST', '/api/dev/token', { upn: 'alice@contoso.com' })).status).toBe(404);
    expect((await h.call('GET', '/api/dev/users')).status).toBe(404);
    const [row] = await h.app.store.db.select().from(settings).where(eq(settings.key, 'dev_token_secret'));
    const forged = await new SignJWT({ tid: 'contoso', upn: 'alice@contoso.com' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setIssuer('stratus-dev')
      .setAudience('stratus-agent-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(row!.value));
    expect((await sessions(forged)).status).toBe(401);
  });

  test("a Teams activity without the Bot Framework's signature is refused and leaves no dedupe row", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${h.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity(`forged-${Math.random()}`)),
      });
    // The adapter would print a stack per refused token (a way to fill the log): none may reach the console.
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      for (const headers of [{}, { authorization: 'Bearer not-a-token' }, { authorization: 'Bearer a.b.c' }] as Record<string, string>[]) {
        const r = await post(headers);
        expect(r.status).toBe(401);
        expect((await r.json()).error.code).toBe('unauthorized');
      }
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
    expect(await h.app.store.db.select().from(inboundSeen)).toEqual([]);
  });
});

describe('with STRATUS_DEV_MODE=false and no Entra app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ tenants: [tenant()], env: { STRATUS_DEV_MODE: 'false' } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  test("nobody signs in: no dev sign-in, and a dev token signed with the server's own secret is refused", async () => {
    expect((await h.call('POST', '/api/dev/token', { upn: 'alice@contoso.com' })).status).toBe(404);
    const [row] = await h.app.store.db.select().from(settings).where(eq(settings.key, 'dev_token_secret'));
    const token = await new SignJWT({ tid: 'contoso', upn: 'alice@contoso.com' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setIssuer('stratus-dev')
      .setAudience('stratus-agent-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(row!.value));
    const r = await h.call('GET', '/api/agent/sessions', undefined, token);
    expect(r.status).toBe(401);
    expect(r.data.error.message).toMatch(/dev mode off/);
  });

  test('/api/messages refuses unauthenticated activities, even from loopback, and stores nothing', async () => {
    const r = await h.call('POST', '/api/messages', activity('from-loopback'));
    expect(r.status).toBe(401);
    expect(r.data.error.message).toMatch(/outside dev mode/);
    expect(await h.app.store.db.select().from(inboundSeen)).toEqual([]);
  });
});

test('dedupe keys are bounded whatever the ids, and rows older than a day are cleaned up outside requests', async () => {
  const h = await startHarness({ tenants: [tenant()] });
  try {
    let now = 1_000_000;
    const dedupe = new InboundDedupe(h.app.store, { now: () => now }, createLogger('error'));
    expect(await dedupe.firstTime('a:'.padEnd(100_000, 'x'), 'id-1')).toBe(true);
    expect(await dedupe.firstTime('a:'.padEnd(100_000, 'x'), 'id-1')).toBe(false);
    const rows = await h.app.store.db.select().from(inboundSeen);
    expect(rows.every((r) => r.key.length === 64)).toBe(true);
    now += 86_400_001;
    expect(await dedupe.firstTime('a:fresh', 'id-2')).toBe(true);
    expect(await dedupe.cleanup()).toBe(1);
    expect((await h.app.store.db.select().from(inboundSeen)).length).toBe(1);
  } finally {
    await h.stop();
  }
});

/**
 * Hostile Web Request targets (server-side request forgery): a workflow aimed at the server's own
 * loopback services, the cloud metadata address, a public-looking name that resolves to loopback,
 * or a redirect to any of those is refused and the customer never sees what is served there; an
 * endless answer is cut at the cap, a slow one times out and never holds up other due work, and a
 * tenant's host allow-list refuses every other host.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoTenant } from '@stratus/shared/tenant/demo';
import { parseTenant } from '@stratus/shared/tenant/validate';
import type { ServiceConfig, TenantConfig, WebRequestSettings } from '@stratus/shared/tenant/model';
import type { WorkflowDefinition } from '@stratus/shared/workflow/definition';
import type { Job } from '../scheduler/jobs';
import { coreJobHandlers } from '../jobs/handlers';
import { MAX_BODY, safeCall, WebRequestRefused, type WebRequestOptions } from '../workflow/web-request';
import { classifyAddress, hostAllowed } from '../workflow/web-request-policy';
import type { Logger } from '../util/log';
import { openCustomerSocket, startHarness, waitFor, type Harness } from './harness';

const SECRET = 'top-secret-4711';

describe('address classification', () => {
  test.each([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::808:808', 'public'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd00::1', 'private'],
    ['127.0.0.1', 'forbidden'],
    ['127.255.0.9', 'forbidden'],
    ['::1', 'forbidden'],
    ['0.0.0.0', 'forbidden'],
    ['::', 'forbidden'],
    ['169.254.169.254', 'forbidden'],
    ['fe80::1', 'forbidden'],
    ['224.0.0.1', 'forbidden'],
    ['ff02::1', 'forbidden'],
    ['255.255.255.255', 'forbidden'],
    ['240.0.0.1', 'forbidden'],
    ['192.0.2.1', 'forbidden'],
    ['2001:db8::1', 'forbidden'],
    ['::ffff:127.0.0.1', 'forbidden'],
    ['::ffff:169.254.169.254', 'forbidden'],
    ['::ffff:10.0.0.1', 'private'],
    ['::127.0.0.1', 'forbidden'],
    ['64:ff9b::7f00:1', 'forbidden'],
    ['2002:7f00:1::1', 'forbidden'],
    ['2002:a9fe:a9fe::1', 'forbidden'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'forbidden'],
    ['2130706433', 'forbidden'],
    ['localhost', 'forbidden'],
    ['', 'forbidden'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address).kind).toBe(kind);
  });
});

describe('host allow-list', () => {
  test.each([
    ['api.example.com', true],
    ['API.Example.com.', true],
    ['x.api.example.com', false],
    ['example.com', false],
    ['a.example.org', true],
    ['a.b.example.org', true],
    ['example.org', false],
    ['evilexample.org', false],
    ['example.org.evil.com', false],
  ])('%s allowed: %s', (host, allowed) => {
    expect(hostAllowed(host, ['api.example.com', '*.example.org'])).toBe(allowed);
  });
});

describe('the tenant setting', () => {
  const parse = (webRequests: unknown) => parseTenant({ ...JSON.parse(JSON.stringify(demoTenant())), webRequests });

  test('reads the allow-list in lower case', () => {
    const r = parse({ allowedHosts: ['API.example.com', '*.example.org'], allowPrivateNetworks: true });
    expect(r.ok && r.tenant.webRequests).toEqual({ allowedHosts: ['api.example.com', '*.example.org'], allowPrivateNetworks: true });
  });

  test('names each problem by its path', () => {
    const r = parse({ allowedHosts: ['https://x.com', 'a b', 7], allowPrivateNetworks: 'yes' });
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual([
      'webRequests.allowedHosts[0]',
      'webRequests.allowedHosts[1]',
      'webRequests.allowedHosts[2]',
      'webRequests.allowPrivateNetworks',
    ]);
    const lone = parse({ allowPrivateNetworks: true });
    expect(lone.ok ? [] : lone.problems).toEqual([
      { path: 'webRequests.allowPrivateNetworks', message: expect.stringContaining('allowedHosts') },
    ]);
  });
});

describe('private networks for listed hosts only', () => {
  const call = (host: string, settings: WebRequestSettings | undefined, address: string) =>
    safeCall({ type: 'webRequest', requestId: 'r', method: 'GET', url: `http://${host}:9/x`, headers: {}, timeoutMs: 300 }, settings, {
      resolve: async () => [{ address, family: 4 }],
    });

  test('a private address is refused without allowPrivateNetworks', async () => {
    await expect(call('intranet.example.com', { allowedHosts: ['intranet.example.com'] }, '10.0.0.5')).rejects.toThrow(
      /10\.0\.0\.5 \(private\)/,
    );
    await expect(call('intranet.example.com', undefined, '192.168.0.5')).rejects.toThrow(/private/);
  });

  test('allowPrivateNetworks lets a listed host reach a private address, never loopback or metadata', async () => {
    // Past the policy: the connection itself is tried (and fails or times out here), no refusal.
    const past = await call(
      'intranet.example.com',
      { allowedHosts: ['intranet.example.com'], allowPrivateNetworks: true },
      '10.255.255.1',
    ).catch((e: unknown) => e);
    expect(past).not.toBeInstanceOf(WebRequestRefused);
    await expect(
      call('intranet.example.com', { allowedHosts: ['intranet.example.com'], allowPrivateNetworks: true }, '127.0.0.1'),
    ).rejects.toThrow(/loopback/);
    await expect(
      call('intranet.example.com', { allowedHosts: ['intranet.example.com'], allowPrivateNetworks: true }, '169.254.169.254'),
    ).rejects.toThrow(/linkLocal/);
  });

  test('credentials in the URL and other schemes are refused', async () => {
    const opts: WebRequestOptions = { resolve: async () => [{ address: '8.8.8.8', family: 4 }] };
    const base = { type: 'webRequest' as const, requestId: 'r', method: 'GET' as const, headers: {}, timeoutMs: 300 };
    await expect(safeCall({ ...base, url: 'http://user:pass@api.example.com/' }, undefined, opts)).rejects.toThrow(/credentials/);
    await expect(safeCall({ ...base, url: 'file:///etc/passwd' }, undefined, opts)).rejects.toThrow(/scheme/);
    await expect(safeCall({ ...base, url: 'gopher://api.example.com/' }, undefined, opts)).rejects.toThrow(/scheme/);
  });
});

/** A service whose workflow calls `url` and shows the picked `value` to the customer. */
function target(base: ServiceConfig, name: string, url: string, timeoutSec = 5): { service: ServiceConfig; workflow: WorkflowDefinition } {
  const id = `t-${name}`;
  return {
    service: { ...base, id, name, im: { ...base.im, workflowId: id, interact: { code: id, allowedOrigins: [] } } },
    workflow: {
      id,
      name,
      start: 'call',
      nodes: {
        call: {
          activity: 'webRequest',
          params: { url, timeoutSec, pick: { 'Crm.Value': 'value' } },
          exits: { success: 'show', failure: 'sorry' },
        },
        show: { activity: 'message', params: { text: 'Value: {{Crm.Value}}' }, exits: { next: 'bye' } },
        sorry: { activity: 'message', params: { text: 'Refused.' }, exits: { next: 'bye' } },
        bye: { activity: 'disconnectAsHandled' },
      },
    },
  };
}

function tenantWith(targets: Record<string, [string, number?]>, webRequests?: WebRequestSettings): TenantConfig {
  const t = demoTenant();
  // No WhatsApp sender: the clones below would share it.
  const { whatsapp: _sender, ...im } = t.services[0]!.im;
  const support: ServiceConfig = { ...t.services[0]!, im: { ...im, distribution: { ...im.distribution, offerTimeoutSec: 5 } } };
  const built = Object.entries(targets).map(([name, [url, timeoutSec]]) => target(support, name, url, timeoutSec));
  return {
    ...t,
    services: [support, ...built.map((b) => b.service)],
    workflows: [...t.workflows, ...built.map((b) => b.workflow)],
    ...(webRequests ? { webRequests } : {}),
  };
}

/** Starts a chat on `code` and answers every frame the customer saw once it ended. */
async function chatOn(h: Harness, code: string): Promise<any[]> {
  const chat = (
    await h.call('POST', `/api/interact/${code}/chats`, { displayName: 'Eve', email: 'eve@example.com', privacyAccepted: true })
  ).data;
  const { frames, ws } = await openCustomerSocket(h.url, chat.chatId, chat.token);
  await waitFor(`the chat on ${code} to end`, () => frames.some((f) => f.type === 'state' && f.state === 'ended'), 10_000);
  ws.close();
  return frames;
}

const texts = (frames: any[]) => frames.filter((f) => f.type === 'message').map((f) => String(f.message.text));

function answer(res: ServerResponse, status: number, headers: Record<string, string>, body?: string): void {
  res.writeHead(status, headers);
  res.end(body);
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, port: (server.address() as AddressInfo).port })));
}

function capturingLog(lines: string[]): Logger {
  const none = () => undefined;
  return { debug: none, info: none, error: none, warn: (msg, extra) => lines.push(`${msg} ${JSON.stringify(extra ?? {})}`) };
}

/** Test hosts: `*.example.test` names resolve to loopback; the rest through the system resolver. */
const resolve: WebRequestOptions['resolve'] = async (host) =>
  host.endsWith('.test') ? [{ address: '127.0.0.1', family: 4 }] : dnsLookup(host, { all: true });

describe('through the server', () => {
  let h: Harness;
  let secret: Server;
  let site: Server;
  const secretHits: string[] = [];
  const siteHits: string[] = [];
  const warns: string[] = [];
  const hanging: ServerResponse[] = [];
  const expiries: { dueAt: number; ranAt: number; slowPending: boolean }[] = [];
  const endless = { sent: 0, closed: false };

  beforeAll(async () => {
    const s = await listen((req, res) => {
      secretHits.push(req.url ?? '');
      answer(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ value: SECRET }));
    });
    secret = s.server;
    const secretUrl = `http://127.0.0.1:${s.port}/secret`;
    const w = await listen((req, res) => {
      siteHits.push(req.url ?? '');
      switch (req.url) {
        case '/json':
          return answer(res, 200, { 'content-type': 'application/json' }, '{"value":"public-ok"}');
        case '/to-json':
          return answer(res, 302, { location: '/json' });
        case '/to-secret':
          return answer(res, 302, { location: secretUrl });
        case '/to-localhost':
          return answer(res, 307, { location: secretUrl.replace('127.0.0.1', 'localhost') });
        case '/to-metadata':
          return answer(res, 301, { location: 'http://169.254.169.254/latest/meta-data/' });
        case '/loop':
          return answer(res, 302, { location: '/loop' });
        case '/endless': {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"value":"');
          const chunk = Buffer.alloc(64 * 1024, 'a');
          const pump = () => {
            while (!endless.closed && res.write(chunk)) endless.sent += chunk.length;
            if (!endless.closed) res.once('drain', pump);
          };
          res.on('close', () => (endless.closed = true));
          return pump();
        }
        default:
          hanging.push(res); // /hang: never answers
      }
    });
    site = w.server;
    const ok = `http://ok.example.test:${w.port}`;
    h = await startHarness({
      env: { INTERACT_RATE_LIMIT_SCALE: '0' },
      tenants: [
        tenantWith({
          loopback: [secretUrl],
          localhost: [secretUrl.replace('127.0.0.1', 'localhost')],
          'v6-loopback': [secretUrl.replace('127.0.0.1', '[::1]')],
          mapped: [secretUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]')],
          unspecified: [secretUrl.replace('127.0.0.1', '0.0.0.0')],
          decimal: [secretUrl.replace('127.0.0.1', '2130706433')],
          metadata: ['http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
          rebind: [secretUrl.replace('127.0.0.1', 'crm.example.test')],
          public: [`${ok}/json`],
          'redirect-ok': [`${ok}/to-json`],
          'redirect-secret': [`${ok}/to-secret`],
          'redirect-localhost': [`${ok}/to-localhost`],
          'redirect-metadata': [`${ok}/to-metadata`],
          'redirect-loop': [`${ok}/loop`],
          endless: [`${ok}/endless`, 20],
          timeout: [`${ok}/hang`, 1],
          slow: [`http://slow.example.test:${w.port}/hang`, 20],
        }),
      ],
      app: {
        log: capturingLog(warns),
        // Only these two names may reach this test's local endpoint: everything else is judged strictly.
        webRequest: { resolve, allowAddress: (_address, host) => host === 'ok.example.test' || host === 'slow.example.test' },
        jobHandlers: {
          offerExpiry: (job: Job) => {
            expiries.push({ dueAt: job.dueAt, ranAt: Date.now(), slowPending: hanging.some((r) => !r.writableEnded && !r.destroyed) });
            return coreJobHandlers(h.app.rt).offerExpiry(job);
          },
        },
      },
    });
  }, 30_000);

  afterAll(async () => {
    for (const r of hanging) r.destroy();
    await h?.stop();
    site?.closeAllConnections();
    await Promise.all([secret, site].map((s) => s && new Promise((r) => s.close(r))));
  });

  test.each([
    ['loopback', /host 127\.0\.0\.1 resolves to 127\.0\.0\.1 \(loopback\)/],
    ['localhost', /host localhost resolves to \S+ \(loopback\)/],
    ['v6-loopback', /host ::1 resolves to ::1 \(loopback\)/],
    ['mapped', /\(ipv4Mapped of loopback\)/],
    ['unspecified', /host 0\.0\.0\.0 resolves to 0\.0\.0\.0 \(unspecified\)/],
    ['decimal', /host 127\.0\.0\.1 resolves to 127\.0\.0\.1 \(loopback\)/],
    ['metadata', /169\.254\.169\.254 \(linkLocal\)/],
    ['rebind', /host crm\.example\.test resolves to 127\.0\.0\.1 \(loopback\)/],
    ['redirect-secret', /host 127\.0\.0\.1 resolves to 127\.0\.0\.1 \(loopback\)/],
    ['redirect-localhost', /host localhost resolves to \S+ \(loopback\)/],
    ['redirect-metadata', /169\.254\.169\.254 \(linkLocal\)/],
    ['redirect-loop', /more than 5 redirects/],
  ])('%s: refused, the customer never sees the secret', async (name, reason) => {
    const before = warns.length;
    const frames = await chatOn(h, `t-${name}`);
    expect(texts(frames)).toContain('Refused.');
    expect(JSON.stringify(frames)).not.toContain(SECRET);
    expect(secretHits).toEqual([]);
    expect(warns.slice(before).join('\n')).toMatch(reason);
  });

  test('a public endpoint, directly and through a redirect, still answers', async () => {
    expect(texts(await chatOn(h, 't-public'))).toContain('Value: public-ok');
    expect(texts(await chatOn(h, 't-redirect-ok'))).toContain('Value: public-ok');
    expect(siteHits).toEqual(expect.arrayContaining(['/json', '/to-json']));
  });

  test('an endless answer is cut at the cap: the connection is closed, not read to the end', async () => {
    const t0 = Date.now();
    const frames = await chatOn(h, 't-endless');
    // Cut JSON does not parse: the failure exit, long before the 20 s timeout.
    expect(texts(frames)).toContain('Refused.');
    expect(Date.now() - t0).toBeLessThan(8000);
    await waitFor('the endless answer to be closed', () => endless.closed);
    expect(endless.sent).toBeLessThan(MAX_BODY + 8 * 1024 * 1024);
    expect(warns.join('\n')).toContain(`cut at ${MAX_BODY} bytes`);
  });

  test('an endpoint that never answers times out into the failure exit', async () => {
    const before = warns.length;
    const t0 = Date.now();
    expect(texts(await chatOn(h, 't-timeout'))).toContain('Refused.');
    expect(Date.now() - t0).toBeLessThan(6000);
    expect(warns.slice(before).join('\n')).toMatch(/timed out/);
  });

  test('a slow endpoint does not hold up an offer expiry due meanwhile', async () => {
    const hangingBefore = hanging.length;
    const slowChat = (
      await h.call('POST', '/api/interact/t-slow/chats', { displayName: 'Sam', email: 'sam@example.com', privacyAccepted: true })
    ).data;
    expect(slowChat.chatId).toBeDefined();
    await waitFor('the slow endpoint to be called', () => hanging.length > hangingBefore);
    // A chat on the queue service: offered, and the 5 s offer expires while the web request hangs.
    await h.call('POST', '/api/interact/support/chats', { displayName: 'Ann', email: 'ann@example.com', privacyAccepted: true });
    const expiry = await waitFor('an offer expiry', () => expiries[0], 15_000);
    expect(expiry.slowPending).toBe(true);
    expect(expiry.ranAt - expiry.dueAt).toBeLessThan(2000);
  }, 30_000);
});

describe('a tenant host allow-list', () => {
  let h: Harness;
  let site: Server;
  const warns: string[] = [];
  const hosts: string[] = [];

  beforeAll(async () => {
    const w = await listen((req, res) => {
      hosts.push(String(req.headers.host));
      answer(res, 200, { 'content-type': 'application/json' }, '{"value":"listed"}');
    });
    site = w.server;
    h = await startHarness({
      env: { INTERACT_RATE_LIMIT_SCALE: '0' },
      tenants: [
        tenantWith(
          {
            listed: [`http://ok.example.test:${w.port}/json`],
            wildcard: [`http://api.allowed.test:${w.port}/json`],
            other: [`http://other.example.test:${w.port}/json`],
            bare: [`http://allowed.test:${w.port}/json`],
            loopback: [`http://127.0.0.1:${w.port}/json`],
          },
          { allowedHosts: ['ok.example.test', '*.allowed.test', '127.0.0.1'] },
        ),
      ],
      // Every .test name may reach the local endpoint here: only the allow-list decides.
      app: { log: capturingLog(warns), webRequest: { resolve, allowAddress: (_address, host) => host.endsWith('.test') } },
    });
  }, 30_000);

  afterAll(async () => {
    await h?.stop();
    await new Promise((r) => site.close(r));
  });

  test('listed hosts and subdomains of a wildcard are called', async () => {
    expect(texts(await chatOn(h, 't-listed'))).toContain('Value: listed');
    expect(texts(await chatOn(h, 't-wildcard'))).toContain('Value: listed');
  });

  test('any other host is refused before it is resolved or called', async () => {
    expect(texts(await chatOn(h, 't-other'))).toContain('Refused.');
    expect(texts(await chatOn(h, 't-bare'))).toContain('Refused.');
    expect(hosts.some((x) => x.startsWith('other.') || x.startsWith('allowed.'))).toBe(false);
    expect(warns.join('\n')).toMatch(/host other\.example\.test is not in the tenant's allowed hosts/);
  });

  test('a listed loopback address is still refused', async () => {
    expect(texts(await chatOn(h, 't-loopback'))).toContain('Refused.');
    expect(warns.join('\n')).toMatch(/127\.0\.0\.1 \(loopback\)/);
  });
});

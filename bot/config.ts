/**
 * The server's configuration: the only module that reads process.env. Validates everything at
 * start and reports every problem at once (main.ts exits with code 2).
 */
import { resolve } from 'node:path';

export interface EntraSettings {
  /** The tab's Entra app (client) id: the SSO token's audience. */
  clientId: string;
  /** Accepted audiences (client id and `api://domain/clientId`). */
  audiences: string[];
  /** Base of the OpenID endpoints; tests point it at a local key server. */
  authority: string;
}

export interface BotSettings {
  appId: string;
  appPassword: string;
  /** MultiTenant or SingleTenant bot registration. */
  appType: 'MultiTenant' | 'SingleTenant';
  appTenantId?: string;
}

export interface GraphSettings {
  clientId: string;
  clientSecret: string;
  /** Graph's base URL (GRAPH_API_BASE_URL), default https://graph.microsoft.com. */
  baseUrl?: string;
  /** Where app tokens come from: ENTRA_AUTHORITY, default https://login.microsoftonline.com. */
  authorityHost?: string;
}

/** The Teams app as Graph and the Bot Connector know it (proactive installation, activity feed). */
export interface TeamsAppSettings {
  /** TEAMS_APP_ID: the manifest's `id` (Teams Toolkit writes it to env/.env.<name>); Graph calls it `externalId`. */
  manifestId?: string;
  /** TEAMS_APP_CATALOG_ID: the app's id in the Teams app catalog; unset, looked up per tenant by the manifest id. */
  catalogId?: string;
  /** TEAMS_SERVICE_URL: the Bot Connector endpoint of chats the bot did not see yet (default the public cloud's). */
  serviceUrl: string;
}

/** The Bot Connector endpoint of Teams in the public cloud. */
export const DEFAULT_TEAMS_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

export interface Config {
  port: number;
  host: string;
  publicBaseUrl: string;
  databaseUrl?: string;
  dataDir: string;
  /** SQL_STATS: where the embedded store writes its statement statistics at exit (benches). */
  sqlStatsFile?: string;
  tenantConfigPath?: string;
  twilioApiBaseUrl?: string;
  entra?: EntraSettings;
  bot?: BotSettings;
  /**
   * Dev mode: `POST /api/dev/token` signs anyone in and `/api/messages` takes unauthenticated
   * activities. On by default only for a loopback server with a loopback public URL and no Entra
   * app; elsewhere only with STRATUS_DEV_MODE=true (see `decideDevMode`).
   */
  devMode: boolean;
  /** Things worth saying at start (forced dev mode, nobody able to sign in); main.ts logs them. */
  warnings: string[];
  /** Where the built tab lives, `tab/` under it: STRATUS_WEB_ROOT, else tab/dist. */
  webRoot: string;
  /** Where the built widget lives, `interact/` under it: STRATUS_WEB_ROOT, else widget/dist. */
  widgetRoot: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Multiplies the customer API's rate limits (INTERACT_RATE_LIMIT_SCALE; 0 turns them off, for load tests only). */
  rateLimitScale: number;
  /**
   * The key that seals tenant secrets at rest (STRATUS_SECRET_KEY: 32 bytes, base64 or hex).
   * Required outside dev mode; in dev mode, absent, one is generated and kept in the store.
   */
  secretKey?: Buffer;
  /**
   * Microsoft Graph (directory search; presence and app installation later): app credentials
   * (GRAPH_CLIENT_ID / SECRET_GRAPH_CLIENT_SECRET, else the bot's), GRAPH_API_BASE_URL for a
   * local stand-in. Absent: no directory (in dev mode, the built-in stand-in answers).
   */
  graph?: GraphSettings;
  /** The Teams app (TEAMS_APP_ID, TEAMS_APP_CATALOG_ID, TEAMS_SERVICE_URL). */
  teamsApp: TeamsAppSettings;
  /** Proxies in front of the server (TRUST_PROXY, a hop count): the client address is taken that many hops from the right of X-Forwarded-For; 0 uses the socket's. */
  trustProxy: number;
  /**
   * How long an idle keep-alive connection stays open (HTTP_KEEP_ALIVE_S, seconds; default 65).
   * Longer than the idle timeout of the proxy or load balancer in front (60 s for most; set it
   * above yours), so the proxy never sends a request on a connection the server is closing, and a
   * burst of traffic reuses open connections instead of queueing new ones while the server is busy.
   */
  keepAliveMs: number;
}

/** `postgres://user:secret@host/db` -> `postgres://user:***@host/db`, so a password never reaches a log line. */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)[^/?#]*@/i, '$1***@');
}

/** Masks the password of every URL inside a text (error messages and stacks). */
export function maskUrlsIn(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^/?#@:\s]*:)[^/?#\s]*@/gi, '$1***@');
}

/** True for a listen address that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** True for `http(s)://localhost`, `127.0.0.1` or `[::1]`, any port: local test tools use both spellings. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname.toLowerCase());
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the environment; throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const str = (k: string): string | undefined => {
    const v = env[k];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const url = (k: string, protocols: string[]): string | undefined => {
    const v = str(k);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol)) problems.push(`${k}: expected a ${protocols.join(' or ')} URL, got "${maskUrl(v)}"`);
    } catch {
      problems.push(`${k}: not a URL: "${maskUrl(v)}"`);
    }
    return v.replace(/\/+$/, '');
  };

  const portText = str('PORT') ?? '3978';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT: expected a port number 0-65535, got "${portText}"`);
  const publicBaseUrl = url('PUBLIC_BASE_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const logLevel = (str('LOG_LEVEL') ?? 'info') as Config['logLevel'];
  const rateLimitScale = Number(str('INTERACT_RATE_LIMIT_SCALE') ?? '1');
  if (!Number.isFinite(rateLimitScale) || rateLimitScale < 0)
    problems.push(`INTERACT_RATE_LIMIT_SCALE: a number of 0 or more; got "${str('INTERACT_RATE_LIMIT_SCALE')}"`);
  const trustProxyText = str('TRUST_PROXY') ?? '0';
  const trustProxy = Number(trustProxyText);
  if (!Number.isInteger(trustProxy) || trustProxy < 0 || trustProxy > 10)
    problems.push(`TRUST_PROXY: the number of proxies in front of the server (0-10), got "${trustProxyText}"`);
  const keepAliveText = str('HTTP_KEEP_ALIVE_S') ?? '65';
  const keepAliveS = Number(keepAliveText);
  if (!Number.isInteger(keepAliveS) || keepAliveS < 1 || keepAliveS > 3600)
    problems.push(`HTTP_KEEP_ALIVE_S: seconds an idle connection stays open (1-3600), got "${keepAliveText.slice(0, 40)}"`);
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    problems.push(`LOG_LEVEL: one of debug, info, warn, error; got "${logLevel}"`);

  const authority = url('ENTRA_AUTHORITY', ['https:', 'http:']);
  let entra: EntraSettings | undefined;
  // Teams Toolkit writes AAD_APP_CLIENT_ID; ENTRA_CLIENT_ID wins when both are set.
  const clientId = str('ENTRA_CLIENT_ID') ?? str('AAD_APP_CLIENT_ID');
  if (clientId) {
    const extra = (str('ENTRA_AUDIENCES') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    entra = {
      clientId,
      audiences: [clientId, ...extra],
      authority: authority ?? 'https://login.microsoftonline.com',
    };
  }
  let bot: BotSettings | undefined;
  const appId = str('BOT_ID') ?? str('MicrosoftAppId');
  const appPassword = str('SECRET_BOT_PASSWORD') ?? str('MicrosoftAppPassword');
  if (appId && !appPassword) problems.push('BOT_ID is set but SECRET_BOT_PASSWORD is not: the bot cannot authenticate');
  if (appId && appPassword) {
    const appType = (str('BOT_APP_TYPE') ?? 'MultiTenant') as BotSettings['appType'];
    if (appType !== 'MultiTenant' && appType !== 'SingleTenant')
      problems.push(`BOT_APP_TYPE: MultiTenant or SingleTenant, got "${appType}"`);
    bot = { appId, appPassword, appType, appTenantId: str('BOT_TENANT_ID') };
  }
  // Production settings (an Entra app) listen on every interface; anything else stays on this machine.
  const host = str('HOST') ?? (entra ? '0.0.0.0' : '127.0.0.1');
  const dev = decideDevMode(
    { flag: str('STRATUS_DEV_MODE'), entra: entra !== undefined, bot: bot !== undefined, host, publicBaseUrl },
    problems,
  );

  const secretKeyText = str('STRATUS_SECRET_KEY');
  const secretKey = secretKeyText === undefined ? undefined : parseSecretKey(secretKeyText);
  if (secretKeyText !== undefined && !secretKey)
    problems.push('STRATUS_SECRET_KEY: expected 32 random bytes, base64 or hex (make one with `openssl rand -base64 32`)');
  if (secretKeyText === undefined && !dev.devMode && !problems.length)
    problems.push(
      'STRATUS_SECRET_KEY is required outside dev mode: it seals tenant secrets (the Twilio auth token) in the database; make one with `openssl rand -base64 32`',
    );
  const graphId = str('GRAPH_CLIENT_ID') ?? bot?.appId;
  const graphSecret = str('SECRET_GRAPH_CLIENT_SECRET') ?? (str('GRAPH_CLIENT_ID') ? undefined : bot?.appPassword);
  if (str('GRAPH_CLIENT_ID') && !graphSecret) problems.push('GRAPH_CLIENT_ID is set but SECRET_GRAPH_CLIENT_SECRET is not');
  const graphBase = url('GRAPH_API_BASE_URL', ['http:', 'https:']);
  const graph: GraphSettings | undefined =
    graphId && graphSecret
      ? {
          clientId: graphId,
          clientSecret: graphSecret,
          ...(graphBase ? { baseUrl: graphBase } : {}),
          ...(authority ? { authorityHost: authority } : {}),
        }
      : undefined;

  const teamsAppId = str('TEAMS_APP_ID');
  if (teamsAppId !== undefined && !GUID.test(teamsAppId))
    problems.push(`TEAMS_APP_ID: the manifest's id, a GUID; got "${teamsAppId.slice(0, 80)}"`);
  const catalogId = str('TEAMS_APP_CATALOG_ID');
  if (catalogId !== undefined && !/^[A-Za-z0-9._-]{1,100}$/.test(catalogId))
    problems.push(`TEAMS_APP_CATALOG_ID: the app's id in the Teams app catalog (a GUID); got "${catalogId.slice(0, 80)}"`);
  // Teams gives service URLs with a trailing slash; the Bot Connector client joins paths to it.
  const serviceUrl = `${url('TEAMS_SERVICE_URL', ['https:', 'http:']) ?? DEFAULT_TEAMS_SERVICE_URL.replace(/\/+$/, '')}/`;

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    teamsApp: { serviceUrl, ...(teamsAppId ? { manifestId: teamsAppId } : {}), ...(catalogId ? { catalogId } : {}) },
    ...(secretKey ? { secretKey } : {}),
    ...(graph ? { graph } : {}),
    port,
    host,
    publicBaseUrl,
    databaseUrl,
    dataDir: (str('DATA_DIR') ?? '.data').startsWith('memory://') ? 'memory://' : resolve(str('DATA_DIR') ?? '.data'),
    ...(str('SQL_STATS') ? { sqlStatsFile: resolve(str('SQL_STATS') as string) } : {}),
    tenantConfigPath: str('STRATUS_CONFIG') ? resolve(str('STRATUS_CONFIG') as string) : undefined,
    twilioApiBaseUrl: url('TWILIO_API_BASE_URL', ['http:', 'https:']),
    entra,
    bot,
    devMode: dev.devMode,
    warnings: dev.warnings,
    webRoot: resolve(str('STRATUS_WEB_ROOT') ?? resolve(__dirname, '../tab/dist')),
    widgetRoot: resolve(str('STRATUS_WEB_ROOT') ?? resolve(__dirname, '../widget/dist')),
    logLevel,
    rateLimitScale,
    trustProxy,
    keepAliveMs: keepAliveS * 1000,
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 32 bytes from base64 (standard or URL-safe) or 64 hex digits; undefined otherwise. */
export function parseSecretKey(text: string): Buffer | undefined {
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) return undefined;
  const b = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return b.length === 32 ? b : undefined;
}

/**
 * Dev mode signs anyone in as anyone, so it is on by default only where nobody else can reach it:
 * no Entra app, a loopback listen address and a loopback public URL. A production sign (bot
 * credentials, a public URL, a non-loopback HOST) without Entra refuses to start unless
 * STRATUS_DEV_MODE=true says so; STRATUS_DEV_MODE=false turns dev mode off (nobody can sign in
 * without Entra, which is allowed and said at start).
 */
export function decideDevMode(
  s: { flag?: string; entra: boolean; bot: boolean; host: string; publicBaseUrl: string },
  problems: string[],
): { devMode: boolean; warnings: string[] } {
  if (s.flag !== undefined && s.flag !== 'true' && s.flag !== 'false') {
    problems.push(`STRATUS_DEV_MODE: true or false, got "${s.flag}"`);
    return { devMode: false, warnings: [] };
  }
  if (s.entra) {
    if (s.flag === 'true')
      problems.push(
        'STRATUS_DEV_MODE=true with an Entra app configured (ENTRA_CLIENT_ID or AAD_APP_CLIENT_ID): dev tokens would bypass Entra sign-in; remove one of them',
      );
    return { devMode: false, warnings: [] };
  }
  if (s.flag === 'false') {
    return {
      devMode: false,
      warnings: [
        'No Entra app is configured (ENTRA_CLIENT_ID or AAD_APP_CLIENT_ID) and STRATUS_DEV_MODE=false: no agent can sign in to My Sessions.',
      ],
    };
  }
  const signs = [
    ...(s.bot ? ['bot credentials are set (BOT_ID, SECRET_BOT_PASSWORD)'] : []),
    ...(isLoopbackUrl(s.publicBaseUrl) ? [] : [`PUBLIC_BASE_URL is not a loopback URL (${maskUrl(s.publicBaseUrl)})`]),
    ...(isLoopbackHost(s.host) ? [] : [`HOST is not a loopback address (${s.host})`]),
  ];
  if (s.flag === 'true') {
    const why = signs.length ? ` although ${signs.join(', ')}` : '';
    return {
      devMode: true,
      warnings: [
        `DEV MODE forced by STRATUS_DEV_MODE=true${why}: POST /api/dev/token signs anyone in as any configured user and /api/messages takes unauthenticated activities. Never expose this server.`,
      ],
    };
  }
  if (signs.length) {
    problems.push(
      `dev mode would be on (no Entra app: set ENTRA_CLIENT_ID or AAD_APP_CLIENT_ID) but ${signs.join(', ')}: configure Entra for production, set STRATUS_DEV_MODE=false to start without sign-in, or STRATUS_DEV_MODE=true to run dev mode anyway`,
    );
    return { devMode: false, warnings: [] };
  }
  return { devMode: true, warnings: [] };
}

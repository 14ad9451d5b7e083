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

export interface Config {
  port: number;
  host: string;
  publicBaseUrl: string;
  databaseUrl?: string;
  dataDir: string;
  tenantConfigPath?: string;
  twilioApiBaseUrl?: string;
  entra?: EntraSettings;
  bot?: BotSettings;
  /** Dev mode: no Entra app configured; `POST /api/dev/token` issues local tokens. */
  devMode: boolean;
  /** Where the built tab and widget live (tab/dist). */
  webRoot: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Multiplies the customer API's rate limits (INTERACT_RATE_LIMIT_SCALE; 0 turns them off, for load tests only). */
  rateLimitScale: number;
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
      if (!protocols.includes(u.protocol)) problems.push(`${k}: expected a ${protocols.join(' or ')} URL, got "${v}"`);
    } catch {
      problems.push(`${k}: not a URL: "${v}"`);
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
  if (!Number.isFinite(rateLimitScale) || rateLimitScale < 0) problems.push(`INTERACT_RATE_LIMIT_SCALE: a number of 0 or more; got "${str('INTERACT_RATE_LIMIT_SCALE')}"`);
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) problems.push(`LOG_LEVEL: one of debug, info, warn, error; got "${logLevel}"`);

  let entra: EntraSettings | undefined;
  const clientId = str('ENTRA_CLIENT_ID');
  if (clientId) {
    const extra = (str('ENTRA_AUDIENCES') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    entra = { clientId, audiences: [clientId, ...extra], authority: url('ENTRA_AUTHORITY', ['https:', 'http:']) ?? 'https://login.microsoftonline.com' };
  }
  let bot: BotSettings | undefined;
  const appId = str('BOT_ID') ?? str('MicrosoftAppId');
  const appPassword = str('SECRET_BOT_PASSWORD') ?? str('MicrosoftAppPassword');
  if (appId && !appPassword) problems.push('BOT_ID is set but SECRET_BOT_PASSWORD is not: the bot cannot authenticate');
  if (appId && appPassword) {
    const appType = (str('BOT_APP_TYPE') ?? 'MultiTenant') as BotSettings['appType'];
    if (appType !== 'MultiTenant' && appType !== 'SingleTenant') problems.push(`BOT_APP_TYPE: MultiTenant or SingleTenant, got "${appType}"`);
    bot = { appId, appPassword, appType, appTenantId: str('BOT_TENANT_ID') };
  }
  const devModeText = str('STRATUS_DEV_MODE');
  if (devModeText && !['true', 'false'].includes(devModeText)) problems.push(`STRATUS_DEV_MODE: true or false, got "${devModeText}"`);
  if (devModeText === 'true' && entra) problems.push('STRATUS_DEV_MODE=true with ENTRA_CLIENT_ID set: dev tokens would bypass Entra sign-in');

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: str('HOST') ?? '0.0.0.0',
    publicBaseUrl,
    databaseUrl,
    dataDir: (str('DATA_DIR') ?? '.data').startsWith('memory://') ? 'memory://' : resolve(str('DATA_DIR') ?? '.data'),
    tenantConfigPath: str('STRATUS_CONFIG') ? resolve(str('STRATUS_CONFIG') as string) : undefined,
    twilioApiBaseUrl: url('TWILIO_API_BASE_URL', ['http:', 'https:']),
    entra,
    bot,
    devMode: devModeText === 'false' ? false : !entra,
    webRoot: resolve(str('STRATUS_WEB_ROOT') ?? resolve(__dirname, '../tab/dist')),
    logLevel,
    rateLimitScale,
  };
}

/** `npm start`: validates the environment, builds the app, listens, and drains on SIGTERM/SIGINT. */
import './util/known-warnings';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { TenantConfigError } from './tenants/load';
import { createLogger, errorMessage } from './util/log';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Stratus cannot start: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  let app;
  try {
    app = await createApp({ config, log });
  } catch (e) {
    if (e instanceof TenantConfigError) {
      process.stderr.write(`Stratus cannot start: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const url = await app.start();
  log.info(`Stratus listening on ${url} (public ${config.publicBaseUrl}); store: ${app.store.kind}${app.store.kind === 'pglite' ? ` in ${config.dataDir}` : ''}`);
  if (config.devMode) {
    log.warn('DEV MODE: no Entra app is configured (ENTRA_CLIENT_ID). POST /api/dev/token signs anyone in as any configured user. Never expose this server.');
  }
  if (!config.bot) log.warn('Bot: no BOT_ID/SECRET_BOT_PASSWORD: /api/messages accepts unauthenticated activities from loopback only.');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: draining`);
    app.stop().then(() => process.exit(0), (e) => {
      log.error('shutdown failed', { error: errorMessage(e) });
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e) => {
  process.stderr.write(`Stratus failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

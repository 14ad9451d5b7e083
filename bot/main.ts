/** `npm start`: validates the environment, builds the app, listens, and drains on SIGTERM/SIGINT. */
import './util/known-warnings';
import { createApp, StoreOpenError } from './app';
import { ConfigError, loadConfig, maskUrlsIn } from './config';
import { TenantConfigError } from './tenant-config/load';
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
  // Said before anything else, so the operator reads it even when the start fails later.
  for (const w of config.warnings) log.warn(w);
  let app;
  try {
    app = await createApp({ config, log });
  } catch (e) {
    if (e instanceof TenantConfigError) {
      process.stderr.write(`Stratus cannot start: ${e.message}\n`);
      process.exit(2);
    }
    if (e instanceof StoreOpenError) {
      process.stderr.write(`Stratus cannot start: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  // What the configuration means is said before "listening", so whoever waits for that line has it.
  if (config.devMode && !config.warnings.length) {
    log.warn(
      'DEV MODE (no Entra app, loopback only): POST /api/dev/token signs anyone in as any configured user. Set ENTRA_CLIENT_ID (or AAD_APP_CLIENT_ID) for production.',
    );
  }
  if (!config.bot) {
    log.warn(
      config.devMode
        ? 'Bot: no BOT_ID/SECRET_BOT_PASSWORD: /api/messages accepts unauthenticated activities (dev mode).'
        : 'Bot: no BOT_ID/SECRET_BOT_PASSWORD: /api/messages refuses every activity (401).',
    );
  }
  const url = await app.start();
  log.info(
    `Stratus listening on ${url} (public ${config.publicBaseUrl}); store: ${app.store.kind}${app.store.kind === 'pglite' ? ` in ${config.dataDir}` : ''}`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: draining`);
    app.stop().then(
      () => process.exit(0),
      (e) => {
        log.error('shutdown failed', { error: errorMessage(e) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e) => {
  // A driver's error may quote the connection string: never print a password.
  process.stderr.write(`Stratus failed to start: ${maskUrlsIn(e instanceof Error ? (e.stack ?? e.message) : String(e))}\n`);
  process.exit(1);
});

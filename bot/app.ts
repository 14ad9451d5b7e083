/**
 * Builds the whole server from a Config: store, tenants, event bus, scheduler, distributor,
 * routes, live sockets. `start()` listens; `stop()` drains in-flight work and closes the store.
 * Tests build it in-process with an in-memory store and an ephemeral port.
 */
import type { AddressInfo } from 'node:net';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import type { Clock, IdGenerator } from '@stratus/shared/util/ports';
import { AgentAuth } from './agents/agent-auth';
import { CustomerLive, type LiveLimits } from './http/live';
import { RateLimiter } from './channels/interact/rate-limit';
import { registerInteractRoutes } from './http/routes/interact';
import { ChatIdentities } from './channels/interact/interact';
import { channelSendHandler } from './channels/twilio/sender';
import { registerWhatsAppRoutes } from './channels/twilio/routes';
import { maskUrlsIn, type Config } from './config';
import { EventBus } from './events/bus';
import { DurableRunner } from './events/durable';
import { checkCovered, type AnyLiveSubscriber, type DurableSubscriber } from './events/subscribers';
import { registerAgentRoutes } from './http/routes/agent';
import { AgentStreams, registerAgentEvents } from './http/routes/agent-events';
import { registerMiscRoutes } from './http/routes/misc';
import { createServer, type Server } from './http/server';
import { registerStatic } from './http/static';
import { Scheduler, type JobHandler, type JobKind } from './scheduler/jobs';
import { AvailabilityCache } from './runtime/availability-cache';
import { Batcher } from './runtime/uow';
import { Distributor } from './distribution/distribution';
import { coreJobHandlers } from './jobs/handlers';
import { webRequestHandler, type WebRequestOptions } from './workflow/web-request';
import { createTeams } from './teams';
import type { TeamsPort } from './teams/port';
import type { Runtime } from './runtime/runtime';
import { openStore, type Store } from './store/db';
import { addSettingIfAbsent, readSetting } from './store/settings';
import { checkTenantsForStart, importTenants, readTenantFile } from './tenants/load';
import { TenantRegistry } from './tenants/registry';
import { newSecret, randomIds } from './util/ids';
import { createLogger, errorMessage, type Logger } from './util/log';

export interface AppOptions {
  config: Config;
  /** Tenants to run (default: from STRATUS_CONFIG, or the demo tenant). */
  tenants?: TenantConfig[];
  clock?: Clock;
  ids?: IdGenerator;
  log?: Logger;
  /** Replaces the Bot Framework sends (unused by default; tests use the real adapter against a local connector). */
  teamsPort?: TeamsPort;
  /** First retry delay of a failed WhatsApp/SMS send (doubles each time; tests shorten it). */
  channelRetryBaseMs?: number;
  /** Extra job handlers (channel sends, web requests, Teams) keyed by kind. */
  jobHandlers?: Partial<Record<JobKind, JobHandler>>;
  /** Web Request resolver and address exceptions (tests reach local endpoints; default strict). */
  webRequest?: WebRequestOptions;
  /** Timings, shortened by tests. */
  schedulerIntervalMs?: number;
  distributionPeriodMs?: number;
  busPollMs?: number;
  /** Customer socket limits (auth timeout, caps), shortened by tests. */
  live?: Partial<LiveLimits>;
  /** The customer API's rate limiter (tests inject small limits; default from INTERACT_RATE_LIMIT_SCALE). */
  limiter?: RateLimiter;
  /** More event subscribers beside the app's own (tests). */
  subscribers?: readonly (AnyLiveSubscriber | DurableSubscriber)[];
}

export interface App {
  rt: Runtime;
  server: Server;
  store: Store;
  scheduler: Scheduler;
  distributor: Distributor;
  auth: AgentAuth;
  customerLive: CustomerLive;
  start(port?: number, host?: string): Promise<string>;
  stop(): Promise<void>;
  /** Base URL once listening. */
  url: string;
}

const realClock: Clock = { now: () => Date.now() };

export async function createApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const log = opts.log ?? createLogger(config.logLevel);
  const clock = opts.clock ?? realClock;
  const tenantList = opts.tenants ?? readTenantFile(config.tenantConfigPath);
  checkTenantsForStart(tenantList, { devMode: config.devMode, demo: !opts.tenants && !config.tenantConfigPath });
  const store = await openStoreOrExplain(config);
  await importTenants(store.db, tenantList, clock.now());
  const registry = new TenantRegistry(tenantList);
  const bus = new EventBus(store, log, opts.busPollMs ?? 1000);
  // The scheduler needs the runtime and the runtime wakes the scheduler: tie the knot through a holder.
  const late: { scheduler?: Scheduler } = {};
  const distributor = new Distributor(() => rt, opts.distributionPeriodMs ?? 2000);
  const rt: Runtime = {
    groupCommit: { run: (fn) => groupCommit.run(fn) },
    availability: new AvailabilityCache(),
    config,
    store,
    tenants: registry,
    clock,
    ids: opts.ids ?? randomIds,
    bus,
    log,
    requestDistribution: (t) => distributor.request(t),
    wakeScheduler: () => void late.scheduler?.runDue(),
  };
  const groupCommit = new Batcher(rt);
  const teams = createTeams(rt, opts.teamsPort ? { port: opts.teamsPort } : {});
  const handlers: Record<JobKind, JobHandler> = {
    ...coreJobHandlers(rt),
    webRequest: webRequestHandler(rt, opts.webRequest),
    channelSend: channelSendHandler(rt, opts.channelRetryBaseMs),
    teamsSend: teams.jobHandler,
    ...opts.jobHandlers,
  };
  const scheduler = new Scheduler(store, handlers, clock, log, opts.schedulerIntervalMs ?? 200);
  late.scheduler = scheduler;
  const auth = new AgentAuth(config, registry, await devSecret(store));
  const isUp = () => store.ping();
  let draining = false;
  const server = createServer(log, isUp);
  const limiter = opts.limiter ?? new RateLimiter(clock, config.rateLimitScale);
  registerMiscRoutes(server, rt, auth, isUp, () => draining);
  const identities = new ChatIdentities();
  registerInteractRoutes(server, rt, limiter, identities, isUp);
  registerAgentRoutes(server, rt, auth, isUp);
  registerWhatsAppRoutes(server, rt, isUp);
  teams.register(server);
  teams.start();
  const streams = new AgentStreams(rt);
  registerAgentEvents(server, rt, auth, streams);
  registerStatic(server, rt);
  const customerLive = new CustomerLive(rt, limiter, identities, opts.live);
  server.server.on('upgrade', (req, socket, head) => customerLive.handleUpgrade(req, socket, head));

  // Who receives the events (events/subscribers.ts): this does not compile while an event type has no subscriber.
  const subscribers = checkCovered([customerLive.subscriber, streams.subscriber, teams.relay] as const);
  const durable: DurableRunner[] = [];
  for (const sub of [...subscribers, ...(opts.subscribers ?? [])]) {
    if (sub.kind === 'live') bus.subscribe(sub);
    else durable.push(new DurableRunner(rt, sub as DurableSubscriber, opts.busPollMs ?? 1000));
  }
  for (const d of durable) d.attach(bus);

  const app: App = {
    rt,
    server,
    store,
    scheduler,
    distributor,
    auth,
    customerLive,
    url: '',
    async start(port = config.port, host = config.host) {
      await bus.start();
      // A durable subscriber's first run ever places its cursor: before any request can write.
      await Promise.all(durable.map((d) => d.kick()));
      for (const d of durable) d.start();
      scheduler.start();
      distributor.start();
      for (const t of tenantList) distributor.request(t.id);
      await new Promise<void>((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const addr = server.server.address() as AddressInfo;
      app.url = `http://127.0.0.1:${addr.port}`;
      return app.url;
    },
    async stop() {
      draining = true;
      // Stop taking connections, let requests in flight finish, then stop background work and the store.
      const closed = new Promise<void>((resolve) => server.server.close(() => resolve()));
      streams.close();
      customerLive.close();
      server.server.closeIdleConnections?.();
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([
        closed,
        new Promise((r) => {
          grace = setTimeout(r, 5000);
          grace.unref();
        }),
      ]);
      clearTimeout(grace);
      bus.stop();
      await Promise.all(durable.map((d) => d.stop()));
      await teams.stop();
      await distributor.stop();
      await scheduler.stop();
      await store.close();
    },
  };
  return app;
}

/** The store could not be opened at start; the message names the database with its password masked. */
export class StoreOpenError extends Error {}

async function openStoreOrExplain(config: Config): Promise<Store> {
  try {
    return await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (e) {
    const where = config.databaseUrl ? `the database at ${maskUrlsIn(config.databaseUrl)}` : `the embedded database in ${config.dataDir}`;
    let why = maskUrlsIn(errorMessage(e));
    // A driver may quote the password on its own, outside any URL.
    const password = config.databaseUrl ? new URL(config.databaseUrl).password : '';
    for (const p of [password, safeDecode(password)]) if (p) why = why.split(p).join('***');
    throw new StoreOpenError(`cannot open ${where}: ${why}`);
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The dev-mode token secret, kept in the store so a restart keeps agents signed in. */
async function devSecret(store: Store): Promise<string> {
  const existing = await readSetting(store.db, 'dev_token_secret');
  if (existing !== undefined) return existing;
  const value = newSecret();
  await addSettingIfAbsent(store.db, 'dev_token_secret', value);
  return (await readSetting(store.db, 'dev_token_secret')) ?? value;
}

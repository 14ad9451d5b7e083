/**
 * Builds the whole server from a Config: store, tenants, event bus, scheduler, distributor,
 * routes, live sockets. `start()` listens; `stop()` drains in-flight work and closes the store.
 * Tests build it in-process with an in-memory store and an ephemeral port.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { TenantConfig, TwilioConnector } from '@stratus/shared/tenant/model';
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
import { registerAdminRoutes } from './http/routes/admin';
import type { AdminDeps } from './admin/admin-actions';
import { GraphApi } from './graph/graph-client';
import { PresenceSync } from './presence/presence-sync';
import { startGraphStandIn } from './graph/graph-standin';
import { testTwilioConnection } from './channels/twilio/test-connection';
import { DEMO_ENTRA_TENANT_ID } from '@stratus/shared/tenant/demo';
import { AgentStreams, registerAgentEvents } from './http/routes/agent-events';
import { registerMiscRoutes } from './http/routes/misc';
import { registerSupervisorRoutes } from './http/routes/supervisor';
import { createPrivacy } from './privacy/privacy';
import { ratingQuestionSubscriber } from './channels/twilio/rating-question';
import { SupervisorStreams } from './supervisor/stream';
import { createServer, type Server } from './http/server';
import { registerStatic } from './http/static';
import { Scheduler, type JobHandler, type JobKind } from './scheduler/jobs';
import { AvailabilityCache } from './runtime/availability-cache';
import { Batcher, retryConflicts } from './runtime/uow';
import { AppendLane } from './store/append-lane';
import { Distributor } from './distribution/distribution';
import { coreJobHandlers } from './jobs/handlers';
import { webRequestHandler, type WebRequestOptions } from './workflow/web-request';
import { createTeams, type TeamsInstallTimings } from './teams';
import type { TeamsPort } from './teams/port';
import type { Runtime } from './runtime/runtime';
import { openStore, type Store } from './store/db';
import { addSettingIfAbsent, readSetting } from './store/settings';
import { importTenants, readTenantSource, TenantConfigError, type TenantSource } from './tenant-config/load';
import { TenantSync } from './tenant-config/live';
import { TenantRegistry } from './tenants/registry';
import { SecretBox } from './tenants/secrets';
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
  /** Between two reads of Teams presence from Graph (default 5 s; tests shorten it). */
  presencePollMs?: number;
  /** Timings of the Teams app installation through Graph (tests shorten them). */
  teamsInstall?: TeamsInstallTimings;
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

/** Chat starts per group commit: a start runs its workflow, so a batch is kept to a fraction of a second. */
const START_BATCH_MAX = 50;

export async function createApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const log = opts.log ?? createLogger(config.logLevel);
  const clock = opts.clock ?? realClock;
  const source: TenantSource = opts.tenants
    ? { entries: opts.tenants, demo: false, name: 'the given tenants' }
    : readTenantSource(config.tenantConfigPath);
  if (source.demo && !config.devMode)
    throw new TenantConfigError([
      'STRATUS_CONFIG is not set: the demo tenant (published users and Twilio token) runs only in dev mode; give a tenant file',
    ]);
  const store = await openStoreOrExplain(config);
  const registry = new TenantRegistry([]);
  const bus = new EventBus(store, log, opts.busPollMs ?? 1000);
  // The scheduler needs the runtime and the runtime wakes the scheduler: tie the knot through a holder.
  const late: { scheduler?: Scheduler } = {};
  const distributor = new Distributor(() => rt, opts.distributionPeriodMs ?? 2000);
  const rt: Runtime = {
    groupCommit: { run: (fn, lane) => (lane === 'starts' ? startCommit : groupCommit).run(fn) },
    // A message alone is retried after a conflict PostgreSQL still reports, rather than answered 500.
    appends: new AppendLane(store, (run) => retryConflicts(rt, run)),
    availability: new AvailabilityCache(),
    config,
    store,
    tenants: registry,
    secrets: new SecretBox(config.secretKey ?? (await devSecretKey(store))),
    clock,
    ids: opts.ids ?? randomIds,
    bus,
    log,
    requestDistribution: (t) => distributor.request(t),
    wakeScheduler: () => void late.scheduler?.runDue(),
  };
  const groupCommit = new Batcher(rt);
  // Chat starts in a burst (a campaign, the end of an outage) commit together too: one transaction,
  // one outbox append and one write of their jobs for many starts. A start's errors can come after
  // its first rows, so any error runs each start of the batch alone; each start keeps the time it
  // arrived, so a batch keeps its customers' order in the queue.
  const startCommit = new Batcher(rt, { max: START_BATCH_MAX, isolateAppErrors: false, gather: true, arrivalTime: true });
  const tenantSync = new TenantSync(rt);
  await importAndLoadTenants(rt, source, tenantSync);
  const admin = await adminDeps(config, log);
  const teams = createTeams(rt, { ...(opts.teamsPort ? { port: opts.teamsPort } : {}), graph: admin.graph, install: opts.teamsInstall });
  const privacy = createPrivacy(rt);
  const handlers: Record<JobKind, JobHandler> = {
    ...coreJobHandlers(rt),
    webRequest: webRequestHandler(rt, opts.webRequest),
    channelSend: channelSendHandler(rt, opts.channelRetryBaseMs),
    teamsSend: teams.jobHandler,
    activityFeed: teams.activityFeedJob,
    retention: (job) => privacy.retentionJob(job),
    ...opts.jobHandlers,
  };
  const scheduler = new Scheduler(store, handlers, clock, log, opts.schedulerIntervalMs ?? 200);
  late.scheduler = scheduler;
  const auth = new AgentAuth(config, registry, await devSecret(store));
  const isUp = () => store.ping();
  let draining = false;
  const server = createServer(log, isUp, config.keepAliveMs);
  const limiter = opts.limiter ?? new RateLimiter(clock, config.rateLimitScale);
  registerMiscRoutes(server, rt, auth, isUp, () => draining);
  const identities = new ChatIdentities();
  registerInteractRoutes(server, rt, limiter, identities, isUp);
  registerAgentRoutes(server, rt, auth, isUp);
  const supervisorStreams = new SupervisorStreams(rt);
  registerSupervisorRoutes(server, rt, auth, isUp, supervisorStreams);
  privacy.register(server, auth, isUp);
  registerAdminRoutes(server, rt, auth, { ...admin.deps, ...(teams.installer ? { teamsInstall: teams.installer } : {}) }, isUp);
  // Teams presence from Graph where Graph is configured; otherwise presence is as configured (and, in dev mode, set by hand).
  const presence = admin.graph ? new PresenceSync(rt, admin.graph, { periodMs: opts.presencePollMs }) : undefined;
  registerWhatsAppRoutes(server, rt, isUp);
  teams.register(server);
  teams.start();
  const streams = new AgentStreams(rt);
  registerAgentEvents(server, rt, auth, streams);
  registerStatic(server, rt);
  const customerLive = new CustomerLive(rt, limiter, identities, opts.live);
  server.server.on('upgrade', (req, socket, head) => customerLive.handleUpgrade(req, socket, head));

  // Who receives the events (events/subscribers.ts): this does not compile while an event type has no subscriber.
  const subscribers = checkCovered([
    customerLive.subscriber,
    streams.subscriber,
    supervisorStreams.subscriber,
    teams.relay,
    tenantSync.subscriber,
  ] as const);
  // Teams through Graph, where it is configured: installing for members on config changes, the activity feed skipping agents whose tab is open here.
  const teamsGraph = [
    ...(teams.installer ? [teams.installer.subscriber] : []),
    ...(teams.activityFeed ? [teams.activityFeed((tenantId, userId) => streams.listeners.has(`${tenantId}/${userId}`))] : []),
  ];
  // WhatsApp and SMS customers are asked for a rating when their chat ends (services that ask).
  const customers = [ratingQuestionSubscriber()];
  const durable: DurableRunner[] = [];
  for (const sub of [...subscribers, ...customers, ...teamsGraph, ...(opts.subscribers ?? [])]) {
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
      tenantSync.start();
      presence?.start();
      privacy.start();
      for (const t of registry.tenants) distributor.request(t.id);
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
      supervisorStreams.closeAll();
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
      await tenantSync.stop();
      await presence?.stop();
      await privacy.stop();
      await Promise.all(durable.map((d) => d.stop()));
      await teams.stop();
      await distributor.stop();
      await scheduler.stop();
      await admin.close();
      await store.close();
    },
  };
  return app;
}

/**
 * The admin API's edges: Graph's directory (GRAPH_* settings; in dev mode without them, a local
 * Graph stand-in with fictional Contoso people, so the directory search works out of the box)
 * and Twilio's account check (TWILIO_API_BASE_URL honoured).
 */
async function adminDeps(config: Config, log: Logger): Promise<{ deps: AdminDeps; graph?: GraphApi; close(): Promise<void> }> {
  const testTwilio = (conn: TwilioConnector) => testTwilioConnection(conn, config.twilioApiBaseUrl);
  if (config.graph) {
    const graph = new GraphApi({ ...config.graph, log });
    return { deps: { testTwilio, directory: graph }, graph, close: async () => undefined };
  }
  if (!config.devMode) return { deps: { testTwilio }, close: async () => undefined };
  const standIn = await startGraphStandIn({ clientSecret: 'dev-graph-secret' });
  const directory = new GraphApi({
    clientId: 'stratus-dev',
    clientSecret: 'dev-graph-secret',
    baseUrl: standIn.url,
    authorityHost: standIn.url,
    log,
  });
  return { deps: { testTwilio, directory, devEntraTenantId: DEMO_ENTRA_TENANT_ID }, close: () => standIn.close() };
}

/** The store could not be opened at start; the message names the database with its password masked. */
export class StoreOpenError extends Error {}

async function openStoreOrExplain(config: Config): Promise<Store> {
  try {
    return await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, sqlStatsFile: config.sqlStatsFile });
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

/**
 * Imports the file (or the demo tenant) and runs what the store holds. Refused entries are logged
 * and the others run; only when no tenant can run at all does the start stop (exit 2), naming why.
 */
async function importAndLoadTenants(rt: Runtime, source: TenantSource, sync: TenantSync): Promise<void> {
  const report = await importTenants(rt, source);
  for (const p of report.problems) rt.log.error(`tenant configuration refused: ${p}`);
  await sync.loadAll();
  if (rt.tenants.tenants.length === 0 && (report.problems.length || sync.refused.size)) {
    const stored = [...sync.refused].flatMap(([id, r]) =>
      r.problems.map((p) => `tenant "${id}" (stored revision ${r.revision}): ${p.path ? `${p.path}: ` : ''}${p.message}`),
    );
    throw new TenantConfigError([...report.problems, ...stored, 'no tenant can run']);
  }
}

/**
 * Dev mode's secret key when STRATUS_SECRET_KEY is not set: generated once and kept in the store,
 * so every instance sharing the database opens the same secrets (a key in the data folder would
 * differ per instance). Outside dev mode the key must come from the environment (config.ts).
 */
async function devSecretKey(store: Store): Promise<Buffer> {
  const existing = await readSetting(store.db, 'dev_secret_key');
  if (existing !== undefined) return Buffer.from(existing, 'base64');
  await addSettingIfAbsent(store.db, 'dev_secret_key', randomBytes(32).toString('base64'));
  return Buffer.from((await readSetting(store.db, 'dev_secret_key')) ?? '', 'base64');
}

/** The dev-mode token secret, kept in the store so a restart keeps agents signed in. */
async function devSecret(store: Store): Promise<string> {
  const existing = await readSetting(store.db, 'dev_token_secret');
  if (existing !== undefined) return existing;
  const value = newSecret();
  await addSettingIfAbsent(store.db, 'dev_token_secret', value);
  return (await readSetting(store.db, 'dev_token_secret')) ?? value;
}

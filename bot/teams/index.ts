/**
 * Wires the Teams bot into the server: `POST /api/messages`, the relay's event subscriber and job.
 * Incoming activities are authenticated by the adapter when the bot's credentials are set;
 * without them, only dev mode takes activities (unauthenticated, for local tools) and outside it
 * every activity is refused. Activities from Teams tenants that are not configured are refused;
 * a resent activity (Teams resends when a bot is slow) is handled once, deduplicated only after
 * the adapter has authenticated it.
 */
import type { TurnContext } from 'botbuilder';
import type { ErrorCode } from '../errors';
import type { Request, Response, Server } from '../http/server';
import type { DurableSubscriber } from '../events/subscribers';
import type { Runtime } from '../runtime/runtime';
import type { JobHandler } from '../scheduler/jobs';
import { errorMessage } from '../util/log';
import { botbuilderPort, createAdapter, createBotAuth, isSignedForBot } from './adapter';
import { StratusBot } from './bot';
import { SendBudget } from './budget';
import { InboundDedupe } from './dedupe';
import type { TeamsPort } from './port';
import { InstalledAgents, teamsRelaySubscriber, type RelayEventType } from './relay-queue';
import { scheduleOrphanedSends, teamsSendHandler } from './relay-send';
import { TeamsTyping } from './typing';
import { activityFeedHandler, activityFeedSubscriber, type ActivityFeedGraph } from './activity-feed';
import { TeamsInstaller, type TeamsAppGraph, type TeamsInstallerOptions } from './install';

/** The installer's timings (tests shorten them). */
export type TeamsInstallTimings = Pick<TeamsInstallerOptions, 'periodMs' | 'tickMs' | 'afterConfigMs' | 'permanentRetryMs'>;

export interface Teams {
  register(server: Server): void;
  jobHandler: JobHandler;
  /** Queues agents' events for their Teams chats (a durable subscriber, given to the app's event wiring). */
  relay: DurableSubscriber<RelayEventType>;
  /** Installs the app for licensed service members through Graph; absent without Graph or the app's id (TEAMS_APP_ID). */
  installer?: TeamsInstaller;
  /** The activity feed's subscriber, given whether an agent's My Sessions stream is open here; absent without Graph or TEAMS_APP_ID. */
  activityFeed?: (watching: (tenantId: string, userId: string) => boolean) => DurableSubscriber<'session'>;
  /** The `activityFeed` job (does nothing where the feed is off). */
  activityFeedJob: JobHandler;
  /** Starts the periodic cleanup of the inbound dedupe rows (and the installer). */
  start(): void;
  stop(): Promise<void>;
}

/** The store did not answer while recording an inbound activity: Teams should resend it. */
class DedupeUnavailable extends Error {}

/**
 * What the adapter would write, kept so this route answers itself: a refusal in the JSON error
 * shape, 503 when deduplication could not be recorded.
 */
interface Captured {
  status: number;
  body?: unknown;
}

function captureResponse(out: Captured) {
  return {
    status(code: number) {
      out.status = code;
      return this;
    },
    send(body: unknown) {
      out.body = body;
      return this;
    },
    header() {
      return this;
    },
    end() {
      return this;
    },
  };
}

export function createTeams(
  rt: Runtime,
  opts: { port?: TeamsPort; instances?: number; graph?: TeamsAppGraph & ActivityFeedGraph; install?: TeamsInstallTimings } = {},
): Teams {
  const bot = rt.config.bot;
  const botAuth = createBotAuth(bot);
  const adapter = createAdapter(botAuth, rt.log);
  const port = opts.port ?? botbuilderPort(adapter, bot?.appId ?? '');
  const tabUrl = rt.config.publicBaseUrl.startsWith('https://') ? `${rt.config.publicBaseUrl}/tab/` : undefined;
  const installed = new InstalledAgents();
  // One budget per agent chat for everything the bot sends there: relayed cards, typing and the bot's own answers.
  const budget = new SendBudget(opts.instances ?? 1);
  const handler = new StratusBot(rt, tabUrl, installed, budget);
  const dedupe = new InboundDedupe(rt.store, rt.clock, rt.log);
  const sweep = new OrphanedSendSweep(rt);
  const { graph } = opts;
  const app = rt.config.teamsApp;
  const installer =
    graph && (app.manifestId || app.catalogId)
      ? new TeamsInstaller(rt, graph, installed, {
          serviceUrl: app.serviceUrl,
          ...(app.manifestId ? { manifestId: app.manifestId } : {}),
          ...(app.catalogId ? { catalogId: app.catalogId } : {}),
          ...(bot?.appId ? { botAppId: bot.appId } : {}),
          ...opts.install,
        })
      : undefined;
  // The notification's deep link names the app by its manifest id.
  const feed = graph && app.manifestId ? { graph, manifestId: app.manifestId } : undefined;

  const refuse = (res: Response, status: number, code: ErrorCode, message: string) => {
    res.status(status);
    res.json({ error: { code, message } });
  };

  /** Runs once the adapter has authenticated the activity: a resend is acknowledged and dropped. */
  const turn = async (ctx: TurnContext): Promise<void> => {
    const { id, type, conversation } = ctx.activity;
    if (id && type !== 'invoke') {
      let first: boolean;
      try {
        first = await dedupe.firstTime(conversation?.id ?? '', id);
      } catch (e) {
        rt.log.warn('could not record inbound activity', { error: errorMessage(e) });
        throw new DedupeUnavailable();
      }
      if (!first) return;
    }
    await handler.run(ctx);
  };

  return {
    relay: teamsRelaySubscriber(installed, rt.clock, new TeamsTyping(port, budget, rt.log)),
    jobHandler: teamsSendHandler({ rt, port, budget }),
    ...(installer ? { installer } : {}),
    ...(feed ? { activityFeed: (watching: (tenantId: string, userId: string) => boolean) => activityFeedSubscriber(rt, watching) } : {}),
    activityFeedJob: feed ? activityFeedHandler(rt, feed.graph, feed.manifestId) : async () => undefined,
    start: () => {
      dedupe.start();
      sweep.start();
      installer?.start();
    },
    stop: async () => {
      await Promise.all([dedupe.stop(), sweep.stop(), installer?.stop()]);
    },
    register(server) {
      server.post('/api/messages', async (req: Request, res: Response) => {
        const activity = (req.body ?? {}) as { conversation?: { tenantId?: string }; channelData?: { tenant?: { id?: string } } };
        // Without credentials the adapter checks nothing: only dev mode may take such activities.
        if (!bot && !rt.config.devMode)
          return refuse(
            res,
            401,
            'unauthorized',
            'The bot has no credentials (BOT_ID, SECRET_BOT_PASSWORD): activities are refused outside dev mode.',
          );
        // Read from the unauthenticated body only to refuse early; nothing is written before the adapter authenticates.
        const entraTenant = (activity.conversation?.tenantId ?? activity.channelData?.tenant?.id ?? '').toLowerCase();
        if (!entraTenant || !rt.tenants.entraTenant(entraTenant))
          return refuse(res, 403, 'forbidden', 'This Teams tenant is not configured for Stratus.');
        // The common hostile case, answered without the adapter's stack trace in the log.
        if (bot && !req.header('authorization'))
          return refuse(res, 401, 'unauthorized', 'The activity is not signed by the Bot Framework for this bot.');
        if (bot) {
          let signed: boolean;
          try {
            signed = await isSignedForBot(botAuth, req.body, req.header('authorization') ?? '');
          } catch (e) {
            // The key endpoints may be unreachable: the sender retries, nothing was processed.
            rt.log.warn('bot activity could not be authenticated', { error: errorMessage(e) });
            return refuse(res, 503, 'unavailable', 'The activity could not be authenticated now; retry.');
          }
          if (!signed) {
            rt.log.debug('bot activity refused: not signed for this bot');
            return refuse(res, 401, 'unauthorized', 'The activity is not signed by the Bot Framework for this bot.');
          }
        }
        const out: Captured = { status: 200 };
        let unavailable = false;
        try {
          await adapter.process(req as never, captureResponse(out) as never, async (ctx) => {
            try {
              await turn(ctx);
            } catch (e) {
              if (!(e instanceof DedupeUnavailable)) throw e;
              unavailable = true;
            }
          });
        } catch (e) {
          rt.log.error('bot activity failed', { error: errorMessage(e) });
          return refuse(res, 500, 'internal', 'The bot could not handle this activity.');
        }
        if (unavailable) return refuse(res, 503, 'unavailable', 'Storage is not answering; retry.');
        if (out.status === 401 || out.status === 403)
          return refuse(res, 401, 'unauthorized', 'The activity is not signed by the Bot Framework for this bot.');
        if (out.status >= 400)
          return refuse(
            res,
            out.status,
            out.status < 500 ? 'invalid_request' : 'internal',
            typeof out.body === 'string' ? out.body.slice(0, 200) : 'The activity was refused.',
          );
        res.status(out.status);
        if (out.body === undefined) res.end();
        else res.json(out.body);
      });
    },
  };
}

/** Runs `scheduleOrphanedSends` at start and every minute (see there); owned by the Teams wiring. */
class OrphanedSendSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly rt: Runtime,
    private readonly everyMs = 60_000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.run();
    this.timer = setInterval(() => this.run(), this.everyMs);
    this.timer.unref();
  }

  private run(): void {
    if (this.running) return;
    this.running = scheduleOrphanedSends(this.rt)
      .then(
        (n) => {
          if (n > 0) {
            this.rt.log.info(`Teams relay: ${n} agent queue(s) had no send job; scheduled`);
            this.rt.wakeScheduler();
          }
        },
        (e: unknown) => {
          // Harmless: the next round, or the agent's next send, picks the rows up.
          this.rt.log.warn('Teams relay sweep failed', { error: errorMessage(e) });
        },
      )
      .finally(() => {
        this.running = undefined;
      });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

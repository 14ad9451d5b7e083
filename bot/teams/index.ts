/**
 * Wires the Teams bot into the server: `POST /api/messages`, the relay's event hook and job.
 * Incoming activities are authenticated by the adapter when the bot's credentials are set;
 * without them only loopback may post (local development), which the server says at start.
 * Activities from Teams tenants that are not configured are refused; a resent activity (Teams
 * resends when a bot is slow) is handled once.
 */
import { sql } from 'drizzle-orm';
import type { Request, Response, Server } from '../http/server';
import type { Runtime } from '../services/runtime';
import { inboundSeen } from '../store/schema';
import type { JobHandler } from '../scheduler/jobs';
import { errorMessage } from '../util/log';
import { botbuilderPort, createAdapter } from './adapter';
import { StratusBot } from './bot';
import { SendBudget } from './budget';
import type { TeamsPort } from './port';
import { mayHaveBot, queueTeamsSends, teamsSendHandler } from './relay';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export interface Teams {
  register(server: Server): void;
  jobHandler: JobHandler;
}

export function createTeams(rt: Runtime, opts: { port?: TeamsPort; instances?: number } = {}): Teams {
  const bot = rt.config.bot;
  const adapter = createAdapter(bot, rt.log);
  const port = opts.port ?? botbuilderPort(adapter, bot?.appId ?? '');
  const tabUrl = rt.config.publicBaseUrl.startsWith('https://') ? `${rt.config.publicBaseUrl}/tab/` : undefined;
  const handler = new StratusBot(rt, tabUrl);
  rt.onEvents = queueTeamsSends;
  rt.wantsTeams = (tenantId, userId) => mayHaveBot(tenantId, userId, rt.clock.now());

  const refuse = (res: Response, status: number, code: string, message: string) => {
    res.status(status);
    res.json({ error: { code, message } });
  };

  return {
    jobHandler: teamsSendHandler({ rt, port, budget: new SendBudget(opts.instances ?? 1) }),
    register(server) {
      server.post('/api/messages', async (req: Request, res: Response) => {
        const activity = (req.body ?? {}) as { id?: string; type?: string; conversation?: { id?: string; tenantId?: string }; channelData?: { tenant?: { id?: string } } };
        if (!bot && !LOOPBACK.has(req.socket.remoteAddress ?? '')) return refuse(res, 401, 'unauthorized', 'Bot credentials are not configured: only local activities are accepted.');
        const entraTenant = (activity.conversation?.tenantId ?? activity.channelData?.tenant?.id ?? '').toLowerCase();
        if (!entraTenant || !rt.tenants.entraTenant(entraTenant)) return refuse(res, 403, 'forbidden', 'This Teams tenant is not configured for Stratus.');
        if (activity.id && activity.type !== 'invoke') {
          try {
            const inserted = await rt.store.db.insert(inboundSeen).values({ key: `${activity.conversation?.id ?? ''}|${activity.id}`, at: rt.clock.now() }).onConflictDoNothing().returning();
            if (inserted.length === 0) {
              res.status(200);
              res.end();
              return;
            }
            if (Math.random() < 0.01) await rt.store.db.execute(sql`delete from inbound_seen where at < ${rt.clock.now() - 86_400_000}`);
          } catch (e) {
            rt.log.warn('could not record inbound activity', { error: errorMessage(e) });
            return refuse(res, 503, 'unavailable', 'Storage is not answering; retry.');
          }
        }
        try {
          await adapter.process(req as never, res as never, (ctx) => handler.run(ctx));
        } catch (e) {
          rt.log.error('bot activity failed', { error: errorMessage(e) });
          if (!res.headersSent) refuse(res, 500, 'internal', 'The bot could not handle this activity.');
        }
      });
    },
  };
}

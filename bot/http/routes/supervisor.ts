/**
 * Live operations for supervisors: the boards (queue, agents, sessions), a session's conversation,
 * the actions on a chat, and the event stream. Tenant admins see every service; supervisors and
 * owners theirs (bot/supervisor/supervisor.ts decides, 403 outside them).
 */
import { z } from 'zod';
import { PRIORITIES } from '@stratus/shared/tenant/model';
import type { AgentAuth } from '../../agents/agent-auth';
import { AppError, badRequest } from '../../errors';
import type { Runtime } from '../../runtime/runtime';
import { endChat, moveTask, prioritize, reassign, takeOver } from '../../supervisor/actions';
import { supervisorAgents, supervisorServices } from '../../supervisor/board';
import type { SupervisorStreams } from '../../supervisor/stream';
import { supervisorMessages, supervisorQueue, supervisorSessions } from '../../supervisor/supervisor';
import { handle, param, parseBody, query, type Request, type Response, type Server } from '../server';

const ID = /^[A-Za-z0-9_-]{1,128}$/;
const reassignSchema = z.object({ userId: z.string().min(1).max(128) });
const moveSchema = z.object({ serviceId: z.string().min(1).max(64) });
const prioritySchema = z.object({ priority: z.enum(PRIORITIES as [string, ...string[]]) });

/** A `service` query: absent, or a service id (its shape only; whether the caller may see it is the next check). */
function serviceOf(req: Request): string | undefined {
  const s = query(req, 'service');
  if (s === undefined || s === '') return undefined;
  if (s.length > 64 || !/^[a-z0-9][a-z0-9_-]*$/.test(s)) throw badRequest('invalid_request', 'service: a service id');
  return s;
}

/** A task id from the path; anything that cannot be one of ours is a 404 without a query. */
function taskIdOf(req: Request): string {
  const id = param(req, 'id');
  if (!ID.test(id)) throw new AppError(404, 'not_found', 'No such chat in the services you supervise.');
  return id;
}

const noStore = <T>(body: T) => ({ headers: { 'Cache-Control': 'no-store' }, body });

export function registerSupervisorRoutes(
  server: Server,
  rt: Runtime,
  auth: AgentAuth,
  isUp: () => Promise<boolean>,
  streams: SupervisorStreams,
): void {
  const viewer = (req: Request) => auth.verify(req.header('authorization'));
  const h = (fn: Parameters<typeof handle>[2]) => handle(rt.log, isUp, fn);

  server.get(
    '/api/supervisor/services',
    h(async (req) => noStore(supervisorServices(rt, await viewer(req)))),
  );
  server.get(
    '/api/supervisor/queue',
    h(async (req) => noStore(await supervisorQueue(rt, await viewer(req), serviceOf(req)))),
  );
  server.get(
    '/api/supervisor/agents',
    h(async (req) => noStore(await supervisorAgents(rt, await viewer(req), serviceOf(req)))),
  );
  server.get(
    '/api/supervisor/sessions',
    h(async (req) => noStore(await supervisorSessions(rt, await viewer(req), serviceOf(req)))),
  );
  server.get(
    '/api/supervisor/sessions/:id/messages',
    h(async (req) => {
      const v = await viewer(req);
      const after = query(req, 'after');
      if (after !== undefined && !/^\d{1,9}$/.test(after)) throw badRequest('invalid_request', 'after: a sequence number');
      return noStore(await supervisorMessages(rt, v, taskIdOf(req), Number(after ?? 0)));
    }),
  );

  server.post(
    '/api/supervisor/sessions/:id/takeover',
    h(async (req) => ({ body: await takeOver(rt, await viewer(req), taskIdOf(req)) })),
  );
  server.post(
    '/api/supervisor/sessions/:id/reassign',
    h(async (req) => {
      const v = await viewer(req);
      return { body: await reassign(rt, v, taskIdOf(req), parseBody(req, reassignSchema).userId) };
    }),
  );
  server.post(
    '/api/supervisor/sessions/:id/end',
    h(async (req) => ({ body: await endChat(rt, await viewer(req), taskIdOf(req)) })),
  );
  server.post(
    '/api/supervisor/tasks/:id/move',
    h(async (req) => {
      const v = await viewer(req);
      return { body: await moveTask(rt, v, taskIdOf(req), parseBody(req, moveSchema).serviceId) };
    }),
  );
  server.post(
    '/api/supervisor/tasks/:id/priority',
    h(async (req) => {
      const v = await viewer(req);
      return { body: await prioritize(rt, v, taskIdOf(req), parseBody(req, prioritySchema).priority as (typeof PRIORITIES)[number]) };
    }),
  );

  server.get('/api/supervisor/events', async (req: Request, res: Response) => {
    let stop: (() => void) | undefined;
    try {
      // The header only: a token in the query would be written to access logs.
      const v = await viewer(req);
      const service = serviceOf(req);
      const monitor = query(req, 'monitor');
      if (monitor !== undefined && !ID.test(monitor))
        throw new AppError(404, 'not_found', 'No such session in the services you supervise.');
      const last = req.header('last-event-id') ?? query(req, 'after');
      const after = last !== undefined && /^\d{1,15}$/.test(last) ? Number(last) : undefined;
      // Rights are checked before the stream starts, so a refusal is a plain JSON answer.
      const plan = await streams.resolve(v, {
        ...(service ? { service } : {}),
        ...(monitor ? { monitor } : {}),
        ...(after !== undefined ? { after } : {}),
      });
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      let closed = false;
      req.on('close', () => {
        closed = true;
        stop?.();
      });
      stop = await streams.open(plan, res);
      if (closed) stop();
    } catch (e) {
      const err = e instanceof AppError ? e : new AppError(500, 'internal', 'Something went wrong.');
      if (!res.headersSent) res.send(err.status, err.toBody());
      else res.end();
      if (!(e instanceof AppError)) rt.log.error('supervisor stream failed', { error: String(e) });
    }
  });
}

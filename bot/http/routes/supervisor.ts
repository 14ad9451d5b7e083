/**
 * Live operations for supervisors (read side): the queue, the open sessions and a session's
 * conversation of the services the caller supervises. Tenant admins see every service.
 */
import type { AgentAuth } from '../../agents/agent-auth';
import { badRequest } from '../../errors';
import type { Runtime } from '../../runtime/runtime';
import { supervisorMessages, supervisorQueue, supervisorSessions } from '../../supervisor/supervisor';
import { handle, param, query, type Request, type Server } from '../server';

/** A `service` query: absent, or a service id (its shape only; whether the caller may see it is the next check). */
function serviceOf(req: Request): string | undefined {
  const s = query(req, 'service');
  if (s === undefined || s === '') return undefined;
  if (s.length > 64 || !/^[a-z0-9][a-z0-9_-]*$/.test(s)) throw badRequest('invalid_request', 'service: a service id');
  return s;
}

export function registerSupervisorRoutes(server: Server, rt: Runtime, auth: AgentAuth, isUp: () => Promise<boolean>): void {
  const viewer = (req: Request) => auth.verify(req.header('authorization'));

  server.get(
    '/api/supervisor/queue',
    handle(rt.log, isUp, async (req) => {
      const v = await viewer(req);
      return { headers: { 'Cache-Control': 'no-store' }, body: await supervisorQueue(rt, v, serviceOf(req)) };
    }),
  );

  server.get(
    '/api/supervisor/sessions',
    handle(rt.log, isUp, async (req) => {
      const v = await viewer(req);
      return { headers: { 'Cache-Control': 'no-store' }, body: await supervisorSessions(rt, v, serviceOf(req)) };
    }),
  );

  server.get(
    '/api/supervisor/sessions/:id/messages',
    handle(rt.log, isUp, async (req) => {
      const v = await viewer(req);
      const after = query(req, 'after');
      if (after !== undefined && !/^\d{1,9}$/.test(after)) throw badRequest('invalid_request', 'after: a sequence number');
      return { headers: { 'Cache-Control': 'no-store' }, body: await supervisorMessages(rt, v, param(req, 'id'), Number(after ?? 0)) };
    }),
  );
}

/** Health, configuration for the tab, dev-mode sign-in, and reporting. */
import { z } from 'zod';
import type { AgentAuth } from '../../agents/agent-auth';
import { sessionsCsv, sessionsReport } from '../../reporting/reporting';
import { kpiReport, kpisCsv } from '../../reporting/kpis';
import type { Runtime } from '../../runtime/runtime';
import { badRequest, notFound } from '../../errors';
import { handle, parseBody, query, type Server } from '../server';
import { GRAPH_AVAILABILITIES, presenceFromGraph, type GraphAvailability } from '@stratus/shared/distribution/presence';
import { applyPresence } from '../../presence/presence';

export function registerMiscRoutes(
  server: Server,
  rt: Runtime,
  auth: AgentAuth,
  isUp: () => Promise<boolean>,
  isDraining: () => boolean,
): void {
  const h = (fn: Parameters<typeof handle>[2]) => handle(rt.log, isUp, fn);

  server.get(
    '/healthz',
    h(async () => ({ body: { status: 'ok' } })),
  );
  server.get(
    '/readyz',
    h(async () => {
      const up = !isDraining() && (await isUp());
      return {
        status: up ? 200 : 503,
        body: up
          ? { status: 'ready', store: rt.store.kind }
          : { error: { code: 'unavailable', message: isDraining() ? 'Shutting down.' : 'Storage is not answering.' } },
      };
    }),
  );

  server.get(
    '/api/config',
    h(async () => ({
      body: {
        devMode: auth.devMode,
        ...(rt.config.entra ? { entra: { clientId: rt.config.entra.clientId } } : {}),
        publicBaseUrl: rt.config.publicBaseUrl,
      },
    })),
  );

  server.get(
    '/api/dev/users',
    h(async () => {
      if (!auth.devMode) throw notFound();
      return {
        body: {
          users: rt.tenants.tenants.flatMap((t) => t.users.map((u) => ({ upn: u.upn, displayName: u.displayName, tenantId: t.id }))),
        },
      };
    }),
  );
  server.post(
    '/api/dev/token',
    h(async (req) => {
      if (!auth.devMode) throw notFound();
      const { upn } = parseBody(req, z.object({ upn: z.string().min(3).max(254) }));
      const token = await auth.issueDevToken(upn);
      if (!token) throw notFound(`No configured user "${upn}".`, 'unknown_user');
      return { body: { token } };
    }),
  );
  // Dev mode: Teams presence set by hand, in Graph's words, through the same path as the Graph poll.
  server.post(
    '/api/dev/presence',
    h(async (req) => {
      if (!auth.devMode) throw notFound();
      const body = parseBody(
        req,
        z.object({
          upn: z.string().min(3).max(254),
          availability: z.enum(GRAPH_AVAILABILITIES as unknown as [GraphAvailability, ...GraphAvailability[]]),
          activity: z.string().max(64).optional(),
        }),
      );
      const found = rt.tenants.upn(body.upn);
      if (!found) throw notFound(`No configured user "${body.upn}".`, 'unknown_user');
      const next = presenceFromGraph(body.availability, body.activity ?? body.availability);
      const changed = await applyPresence(rt, found.tenant.id, found.user.id, next);
      return { body: { ...next, changed } };
    }),
  );

  // Reporting: service owners and supervisors. Agents of the tenant may read their tenant's sessions.
  server.get(
    '/api/reporting/sessions',
    h(async (req) => {
      const p = await auth.verify(req.header('authorization'));
      const sessions = await sessionsReport(rt, p, {
        service: query(req, 'service'),
        channel: query(req, 'channel'),
        outcome: query(req, 'outcome'),
        from: query(req, 'from'),
        to: query(req, 'to'),
        limit: query(req, 'limit'),
      });
      if ((req.header('accept') ?? '').includes('text/csv')) {
        const csv = sessionsCsv(sessions);
        return {
          headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${csv.filename}"` },
          body: csv.text,
        };
      }
      return { body: { sessions } };
    }),
  );

  // KPIs of the services the caller may read (README, "Reporting figures"); CSV with format=csv or Accept: text/csv.
  server.get(
    '/api/reporting/kpis',
    h(async (req) => {
      const p = await auth.verify(req.header('authorization'));
      const format = query(req, 'format');
      if (format !== undefined && format !== 'json' && format !== 'csv') throw badRequest('invalid_request', 'format: json or csv');
      const { groupBy, rows } = await kpiReport(rt, p, {
        from: query(req, 'from'),
        to: query(req, 'to'),
        groupBy: query(req, 'groupBy'),
        service: query(req, 'service'),
        channel: query(req, 'channel'),
      });
      if (format === 'csv' || (format === undefined && (req.header('accept') ?? '').includes('text/csv'))) {
        const csv = kpisCsv(rows, groupBy);
        return {
          headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${csv.filename}"` },
          body: csv.text,
        };
      }
      return { body: { rows } };
    }),
  );
}

/** Health, configuration for the tab, dev-mode sign-in, and reporting. */
import { and, desc, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { sessionsToCsv } from '@stratus/shared/reporting/csv';
import type { ReportingSession } from '@stratus/shared/reporting/session';
import { CHANNEL_KINDS } from '@stratus/shared/tenant/model';
import { OUTCOMES } from '@stratus/shared/task/types';
import type { AgentAuth } from '../../agents/agent-auth';
import type { Runtime } from '../../runtime/runtime';
import { reportingSessions } from '../../store/schema';
import { badRequest, forbidden, notFound } from '../../errors';
import { handle, parseBody, query, type Server } from '../server';

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

  // Reporting: service owners and supervisors. Agents of the tenant may read their tenant's sessions.
  server.get(
    '/api/reporting/sessions',
    h(async (req) => {
      const p = await auth.verify(req.header('authorization'));
      const tenant = rt.tenants.tenant(p.tenantId);
      const where: SQL[] = [eq(reportingSessions.tenantId, p.tenantId)];
      const service = query(req, 'service');
      // Tenant admins read everything; owners and supervisors read their services; agents nothing.
      if (!tenant?.admins?.includes(p.userId)) {
        const mine = (tenant?.services ?? []).filter((s) => s.supervisors?.includes(p.userId)).map((s) => s.id);
        if (mine.length === 0) throw forbidden('Reporting is for service owners, supervisors and tenant admins.');
        if (service && !mine.includes(service)) throw forbidden(`You do not supervise service "${service}".`);
        where.push(inArray(reportingSessions.serviceId, mine));
      }
      const channel = query(req, 'channel');
      const outcome = query(req, 'outcome');
      const from = query(req, 'from');
      const to = query(req, 'to');
      if (service) where.push(eq(reportingSessions.serviceId, service));
      if (channel) {
        if (!(CHANNEL_KINDS as readonly string[]).includes(channel))
          throw badRequest('invalid_request', `channel: one of ${CHANNEL_KINDS.join(', ')}`);
        where.push(eq(reportingSessions.channel, channel));
      }
      if (outcome) {
        if (!(OUTCOMES as readonly string[]).includes(outcome))
          throw badRequest('invalid_request', `outcome: one of ${OUTCOMES.join(', ')}`);
        where.push(eq(reportingSessions.outcome, outcome));
      }
      const time = (name: string, v: string | undefined) => {
        if (v === undefined) return undefined;
        const t = Date.parse(v);
        if (Number.isNaN(t)) throw badRequest('invalid_request', `${name}: an ISO 8601 time is required`);
        return t;
      };
      const fromMs = time('from', from);
      const toMs = time('to', to);
      if (fromMs !== undefined) where.push(gte(reportingSessions.createdAt, fromMs));
      if (toMs !== undefined) where.push(lte(reportingSessions.createdAt, toMs));
      const limit = Math.min(10_000, Math.max(1, Number(query(req, 'limit') ?? '1000') || 1000));
      const rows = await rt.store.db
        .select({ data: reportingSessions.data })
        .from(reportingSessions)
        .where(and(...where))
        .orderBy(desc(reportingSessions.createdAt))
        .limit(limit);
      const sessions = rows.map((r) => r.data as ReportingSession);
      if ((req.header('accept') ?? '').includes('text/csv')) {
        return {
          headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="stratus-sessions.csv"' },
          body: sessionsToCsv(sessions),
        };
      }
      return { body: { sessions } };
    }),
  );
}

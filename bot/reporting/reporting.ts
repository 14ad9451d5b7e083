/**
 * Reporting: which reporting sessions a viewer may read, filtered as asked, and the CSV export.
 * Tenant admins read every service of their tenant; service supervisors and owners read their
 * services; users read their own direct chats; other agents read nothing.
 */
import { sessionsToCsv } from '@stratus/shared/reporting/csv';
import type { ReportingSession } from '@stratus/shared/reporting/session';
import { CHANNEL_KINDS } from '@stratus/shared/tenant/model';
import { OUTCOMES } from '@stratus/shared/task/types';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { isAdmin, supervisedServices } from '../admin/roles';
import { badRequest, forbidden } from '../errors';
import type { Runtime } from '../runtime/runtime';
import { listReportingSessions, type SessionsWhere } from '../store/reporting';

/**
 * The services whose reporting `userId` may read: undefined for all of them (tenant admins), else
 * the services they supervise or own and, for a user with an Interact code, their own direct
 * chats (`direct:<user id>`): direct chats are reported to their user and to tenant admins, not to
 * supervisors. With `service`, just that one, or 403 when it is not theirs. 403 for nobody's.
 */
export function readableServices(tenant: TenantConfig | undefined, userId: string, service?: string): string[] | undefined {
  let mine: string[] | undefined;
  if (!isAdmin(tenant, userId)) {
    const user = tenant?.users.find((u) => u.id === userId);
    mine = [...supervisedServices(tenant, userId), ...(user?.interact ? [`direct:${userId}`] : [])];
    if (mine.length === 0)
      throw forbidden('Reporting is for service owners, supervisors and tenant admins, and for users their own direct chats.');
  }
  if (!service) return mine;
  if (mine && !mine.includes(service)) throw forbidden(`You do not supervise service "${service}".`);
  return [service];
}

/** The filters of a sessions report, as the request gave them (each optional). */
export interface SessionsQuery {
  service?: string;
  channel?: string;
  outcome?: string;
  /** ISO 8601 times bounding the creation time, inclusive. */
  from?: string;
  to?: string;
  /** Rows at most (1..10 000, default 1000). */
  limit?: string;
}

/**
 * The reporting sessions `viewer` may read that match `query`, newest first. Access is checked
 * before the filters: a viewer without access is answered 403 whatever the filters.
 */
export async function sessionsReport(
  rt: Runtime,
  viewer: { tenantId: string; userId: string },
  query: SessionsQuery,
): Promise<ReportingSession[]> {
  const tenant = rt.tenants.tenant(viewer.tenantId);
  const { service, channel, outcome } = query;
  const services = readableServices(tenant, viewer.userId, service);
  const w: SessionsWhere = { tenantId: viewer.tenantId, limit: 1000, ...(services ? { services } : {}) };
  if (channel) {
    if (!(CHANNEL_KINDS as readonly string[]).includes(channel))
      throw badRequest('invalid_request', `channel: one of ${CHANNEL_KINDS.join(', ')}`);
    w.channel = channel;
  }
  if (outcome) {
    if (!(OUTCOMES as readonly string[]).includes(outcome)) throw badRequest('invalid_request', `outcome: one of ${OUTCOMES.join(', ')}`);
    w.outcome = outcome;
  }
  const time = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const t = Date.parse(v);
    if (Number.isNaN(t)) throw badRequest('invalid_request', `${name}: an ISO 8601 time is required`);
    return t;
  };
  const fromMs = time('from', query.from);
  const toMs = time('to', query.to);
  if (fromMs !== undefined) w.fromMs = fromMs;
  if (toMs !== undefined) w.toMs = toMs;
  w.limit = Math.min(10_000, Math.max(1, Number(query.limit ?? '1000') || 1000));
  return listReportingSessions(rt.store.db, w);
}

/** A sessions report as a CSV file: its name and its text. */
export function sessionsCsv(sessions: readonly ReportingSession[]): { filename: string; text: string } {
  return { filename: 'stratus-sessions.csv', text: sessionsToCsv(sessions) };
}

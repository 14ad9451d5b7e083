/**
 * GET /api/reporting/kpis: who may read which figures, the query checked, the sums of
 * ../store/kpis.ts turned into rows of figures, and the CSV of those rows. Definitions of every
 * figure: README, "Reporting figures".
 */
import { KPI_GROUP_BYS, type KpiGroupBy, type KpiRow } from '@stratus/shared/contract/supervisor';
import { csvCell } from '@stratus/shared/reporting/csv';
import { CHANNEL_KINDS, serviceLevelMs } from '@stratus/shared/tenant/model';
import { badRequest } from '../errors';
import type { Runtime } from '../runtime/runtime';
import { kpiSums, type KpiSums } from '../store/kpis';
import { readableServices } from './reporting';

export interface KpiQueryInput {
  from?: string;
  to?: string;
  groupBy?: string;
  service?: string;
  channel?: string;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The longest range one request may sum: a year and a day (a leap year's report). */
export const MAX_RANGE_DAYS = 366;
/** Hourly figures cover a month at most (744 rows). */
export const MAX_HOURLY_DAYS = 31;
/** Without `from`: the last seven days. */
export const DEFAULT_RANGE_DAYS = 7;

const time = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined || v === '') return undefined;
  // ISO 8601 only (a date, or a date and time): Date.parse would also take "1" or "March 3".
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v))
    throw badRequest('invalid_request', `${name}: an ISO 8601 time is required, e.g. 2026-12-01T00:00:00Z`);
  const t = Date.parse(v);
  // Date.parse rolls 30 February over into March: the calendar date must exist as written.
  const [y, m, d] = v.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (Number.isNaN(t) || m < 1 || m > 12 || new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d)
    throw badRequest('invalid_request', `${name}: "${v.slice(0, 40)}" is not a time`);
  return t;
};

/** The KPIs `viewer` may read for `input`, one row per group with sessions, in key order. */
export async function kpiReport(
  rt: Runtime,
  viewer: { tenantId: string; userId: string },
  input: KpiQueryInput,
): Promise<{ groupBy: KpiGroupBy; rows: KpiRow[] }> {
  const tenant = rt.tenants.tenant(viewer.tenantId);
  // Access first: a viewer without it is answered 403 whatever else the request says.
  const services = readableServices(tenant, viewer.userId, input.service);
  const groupBy = (input.groupBy || 'day') as KpiGroupBy;
  if (!KPI_GROUP_BYS.includes(groupBy)) throw badRequest('invalid_request', `groupBy: one of ${KPI_GROUP_BYS.join(', ')}`);
  if (input.channel && !(CHANNEL_KINDS as readonly string[]).includes(input.channel))
    throw badRequest('invalid_request', `channel: one of ${CHANNEL_KINDS.join(', ')}`);
  const now = rt.clock.now();
  const toMs = time('to', input.to) ?? now;
  const fromMs = time('from', input.from) ?? toMs - DEFAULT_RANGE_DAYS * DAY_MS;
  if (fromMs > toMs) throw badRequest('invalid_request', 'from: must not be after to');
  const days = (toMs - fromMs) / DAY_MS;
  if (days > MAX_RANGE_DAYS) throw badRequest('invalid_request', `The range is at most ${MAX_RANGE_DAYS} days; ask for a shorter one.`);
  if (groupBy === 'hour' && days > MAX_HOURLY_DAYS)
    throw badRequest('invalid_request', `Hourly figures cover ${MAX_HOURLY_DAYS} days at most; group by day for a longer range.`);
  const thresholdMs = new Map((tenant?.services ?? []).map((s) => [s.id, serviceLevelMs(s)]));
  const sums = await kpiSums(rt.store.db, groupBy, {
    tenantId: viewer.tenantId,
    fromMs,
    toMs,
    ...(services ? { services } : {}),
    ...(input.channel ? { channel: input.channel } : {}),
    thresholdMs,
    defaultMs: serviceLevelMs(undefined),
  });
  return { groupBy, rows: sums.map((x) => kpiRow(x, groupBy)) };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** The figures of one group from its sums (README, "Reporting figures"). */
export function kpiRow(x: KpiSums, groupBy: KpiGroupBy): KpiRow {
  const slBase = x.offered - x.abandonedWithinThreshold;
  return {
    key: bucketKey(x.key, groupBy),
    offered: x.offered,
    accepted: x.accepted,
    handled: x.handled,
    abandoned: x.abandoned,
    missed: x.missed,
    declined: x.declined,
    transferred: x.transferred,
    failed: x.failed,
    timedOut: x.timedOut,
    inactive: x.inactive,
    closedHours: x.closedHours,
    nobodyAvailable: x.nobodyAvailable,
    serviceLevelPct: slBase > 0 ? round1((100 * x.withinThreshold) / slBase) : null,
    avgWaitSec: x.waitCount > 0 ? round1(x.waitSumMs / x.waitCount / 1000) : null,
    avgHandleSec: x.handleCount > 0 ? round1(x.handleSumMs / x.handleCount / 1000) : null,
    maxWaitSec: x.maxWaitMs === null ? null : round1(x.maxWaitMs / 1000),
    csatCount: x.csatCount,
    csatAvg: x.csatCount > 0 ? Math.round((100 * x.csatSum) / x.csatCount) / 100 : null,
  };
}

/** Day and hour buckets as UTC keys (`2026-12-03`, `2026-12-03T14`); other keys as they are. */
function bucketKey(key: string, groupBy: KpiGroupBy): string {
  if (groupBy === 'day') return new Date(Number(key) * DAY_MS).toISOString().slice(0, 10);
  if (groupBy === 'hour') return new Date(Number(key) * HOUR_MS).toISOString().slice(0, 13);
  return key;
}

const CSV_COLUMNS: readonly (keyof KpiRow)[] = [
  'key',
  'offered',
  'accepted',
  'handled',
  'abandoned',
  'missed',
  'declined',
  'transferred',
  'failed',
  'timedOut',
  'inactive',
  'closedHours',
  'nobodyAvailable',
  'serviceLevelPct',
  'avgWaitSec',
  'avgHandleSec',
  'maxWaitSec',
  'csatCount',
  'csatAvg',
];

/** KPI rows as a CSV file (the first column named after the grouping). */
export function kpisCsv(rows: readonly KpiRow[], groupBy: string): { filename: string; text: string } {
  const head = [groupBy, ...CSV_COLUMNS.slice(1)].join(',');
  const lines = rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c] ?? undefined)).join(','));
  return { filename: `stratus-kpis-by-${groupBy}.csv`, text: [head, ...lines].join('\r\n') + '\r\n' };
}

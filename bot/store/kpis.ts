/**
 * KPIs in one aggregate query over reporting_sessions' typed columns (no JSON parsed): counts by
 * outcome, service level against each service's own threshold, waits, handling and ratings,
 * grouped by service, channel, agent, UTC day or UTC hour. Definitions: README, "Reporting figures".
 */
import { sql, type SQL } from 'drizzle-orm';
import type { KpiGroupBy } from '@stratus/shared/contract/supervisor';
import type { Q } from './db';

export interface KpiWhere {
  tenantId: string;
  /** Created between (ms), both ends included, as the sessions report. */
  fromMs: number;
  toMs: number;
  /** Only these services; undefined for every one of the tenant. */
  services?: readonly string[];
  channel?: string;
  /** Service-level threshold (ms) of each service; `defaultMs` for any other (direct chats). */
  thresholdMs: ReadonlyMap<string, number>;
  defaultMs: number;
}

/** The sums one group adds up to; the caller turns them into a row of figures. */
export interface KpiSums {
  /** Service, channel or agent (`""`: nobody accepted), or the bucket number (day or hour since the epoch). */
  key: string;
  sessions: number;
  offered: number;
  accepted: number;
  handled: number;
  abandoned: number;
  missed: number;
  declined: number;
  transferred: number;
  failed: number;
  timedOut: number;
  inactive: number;
  closedHours: number;
  nobodyAvailable: number;
  withinThreshold: number;
  abandonedWithinThreshold: number;
  waitCount: number;
  waitSumMs: number;
  maxWaitMs: number | null;
  handleCount: number;
  handleSumMs: number;
  csatCount: number;
  csatSum: number;
}

const KEY: Record<KpiGroupBy, SQL> = {
  service: sql`service_id`,
  channel: sql`channel`,
  agent: sql`coalesce(user_id, '')`,
  // Whole UTC days and hours since the epoch: integer division, no time zone arithmetic per row.
  day: sql`(created_at / 86400000)::text`,
  hour: sql`(created_at / 3600000)::text`,
};

const OUTCOME_COLUMNS = [
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
] as const;

/** The KPI sums of each group that has sessions in the range. */
export async function kpiSums(q: Q, groupBy: KpiGroupBy, w: KpiWhere): Promise<KpiSums[]> {
  const where: SQL[] = [sql`tenant_id = ${w.tenantId}`, sql`created_at >= ${w.fromMs}`, sql`created_at <= ${w.toMs}`];
  if (w.services) {
    if (w.services.length === 0) return [];
    where.push(
      sql`service_id in (${sql.join(
        w.services.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  }
  if (w.channel) where.push(sql`channel = ${w.channel}`);
  // Each service's threshold: a CASE over the tenant's services (tens, not thousands).
  const cases = [...w.thresholdMs].map(([id, ms]) => sql`when ${id} then ${ms}::bigint`);
  const threshold = cases.length
    ? sql`(case service_id ${sql.join(cases, sql` `)} else ${w.defaultMs}::bigint end)`
    : sql`${w.defaultMs}::bigint`;
  const outcomes = OUTCOME_COLUMNS.map((o) => sql`count(*) filter (where outcome = ${o})::int as ${sql.identifier(o)}`);
  const res = await q.execute(sql`
    select ${KEY[groupBy]} as key,
      count(*)::int as sessions,
      count(*) filter (where queued_at is not null)::int as offered,
      count(*) filter (where accepted_at is not null)::int as accepted,
      ${sql.join(outcomes, sql`, `)},
      count(*) filter (where accepted_at is not null and queued_at is not null and accepted_at - queued_at <= ${threshold})::int as within,
      count(*) filter (where outcome = 'abandoned' and queued_at is not null and coalesce(queue_ms, 0) <= ${threshold})::int as abandoned_within,
      count(queue_ms) filter (where queued_at is not null)::int as wait_count,
      coalesce(sum(queue_ms) filter (where queued_at is not null), 0)::float8 as wait_sum,
      max(queue_ms) filter (where queued_at is not null)::float8 as wait_max,
      count(handling_ms) filter (where accepted_at is not null)::int as handle_count,
      coalesce(sum(handling_ms) filter (where accepted_at is not null), 0)::float8 as handle_sum,
      count(csat_rating)::int as csat_count,
      coalesce(sum(csat_rating), 0)::int as csat_sum
    from reporting_sessions
    where ${sql.join(where, sql` and `)}
    group by 1
    order by 1`);
  type Raw = Record<string, string | number | null>;
  const n = (v: string | number | null | undefined) => Number(v ?? 0);
  return (res as unknown as { rows: Raw[] }).rows.map((r) => ({
    key: String(r.key),
    sessions: n(r.sessions),
    offered: n(r.offered),
    accepted: n(r.accepted),
    handled: n(r.handled),
    abandoned: n(r.abandoned),
    missed: n(r.missed),
    declined: n(r.declined),
    transferred: n(r.transferred),
    failed: n(r.failed),
    timedOut: n(r.timedOut),
    inactive: n(r.inactive),
    closedHours: n(r.closedHours),
    nobodyAvailable: n(r.nobodyAvailable),
    withinThreshold: n(r.within),
    abandonedWithinThreshold: n(r.abandoned_within),
    waitCount: n(r.wait_count),
    waitSumMs: n(r.wait_sum),
    maxWaitMs: r.wait_max === null || r.wait_max === undefined ? null : Number(r.wait_max),
    handleCount: n(r.handle_count),
    handleSumMs: n(r.handle_sum),
    csatCount: n(r.csat_count),
    csatSum: n(r.csat_sum),
  }));
}

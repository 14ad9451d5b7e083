/**
 * KPIs in one aggregate query over reporting_sessions' typed columns (no JSON parsed): counts by
 * outcome, service level against each service's own threshold, waits, handling and ratings,
 * grouped by service, channel, agent, UTC day or UTC hour. Definitions: README, "Reporting figures".
 *
 * Ended sessions are also summed per UTC day in reporting_daily as they end (`addToDaily`), so a
 * long range reads the whole days inside it from there and only its partial first and last days,
 * and sessions still open, from reporting_sessions. Hourly figures (31 days at most) read sessions.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { KpiGroupBy } from '@stratus/shared/contract/supervisor';
import type { ReportingSession } from '@stratus/shared/reporting/session';
import { OUTCOMES } from '@stratus/shared/task/types';
import type { Q, Tx } from './db';
import { reportingDaily } from './schema';

const DAY_MS = 86_400_000;

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

/** The conditions other than time (tenant, services, channel), the same on either table. */
function filters(w: KpiWhere): SQL[] {
  const where: SQL[] = [sql`tenant_id = ${w.tenantId}`];
  if (w.services)
    where.push(
      sql`service_id in (${sql.join(
        w.services.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (w.channel) where.push(sql`channel = ${w.channel}`);
  return where;
}

/**
 * The KPI sums of each group that has sessions in the range, in key order: whole UTC days from
 * reporting_daily, the rest from the sessions.
 */
export async function kpiSums(q: Q, groupBy: KpiGroupBy, w: KpiWhere): Promise<KpiSums[]> {
  if (w.services?.length === 0) return [];
  const firstDay = Math.ceil(w.fromMs / DAY_MS);
  const endDay = Math.floor((w.toMs + 1) / DAY_MS); // exclusive
  if (groupBy === 'hour' || endDay <= firstDay)
    return sortSums(await rawSums(q, groupBy, w, [sql`created_at >= ${w.fromMs} and created_at <= ${w.toMs}`]), groupBy);
  const daily = await dailySums(q, groupBy, w, firstDay, endDay);
  // The partial first and last days, and the sessions of the whole days that have not ended: three index range scans.
  const rest = await rawSums(q, groupBy, w, [
    sql`created_at >= ${w.fromMs} and created_at < ${firstDay * DAY_MS}`,
    sql`created_at >= ${endDay * DAY_MS} and created_at <= ${w.toMs}`,
    sql`outcome is null and created_at >= ${firstDay * DAY_MS} and created_at < ${endDay * DAY_MS}`,
  ]);
  return sortSums(mergeSums([...daily, ...rest]), groupBy);
}

/** The sums over the sessions created in any of `times` (disjoint ranges). */
async function rawSums(q: Q, groupBy: KpiGroupBy, w: KpiWhere, times: readonly SQL[]): Promise<KpiSums[]> {
  const where = sql.join(filters(w), sql` and `);
  const parts = times.map(
    (t) => sql`select service_id, channel, outcome, created_at, user_id, queued_at, accepted_at, queue_ms, handling_ms, csat_rating
      from reporting_sessions where ${where} and ${t}`,
  );
  // Each service's threshold: a CASE over the tenant's services (tens, not thousands).
  const cases = [...w.thresholdMs].map(([id, ms]) => sql`when ${id} then ${ms}::bigint`);
  const threshold = cases.length
    ? sql`(case service_id ${sql.join(cases, sql` `)} else ${w.defaultMs}::bigint end)`
    : sql`${w.defaultMs}::bigint`;
  const outcomes = OUTCOMES.map((o) => sql`count(*) filter (where outcome = ${o})::int as ${sql.identifier(o)}`);
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
    from (${sql.join(parts, sql` union all `)}) s
    group by 1`);
  return (res as unknown as { rows: Raw[] }).rows.map(fromRow);
}

const DAILY_KEY: Record<Exclude<KpiGroupBy, 'hour'>, SQL> = {
  service: sql`service_id`,
  channel: sql`channel`,
  agent: sql`user_id`,
  day: sql`day::text`,
};

async function dailySums(q: Q, groupBy: Exclude<KpiGroupBy, 'hour'>, w: KpiWhere, firstDay: number, endDay: number): Promise<KpiSums[]> {
  const res = await q.execute(sql`
    select ${DAILY_KEY[groupBy]} as key, sum(sessions)::int as sessions, sum(offered)::int as offered, sum(accepted)::int as accepted,
      sum(handled)::int as handled, sum(abandoned)::int as abandoned, sum(missed)::int as missed, sum(declined)::int as declined,
      sum(transferred)::int as transferred, sum(failed)::int as failed, sum(timed_out)::int as "timedOut", sum(inactive)::int as inactive,
      sum(closed_hours)::int as "closedHours", sum(nobody_available)::int as "nobodyAvailable", sum(within)::int as within,
      sum(abandoned_within)::int as abandoned_within, sum(wait_count)::int as wait_count, sum(wait_sum)::float8 as wait_sum,
      max(wait_max)::float8 as wait_max, sum(handle_count)::int as handle_count, sum(handle_sum)::float8 as handle_sum,
      sum(csat_count)::int as csat_count, sum(csat_sum)::int as csat_sum
    from reporting_daily
    where ${sql.join([...filters(w), sql`day >= ${firstDay} and day < ${endDay}`], sql` and `)}
    group by 1`);
  return (res as unknown as { rows: Raw[] }).rows.map(fromRow);
}

type Raw = Record<string, string | number | null>;
const n = (v: string | number | null | undefined) => Number(v ?? 0);

function fromRow(r: Raw): KpiSums {
  return {
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
  };
}

const ADDED = [
  'sessions',
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
  'withinThreshold',
  'abandonedWithinThreshold',
  'waitCount',
  'waitSumMs',
  'handleCount',
  'handleSumMs',
  'csatCount',
  'csatSum',
] as const satisfies readonly (keyof KpiSums)[];

/** Groups with the same key added together (the daily part and the rest of a range). */
function mergeSums(parts: readonly KpiSums[]): KpiSums[] {
  const by = new Map<string, KpiSums>();
  for (const x of parts) {
    const m = by.get(x.key);
    if (!m) {
      by.set(x.key, { ...x });
      continue;
    }
    for (const k of ADDED) m[k] += x[k];
    if (x.maxWaitMs !== null) m.maxWaitMs = Math.max(m.maxWaitMs ?? 0, x.maxWaitMs);
  }
  return [...by.values()];
}

/** Days and hours in time order; names in code point order. */
function sortSums(rows: KpiSums[], groupBy: KpiGroupBy): KpiSums[] {
  return groupBy === 'day' || groupBy === 'hour'
    ? rows.sort((a, b) => Number(a.key) - Number(b.key))
    : rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** What one ended session adds to its day's sums (nothing while it is open). */
type Contribution = Omit<KpiSums, 'key'> & { day: number; userId: string };

/** The same definitions as the SQL of `rawSums`, for one session. */
export function contribution(s: ReportingSession | undefined, thresholdMs: number): Contribution | undefined {
  if (!s?.outcome) return undefined;
  const queued = s.queuedAt !== undefined;
  const accepted = s.acceptedAt !== undefined;
  const c: Contribution = {
    day: Math.floor(s.createdAt / DAY_MS),
    userId: s.userId ?? '',
    sessions: 1,
    offered: queued ? 1 : 0,
    accepted: accepted ? 1 : 0,
    handled: 0,
    abandoned: 0,
    missed: 0,
    declined: 0,
    transferred: 0,
    failed: 0,
    timedOut: 0,
    inactive: 0,
    closedHours: 0,
    nobodyAvailable: 0,
    withinThreshold: accepted && queued && s.acceptedAt! - s.queuedAt! <= thresholdMs ? 1 : 0,
    abandonedWithinThreshold: s.outcome === 'abandoned' && queued && (s.queueMs ?? 0) <= thresholdMs ? 1 : 0,
    waitCount: queued && s.queueMs !== undefined ? 1 : 0,
    waitSumMs: queued ? (s.queueMs ?? 0) : 0,
    maxWaitMs: queued && s.queueMs !== undefined ? s.queueMs : null,
    handleCount: accepted && s.handlingMs !== undefined ? 1 : 0,
    handleSumMs: accepted ? (s.handlingMs ?? 0) : 0,
    csatCount: s.csat ? 1 : 0,
    csatSum: s.csat?.rating ?? 0,
  };
  c[s.outcome] = 1;
  return c;
}

/**
 * Keeps reporting_daily in step with one session's save: takes away what `before` added and adds
 * what `after` adds (a session adds its figures when it ends, its rating when rated; any other
 * save changes nothing and writes nothing). In the session's transaction.
 */
export async function addToDaily(
  tx: Tx,
  at: { tenantId: string; serviceId: string; channel: string },
  before: ReportingSession | undefined,
  after: ReportingSession,
  thresholdMs: number,
): Promise<void> {
  const a = contribution(before, thresholdMs);
  const b = contribution(after, thresholdMs);
  if (a && b && a.day === b.day && a.userId === b.userId) {
    const d = { ...b };
    for (const k of ADDED) d[k] = b[k] - a[k];
    if (ADDED.every((k) => d[k] === 0) && (b.maxWaitMs ?? -1) <= (a.maxWaitMs ?? -1)) return;
    return upsertDaily(tx, at, d);
  }
  if (a) {
    const neg = { ...a, maxWaitMs: null };
    for (const k of ADDED) neg[k] = -a[k];
    await upsertDaily(tx, at, neg);
  }
  if (b) await upsertDaily(tx, at, b);
}

async function upsertDaily(tx: Tx, at: { tenantId: string; serviceId: string; channel: string }, c: Contribution): Promise<void> {
  const t = reportingDaily;
  const add = (col: (typeof t)[keyof typeof t & string]) => sql`${col} + excluded.${sql.identifier((col as { name: string }).name)}`;
  await tx
    .insert(t)
    .values({
      tenantId: at.tenantId,
      day: c.day,
      serviceId: at.serviceId,
      channel: at.channel,
      userId: c.userId,
      sessions: c.sessions,
      offered: c.offered,
      accepted: c.accepted,
      handled: c.handled,
      abandoned: c.abandoned,
      missed: c.missed,
      declined: c.declined,
      transferred: c.transferred,
      failed: c.failed,
      timedOut: c.timedOut,
      inactive: c.inactive,
      closedHours: c.closedHours,
      nobodyAvailable: c.nobodyAvailable,
      within: c.withinThreshold,
      abandonedWithin: c.abandonedWithinThreshold,
      waitCount: c.waitCount,
      waitSum: c.waitSumMs,
      waitMax: c.maxWaitMs,
      handleCount: c.handleCount,
      handleSum: c.handleSumMs,
      csatCount: c.csatCount,
      csatSum: c.csatSum,
    })
    .onConflictDoUpdate({
      target: [t.tenantId, t.day, t.serviceId, t.channel, t.userId],
      set: {
        sessions: add(t.sessions),
        offered: add(t.offered),
        accepted: add(t.accepted),
        handled: add(t.handled),
        abandoned: add(t.abandoned),
        missed: add(t.missed),
        declined: add(t.declined),
        transferred: add(t.transferred),
        failed: add(t.failed),
        timedOut: add(t.timedOut),
        inactive: add(t.inactive),
        closedHours: add(t.closedHours),
        nobodyAvailable: add(t.nobodyAvailable),
        within: add(t.within),
        abandonedWithin: add(t.abandonedWithin),
        waitCount: add(t.waitCount),
        waitSum: add(t.waitSum),
        waitMax: sql`greatest(${t.waitMax}, excluded.wait_max)`,
        handleCount: add(t.handleCount),
        handleSum: add(t.handleSum),
        csatCount: add(t.csatCount),
        csatSum: add(t.csatSum),
      },
    });
}

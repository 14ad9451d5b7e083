/**
 * The Reports view's arithmetic, kept pure: the time range a filter means, the buckets of a time
 * series (days or hours with no chat are shown as zero, not left out), totals over KPI rows, and
 * the outcomes as chart series.
 */
import type { KpiRow } from '@stratus/shared/contract/supervisor';
import type { Outcome } from '@stratus/shared/task/types';
import type { PageQuery, TimeGroup } from './url';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const pad = (n: number) => String(n).padStart(2, '0');
/** A local date as `YYYY-MM-DD`. */
export const localDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const localMidnight = (ymd: string) => {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
};

/** The ISO times a report's range filter stands for, and how to say it. */
export function rangeOf(q: Pick<PageQuery, 'range' | 'from' | 'to'>, now: Date): { from: string; to: string; label: string } {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const back = (days: number) => new Date(today.getFullYear(), today.getMonth(), today.getDate() - days);
  switch (q.range) {
    case 'today':
      return { from: today.toISOString(), to: now.toISOString(), label: 'Today' };
    case '30d':
      return { from: back(29).toISOString(), to: now.toISOString(), label: 'Last 30 days' };
    case 'custom': {
      const from = localMidnight(q.from ?? localDate(today));
      const end = localMidnight(q.to ?? localDate(today));
      const to = new Date(end.getFullYear(), end.getMonth(), end.getDate() + 1, 0, 0, 0, -1);
      return { from: from.toISOString(), to: to.toISOString(), label: `${q.from} to ${q.to}` };
    }
    case '7d':
    default:
      return { from: back(6).toISOString(), to: now.toISOString(), label: 'Last 7 days' };
  }
}

/** Bucket keys as the KPI route writes them (UTC): `YYYY-MM-DD` or `YYYY-MM-DDTHH`. */
export function bucketKey(t: number, by: TimeGroup): string {
  const iso = new Date(t).toISOString();
  return by === 'day' ? iso.slice(0, 10) : iso.slice(0, 13);
}

/** The start of a bucket, from its key. */
export function bucketStart(key: string): Date {
  return new Date(key.length === 10 ? `${key}T00:00:00Z` : `${key}:00:00Z`);
}

/** Every bucket of the range, in order; the rows' figures where there are some, zeros elsewhere (at most 2 000 buckets). */
export function fillBuckets(rows: readonly KpiRow[], from: string, to: string, by: TimeGroup): KpiRow[] {
  const step = by === 'day' ? DAY_MS : HOUR_MS;
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const first = bucketStart(bucketKey(Date.parse(from), by)).getTime();
  const last = Date.parse(to);
  const out: KpiRow[] = [];
  for (let t = first; t <= last && out.length < 2000; t += step) {
    const key = bucketKey(t, by);
    out.push(byKey.get(key) ?? emptyRow(key));
  }
  // Rows outside the computed buckets (clock skew) are kept rather than dropped.
  for (const r of rows) if (!out.some((o) => o.key === r.key)) out.push(r);
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

export function emptyRow(key: string): KpiRow {
  return {
    key,
    offered: 0,
    accepted: 0,
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
    serviceLevelPct: null,
    avgWaitSec: null,
    avgHandleSec: null,
    maxWaitSec: null,
    csatCount: 0,
    csatAvg: null,
  };
}

/** An outcome in words, the same in Reports and History. */
export const OUTCOME_LABEL = {
  handled: 'Handled',
  transferred: 'Transferred',
  abandoned: 'Abandoned',
  missed: 'Missed',
  declined: 'Declined',
  nobodyAvailable: 'Nobody available',
  closedHours: 'Closed hours',
  timedOut: 'Timed out',
  inactive: 'Inactive',
  failed: 'Failed',
} as const satisfies Record<Outcome, string>;

/** The outcome counts of a KPI row, in the order the charts stack them. */
export const OUTCOMES = [
  { key: 'handled', label: OUTCOME_LABEL.handled },
  { key: 'transferred', label: OUTCOME_LABEL.transferred },
  { key: 'abandoned', label: OUTCOME_LABEL.abandoned },
  { key: 'missed', label: OUTCOME_LABEL.missed },
  { key: 'declined', label: OUTCOME_LABEL.declined },
  { key: 'nobodyAvailable', label: OUTCOME_LABEL.nobodyAvailable },
  { key: 'closedHours', label: OUTCOME_LABEL.closedHours },
  { key: 'timedOut', label: OUTCOME_LABEL.timedOut },
  { key: 'inactive', label: OUTCOME_LABEL.inactive },
  { key: 'failed', label: OUTCOME_LABEL.failed },
] as const satisfies readonly { key: keyof KpiRow & Outcome; label: string }[];

export type OutcomeKey = (typeof OUTCOMES)[number]['key'];

/** Outcomes that occur in `rows` at all (a legend of ten mostly empty entries reads badly). */
export function outcomesPresent(rows: readonly KpiRow[]): (typeof OUTCOMES)[number][] {
  return OUTCOMES.filter((o) => rows.some((r) => r[o.key] > 0));
}

/**
 * Totals over rows that partition the same chats (e.g. by service). Counts add up; the longest
 * wait is the largest; averages are weighted by what they average over (waits and service level
 * by chats offered, handling time by chats accepted, satisfaction by ratings), so for more than
 * one row they are close to, not exactly, what the server would compute over all chats at once.
 */
export function totals(rows: readonly KpiRow[]): KpiRow {
  const t = emptyRow('total');
  const weighted = (v: (r: KpiRow) => number | null, w: (r: KpiRow) => number) => {
    let sum = 0;
    let weight = 0;
    for (const r of rows) {
      const x = v(r);
      if (x === null || w(r) === 0) continue;
      sum += x * w(r);
      weight += w(r);
    }
    return weight === 0 ? null : sum / weight;
  };
  for (const r of rows) {
    t.offered += r.offered;
    t.accepted += r.accepted;
    t.csatCount += r.csatCount;
    for (const o of OUTCOMES) t[o.key] += r[o.key];
    if (r.maxWaitSec !== null) t.maxWaitSec = Math.max(t.maxWaitSec ?? 0, r.maxWaitSec);
  }
  t.serviceLevelPct = weighted(
    (r) => r.serviceLevelPct,
    (r) => r.offered,
  );
  t.avgWaitSec = weighted(
    (r) => r.avgWaitSec,
    (r) => r.offered,
  );
  t.avgHandleSec = weighted(
    (r) => r.avgHandleSec,
    (r) => r.accepted,
  );
  t.csatAvg = weighted(
    (r) => r.csatAvg,
    (r) => r.csatCount,
  );
  return t;
}

/** A duration in words short enough for a table cell: `45 s`, `3 min 05 s`, `2 h 10 min`. */
export function duration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec)) return '–';
  const s = Math.max(0, Math.round(sec));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
}

export const percent = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${Math.round(v)} %`);

/** A bucket's label in the viewer's time zone: a date for days, date and hour for hours. */
export function bucketLabel(key: string, by: TimeGroup): string {
  const d = bucketStart(key);
  return by === 'day'
    ? d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' })
    : d.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/**
 * What a report chart shows, independent of the chart library: the Reports view builds these
 * from KPI rows, ReportCharts.tsx draws them (loaded only when a chart is on screen), and the
 * same spec is the chart's table for screen readers and for anyone who prefers figures.
 */
import type { KpiRow } from '@stratus/shared/contract/supervisor';
import { bucketLabel, bucketStart, duration, OUTCOMES, outcomesPresent, percent } from './reports';
import type { TimeGroup } from './url';

export type ValueFormat = 'count' | 'percent' | 'seconds';

export interface ChartSeries {
  /** Stable key (an outcome's, or a figure's): the chart picks its colour by it. */
  key: string;
  label: string;
  values: (number | null)[];
}

export interface ChartSpec {
  kind: 'stacked' | 'line';
  title: string;
  /** One label per point along the x axis, and for lines the time it stands for. */
  labels: string[];
  times?: Date[];
  /** What one point of a line stands for (axis labels: dates in UTC for days, local hours for hours). */
  unit?: TimeGroup;
  series: ChartSeries[];
  format: ValueFormat;
}

export type ChartComponentProps = { spec: ChartSpec; height: number };

export function formatValue(v: number | null, f: ValueFormat): string {
  if (v === null) return '–';
  return f === 'percent' ? percent(v) : f === 'seconds' ? duration(v) : String(v);
}

/** Outcome counts stacked per bucket of time, per channel or per service. */
export function outcomesChart(title: string, rows: readonly KpiRow[], label: (key: string) => string): ChartSpec {
  const present = outcomesPresent(rows);
  return {
    kind: 'stacked',
    title,
    labels: rows.map((r) => label(r.key)),
    series: (present.length ? present : OUTCOMES.slice(0, 1)).map((o) => ({
      key: o.key,
      label: o.label,
      values: rows.map((r) => r[o.key]),
    })),
    format: 'count',
  };
}

export function overTime(title: string, rows: readonly KpiRow[], by: TimeGroup, series: ChartSeries[], format: ValueFormat): ChartSpec {
  return {
    kind: 'line',
    title,
    labels: rows.map((r) => bucketLabel(r.key, by)),
    times: rows.map((r) => bucketStart(r.key)),
    unit: by,
    series,
    format,
  };
}

/** A value on an axis: short (`90 s`, `4 min`, `80 %`), since axis labels have little room. */
export function axisValue(v: number, f: ValueFormat): string {
  if (f === 'percent') return `${Math.round(v)} %`;
  if (f === 'seconds') return v < 120 ? `${Math.round(v)} s` : `${Math.round(v / 60)} min`;
  return String(v);
}

/** A sentence that says what a chart shows, for its accessible name. */
export function describe(spec: ChartSpec): string {
  const parts = spec.series.map((s) => {
    const known = s.values.filter((v): v is number => v !== null);
    if (known.length === 0) return `${s.label}: no data`;
    if (spec.kind === 'stacked') return `${s.label}: ${known.reduce((a, b) => a + b, 0)} in all`;
    return `${s.label}: from ${formatValue(Math.min(...known), spec.format)} to ${formatValue(Math.max(...known), spec.format)}`;
  });
  return `${spec.title}, ${spec.labels.length} ${spec.kind === 'stacked' ? 'bars' : 'points'}. ${parts.join('; ')}.`;
}

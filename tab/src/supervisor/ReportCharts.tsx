/**
 * Draws a ChartSpec with Fluent UI's charts (@fluentui/react-charts). Loaded lazily by the
 * Reports view: neither My Sessions nor the Live view downloads the chart library.
 */
import {
  DataVizPalette,
  getColorFromToken,
  LineChart,
  VerticalStackedBarChart,
  type LineChartPoints,
  type VerticalStackedChartProps,
} from '@fluentui/react-charts';
import { axisValue, formatValue, type ChartComponentProps } from './chartSpec';

/** Outcomes keep their colour in every chart: good green, lost red, the rest calm. */
const TOKEN: Record<string, string> = {
  handled: DataVizPalette.success,
  transferred: DataVizPalette.color1,
  abandoned: DataVizPalette.warning,
  missed: DataVizPalette.error,
  declined: DataVizPalette.color5,
  nobodyAvailable: DataVizPalette.color7,
  closedHours: DataVizPalette.color9,
  timedOut: DataVizPalette.color3,
  inactive: DataVizPalette.color10,
  failed: DataVizPalette.highError,
  serviceLevel: DataVizPalette.color1,
  offered: DataVizPalette.color2,
  avgWait: DataVizPalette.color1,
  maxWait: DataVizPalette.color4,
};
// The palette's entries are tokens; the stacked bars draw them only once resolved to colours.
const colorOf = (key: string, i: number) =>
  getColorFromToken(TOKEN[key] ?? [DataVizPalette.color1, DataVizPalette.color2, DataVizPalette.color3][i % 3]!);

export default function ReportChart({ spec, height }: ChartComponentProps) {
  if (spec.kind === 'stacked') {
    const data: VerticalStackedChartProps[] = spec.labels.map((label, i) => ({
      xAxisPoint: label,
      chartData: spec.series.map((s, j) => ({
        legend: s.label,
        data: s.values[i] ?? 0,
        color: colorOf(s.key, j),
        yAxisCalloutData: formatValue(s.values[i] ?? 0, spec.format),
      })),
    }));
    return <VerticalStackedBarChart chartTitle={spec.title} data={data} height={height} hideLabels barWidth="auto" maxBarWidth={40} />;
  }
  const times = spec.times ?? [];
  const lines: LineChartPoints[] = spec.series.map((s, j) => ({
    legend: s.label,
    color: colorOf(s.key, j),
    data: times.flatMap((x, i) =>
      s.values[i] === null || s.values[i] === undefined
        ? []
        : [{ x, y: s.values[i]!, yAxisCalloutData: formatValue(s.values[i]!, spec.format) }],
    ),
  }));
  // Day buckets are UTC days (the KPI route's keys): labelled as such, not as local midnights.
  const dateLabel = (d: Date) =>
    spec.unit === 'day'
      ? d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' })
      : d.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit' });
  return (
    <LineChart
      data={{ chartTitle: spec.title, lineChartData: lines }}
      height={height}
      {...(spec.format === 'percent' ? { yMinValue: 0, yMaxValue: 100 } : {})}
      {...(times.length <= 10 ? { tickValues: times } : {})}
      customDateTimeFormatter={dateLabel}
      hideTickOverlap
      yAxisTickFormat={(v: number) => axisValue(v, spec.format)}
    />
  );
}

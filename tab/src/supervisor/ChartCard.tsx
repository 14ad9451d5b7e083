/**
 * A report chart in a card, with its figures one click away as a table. The chart's accessible
 * name says what it shows; the table is the same data for screen readers and for exact reading.
 * Should the chart code fail to load, the table is shown instead.
 */
import { Component, Suspense, useState, type ReactNode } from 'react';
import {
  Card,
  CardHeader,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  ToggleButton,
} from '@fluentui/react-components';
import { describe, formatValue, type ChartComponentProps, type ChartSpec } from './chartSpec';
import { useSupervisorStyles } from './styles';

export type ChartComponent = React.ComponentType<ChartComponentProps>;

class ChartBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

export function ChartTable({ spec, id }: { spec: ChartSpec; id: string }) {
  const s = useSupervisorStyles();
  return (
    <div className={s.scroll}>
      <Table size="extra-small" aria-labelledby={id}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell />
            {spec.series.map((x) => (
              <TableHeaderCell key={x.key}>{x.label}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {spec.labels.map((label, i) => (
            <TableRow key={`${label}-${i}`}>
              <TableCell>{label}</TableCell>
              {spec.series.map((x) => (
                <TableCell key={x.key} className={s.numeric}>
                  {formatValue(x.values[i] ?? null, spec.format)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

export function ChartCard({ id, spec, Chart, height = 260 }: { id: string; spec: ChartSpec; Chart: ChartComponent; height?: number }) {
  const s = useSupervisorStyles();
  const [asTable, setAsTable] = useState(false);
  const titleId = `${id}-title`;
  return (
    <Card className={s.card} aria-labelledby={titleId}>
      <CardHeader
        header={
          <h3 id={titleId} className={s.cardTitle}>
            {spec.title}
          </h3>
        }
        action={
          <ToggleButton size="small" checked={asTable} onClick={() => setAsTable((v) => !v)}>
            Show as table
          </ToggleButton>
        }
      />
      {asTable ? (
        <ChartTable spec={spec} id={titleId} />
      ) : (
        <div className={s.chartBox} role="figure" aria-label={describe(spec)}>
          <ChartBoundary fallback={<ChartTable spec={spec} id={titleId} />}>
            <Suspense fallback={<Spinner size="small" label="Drawing the chart" />}>
              <Chart spec={spec} height={height} />
            </Suspense>
          </ChartBoundary>
        </div>
      )}
    </Card>
  );
}

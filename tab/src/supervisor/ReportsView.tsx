/**
 * Reports: the KPIs of a period (GET /api/reporting/kpis) at a glance. Figures on top, then
 * volume and outcomes, service level and waits over time, outcomes by channel and by service,
 * and a table per agent. Filters live in the address; CSV export gives the rows of what is shown.
 */
import { lazy, useEffect, useMemo, useState } from 'react';
import {
  Button,
  Card,
  CardHeader,
  Field,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import type { KpiGroupBy, KpiRow, SupervisorServices } from '@stratus/shared/contract/supervisor';
import { CHANNEL_LABEL } from '../state';
import type { KpiQuery, SupervisorApi } from './api';
import { ChartCard, type ChartComponent } from './ChartCard';
import { outcomesChart, overTime } from './chartSpec';
import { ChannelField, PeriodFields } from './filters';
import { bucketLabel, duration, fillBuckets, localDate, percent, rangeOf, totals } from './reports';
import { useSupervisorStyles } from './styles';
import type { PageQuery, TimeGroup } from './url';

export type { ChartComponent };
const LazyChart = lazy(() => import('./ReportCharts'));

interface Data {
  time: KpiRow[];
  channel: KpiRow[];
  service: KpiRow[];
  agent: KpiRow[];
  names: Map<string, string>;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ReportsView(props: {
  api: SupervisorApi;
  services: SupervisorServices['services'];
  service: string | undefined;
  query: PageQuery;
  onQuery: (patch: Partial<PageQuery>) => void;
  Chart?: ChartComponent;
}) {
  const s = useSupervisorStyles();
  const { api, query: q, service, services } = props;
  const Chart = props.Chart ?? LazyChart;
  // The range is worked out when its filter changes (not on every render: "now" would move the request on).
  const range = useMemo(() => rangeOf({ range: q.range, from: q.from, to: q.to }, new Date()), [q.range, q.from, q.to]);
  const [data, setData] = useState<Data>();
  const [error, setError] = useState<string>();
  const [exportError, setExportError] = useState<string>();
  const [attempt, setAttempt] = useState(0);
  const base = useMemo(
    () => ({ from: range.from, to: range.to, ...(service ? { service } : {}), ...(q.channel ? { channel: q.channel } : {}) }),
    [range, service, q.channel],
  );

  useEffect(() => {
    let live = true;
    setData(undefined);
    setError(undefined);
    const rows = (groupBy: KpiGroupBy) => api.kpis({ ...base, groupBy });
    Promise.all([
      rows(q.by),
      rows('channel'),
      rows('service'),
      rows('agent'),
      // Agent names: the board has them; a report without them still reads (ids instead).
      api.agents(service).catch(() => []),
    ]).then(
      ([time, channel, service_, agent, agents]) =>
        live &&
        setData({
          time: fillBuckets(time, base.from, base.to, q.by),
          channel,
          service: service_,
          agent: [...agent].sort((a, b) => b.offered - a.offered),
          names: new Map(agents.map((a) => [a.userId, a.displayName])),
        }),
      (e: unknown) => live && setError(e instanceof Error ? e.message : 'The report could not be loaded.'),
    );
    return () => {
      live = false;
    };
  }, [api, base, q.by, service, attempt]);

  const exportCsv = (groupBy: KpiGroupBy) => {
    setExportError(undefined);
    const kq: KpiQuery = { ...base, groupBy };
    api.kpisCsv(kq).then(
      (text) => download(`stratus-kpis-by-${groupBy}-${localDate(new Date(base.from))}-${localDate(new Date(base.to))}.csv`, text),
      (e: unknown) => setExportError(e instanceof Error ? e.message : 'The export failed.'),
    );
  };

  const serviceName = (id: string) => services.find((x) => x.id === id)?.name ?? id;
  const agentName = (id: string) => (id === '' ? 'No agent (not accepted)' : (data?.names.get(id) ?? id));
  const all = data ? totals(data.service) : undefined;

  return (
    <main className={s.main}>
      <section className={s.toolbar} aria-label="Report filters">
        <PeriodFields query={q} onQuery={props.onQuery} />
        <Field label="Over time by">
          <Select value={q.by} onChange={(_e, d) => props.onQuery({ by: d.value as TimeGroup })}>
            <option value="day">Day</option>
            <option value="hour">Hour</option>
          </Select>
        </Field>
        <ChannelField query={q} onQuery={props.onQuery} />
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button>Export CSV</Button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem onClick={() => exportCsv(q.by)}>{q.by === 'day' ? 'By day' : 'By hour'}</MenuItem>
              <MenuItem onClick={() => exportCsv('channel')}>By channel</MenuItem>
              <MenuItem onClick={() => exportCsv('service')}>By service</MenuItem>
              <MenuItem onClick={() => exportCsv('agent')}>By agent</MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
        <Text className={s.muted}>{range.label}</Text>
      </section>
      {exportError && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{`The CSV export failed: ${exportError}`}</MessageBarBody>
        </MessageBar>
      )}
      {error ? (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{`The report could not be loaded: ${error}`}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => setAttempt((n) => n + 1)}>Try again</Button>
          </MessageBarActions>
        </MessageBar>
      ) : !data || !all ? (
        <Spinner label="Loading the report" />
      ) : all.offered === 0 ? (
        <Text role="status">{`No chats in this period (${range.label.toLowerCase()}) for these filters.`}</Text>
      ) : (
        <>
          <section className={s.tiles} aria-label="Totals">
            <Figure label="Chats" value={String(all.offered)} note={`${all.accepted} accepted`} />
            <Figure label="Handled" value={String(all.handled)} />
            <Figure label="Service level" value={percent(all.serviceLevelPct)} />
            <Figure label="Average wait" value={duration(all.avgWaitSec)} note={`longest ${duration(all.maxWaitSec)}`} />
            <Figure label="Average handling" value={duration(all.avgHandleSec)} />
            <Figure label="Abandoned" value={String(all.abandoned)} />
            <Figure
              label="Satisfaction"
              value={all.csatAvg === null ? '–' : `${all.csatAvg.toFixed(1)} / 5`}
              note={`${all.csatCount} rating${all.csatCount === 1 ? '' : 's'}`}
            />
          </section>
          <div className={s.charts}>
            <ChartCard
              id="volume"
              Chart={Chart}
              spec={outcomesChart('Chats and outcomes over time', data.time, (k) => bucketLabel(k, q.by))}
            />
            <ChartCard
              id="sl"
              Chart={Chart}
              spec={overTime(
                'Service level over time',
                data.time,
                q.by,
                [{ key: 'serviceLevel', label: 'Service level', values: data.time.map((r) => r.serviceLevelPct) }],
                'percent',
              )}
            />
            <ChartCard
              id="waits"
              Chart={Chart}
              spec={overTime(
                'Waits over time',
                data.time,
                q.by,
                [
                  { key: 'avgWait', label: 'Average wait', values: data.time.map((r) => r.avgWaitSec) },
                  { key: 'maxWait', label: 'Longest wait', values: data.time.map((r) => r.maxWaitSec) },
                ],
                'seconds',
              )}
            />
            <ChartCard
              id="by-channel"
              Chart={Chart}
              spec={outcomesChart('Outcomes by channel', data.channel, (k) => CHANNEL_LABEL[k] ?? k)}
            />
            <ChartCard id="by-service" Chart={Chart} spec={outcomesChart('Outcomes by service', data.service, serviceName)} />
          </div>
          <AgentTable rows={data.agent} name={agentName} />
        </>
      )}
    </main>
  );
}

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  const s = useSupervisorStyles();
  return (
    <div className={s.tile}>
      <Text size={200} className={s.muted}>
        {label}
      </Text>
      <Text className={s.tileValue}>{value}</Text>
      {note && <Text className={s.tileNote}>{note}</Text>}
    </div>
  );
}

const AGENT_COLUMNS: { label: string; value: (r: KpiRow) => string }[] = [
  { label: 'Chats', value: (r) => String(r.offered) },
  { label: 'Accepted', value: (r) => String(r.accepted) },
  { label: 'Handled', value: (r) => String(r.handled) },
  { label: 'Transferred', value: (r) => String(r.transferred) },
  { label: 'Missed', value: (r) => String(r.missed) },
  { label: 'Declined', value: (r) => String(r.declined) },
  { label: 'Service level', value: (r) => percent(r.serviceLevelPct) },
  { label: 'Average wait', value: (r) => duration(r.avgWaitSec) },
  { label: 'Average handling', value: (r) => duration(r.avgHandleSec) },
  { label: 'Satisfaction', value: (r) => (r.csatAvg === null ? '–' : `${r.csatAvg.toFixed(1)} (${r.csatCount})`) },
];

function AgentTable({ rows, name }: { rows: KpiRow[]; name: (id: string) => string }) {
  const s = useSupervisorStyles();
  return (
    <Card className={s.card} aria-labelledby="agents-report-h">
      <CardHeader
        header={
          <h3 id="agents-report-h" className={s.cardTitle}>
            By agent
          </h3>
        }
      />
      {rows.length === 0 ? (
        <Text className={s.muted}>No agent had a chat in this period.</Text>
      ) : (
        <div className={s.scroll}>
          <Table size="small" aria-labelledby="agents-report-h">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Agent</TableHeaderCell>
                {AGENT_COLUMNS.map((c) => (
                  <TableHeaderCell key={c.label}>{c.label}</TableHeaderCell>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((r) => (
                <TableRow key={r.key}>
                  <TableCell>{name(r.key)}</TableCell>
                  {AGENT_COLUMNS.map((c) => (
                    <TableCell key={c.label} className={s.numeric}>
                      {c.value(r)}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </Card>
  );
}

/**
 * History: the chats of a period (GET /api/reporting/sessions), newest first, 200 at a time with
 * older ones on demand; choosing one opens its transcript beside the table, read-only. Filters and
 * the chosen chat live in the address, so a link shows the same transcript.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  Badge,
  Button,
  Card,
  CardHeader,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  RatingDisplay,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  mergeClasses,
  useArrowNavigationGroup,
} from '@fluentui/react-components';
import type { SupervisorServices } from '@stratus/shared/contract/supervisor';
import type { ReportingSession } from '@stratus/shared/reporting/session';
import { OUTCOMES, type Outcome } from '@stratus/shared/task/types';
import { CHANNEL_LABEL } from '../state';
import type { SessionsQuery, SupervisorApi } from './api';
import { ChannelField, PeriodFields } from './filters';
import { HISTORY_PAGE, NONE, outcomeLabel, ratingSaid, span, startedLabel, withOlder } from './history';
import { OUTCOME_LABEL, rangeOf } from './reports';
import { useSupervisorStyles } from './styles';
import { TranscriptPane } from './TranscriptPane';
import type { PageQuery } from './url';

interface List {
  sessions: ReportingSession[];
  /** Older sessions may exist (the last page was full). */
  more: boolean;
  names: Map<string, string>;
}

export function HistoryView(props: {
  api: SupervisorApi;
  services: SupervisorServices['services'];
  service: string | undefined;
  query: PageQuery;
  onQuery: (patch: Partial<PageQuery>) => void;
}) {
  const s = useSupervisorStyles();
  const { api, query: q, service, services } = props;
  const [attempt, setAttempt] = useState(0);
  const [list, setList] = useState<List>();
  const [error, setError] = useState<string>();
  const [older, setOlder] = useState<'idle' | 'loading' | string>('idle');
  // A preset period runs up to the moment of asking (no upper bound), so Refresh shows chats that ended since.
  const range = useMemo(() => rangeOf({ range: q.range, from: q.from, to: q.to }, new Date()), [q.range, q.from, q.to]);
  const filter = useMemo<Omit<SessionsQuery, 'limit'>>(
    () => ({
      from: range.from,
      ...(q.range === 'custom' ? { to: range.to } : {}),
      ...(service ? { service } : {}),
      ...(q.channel ? { channel: q.channel } : {}),
      ...(q.outcome ? { outcome: q.outcome } : {}),
    }),
    [range, q.range, service, q.channel, q.outcome],
  );
  // An answer for filters no longer shown is dropped (a page of older chats may arrive late).
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    setList(undefined);
    setError(undefined);
    setOlder('idle');
    Promise.all([
      api.sessionsReport({ ...filter, limit: HISTORY_PAGE }),
      // Agent names: the agents board has them; without it the table still reads (ids instead).
      api.agents(service).catch(() => []),
    ]).then(
      ([sessions, agents]) =>
        mine === generation.current &&
        setList({ sessions, more: sessions.length >= HISTORY_PAGE, names: new Map(agents.map((a) => [a.userId, a.displayName])) }),
      (e: unknown) => mine === generation.current && setError(e instanceof Error ? e.message : 'The chats could not be loaded.'),
    );
  }, [api, filter, service, attempt]);

  const loadOlder = () => {
    const oldest = list?.sessions.at(-1);
    if (!list || !oldest) return;
    const mine = generation.current;
    setOlder('loading');
    // Up to the oldest shown, inclusive: chats that started in the same millisecond are not skipped.
    api.sessionsReport({ ...filter, to: new Date(oldest.createdAt).toISOString(), limit: HISTORY_PAGE }).then(
      (page) => {
        if (mine !== generation.current) return;
        setList((l) => (l ? { ...l, ...withOlder(l.sessions, page) } : l));
        setOlder('idle');
      },
      (e: unknown) => mine === generation.current && setOlder(e instanceof Error ? e.message : 'The older chats could not be loaded.'),
    );
  };

  const serviceName = (id: string) => services.find((x) => x.id === id)?.name ?? id;
  const agentName = (id: string | undefined) => (id ? (list?.names.get(id) ?? id) : NONE);
  const selected = q.session ? list?.sessions.find((x) => x.taskId === q.session) : undefined;

  return (
    <main className={s.main}>
      <section className={s.toolbar} aria-label="History filters">
        <PeriodFields query={q} onQuery={props.onQuery} />
        <ChannelField query={q} onQuery={props.onQuery} />
        <Field label="Outcome">
          <Select value={q.outcome ?? ''} onChange={(_e, d) => props.onQuery({ outcome: (d.value || undefined) as Outcome | undefined })}>
            <option value="">All outcomes</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {OUTCOME_LABEL[o]}
              </option>
            ))}
          </Select>
        </Field>
        <Button onClick={() => setAttempt((n) => n + 1)}>Refresh</Button>
        <Text className={s.muted}>{range.label}</Text>
      </section>
      {error ? (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{`The chats could not be loaded: ${error}`}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => setAttempt((n) => n + 1)}>Try again</Button>
          </MessageBarActions>
        </MessageBar>
      ) : !list ? (
        <Spinner label="Loading the chats" />
      ) : (
        <div className={s.live}>
          <div className={s.grow}>
            {list.sessions.length === 0 ? (
              <Text role="status">{`No chats in this period (${range.label.toLowerCase()}) for these filters.`}</Text>
            ) : (
              <SessionTable
                sessions={list.sessions}
                selected={q.session}
                serviceName={serviceName}
                agentName={agentName}
                onSelect={(id) => props.onQuery({ session: id })}
                footer={
                  list.more ? (
                    <div className={s.actions}>
                      <Text>{`Showing the newest ${list.sessions.length} chats of this period.`}</Text>
                      <Button size="small" disabled={older === 'loading'} onClick={loadOlder}>
                        {older === 'loading' ? 'Loading…' : 'Load older chats'}
                      </Button>
                      {older !== 'idle' && older !== 'loading' && (
                        <Text role="alert" className={s.late}>{`The older chats could not be loaded: ${older}`}</Text>
                      )}
                    </div>
                  ) : (
                    <Text className={s.muted}>{`All ${list.sessions.length} chats of this period are shown.`}</Text>
                  )
                }
              />
            )}
          </div>
          {q.session && (
            <TranscriptPane
              key={q.session}
              api={api}
              taskId={q.session}
              session={selected}
              serviceName={serviceName}
              agentName={agentName}
              onClose={() => props.onQuery({ session: undefined })}
              onMonitor={(id) => props.onQuery({ view: 'live', session: id })}
            />
          )}
        </div>
      )}
    </main>
  );
}

function SessionTable(props: {
  sessions: ReportingSession[];
  selected: string | undefined;
  serviceName: (id: string) => string;
  agentName: (id: string | undefined) => string;
  onSelect: (taskId: string) => void;
  footer: ReactNode;
}) {
  const s = useSupervisorStyles();
  // One tab stop for the whole table; the arrow keys move from chat to chat (Enter opens it).
  const arrows = useArrowNavigationGroup({ axis: 'vertical', memorizeCurrent: true });
  return (
    <Card className={s.card} aria-labelledby="history-h">
      <CardHeader header={<h2 id="history-h" className={s.cardTitle}>{`Chats (${props.sessions.length})`}</h2>} />
      <div className={s.scroll}>
        <Table size="small" aria-labelledby="history-h">
          <TableHeader>
            <TableRow>
              <TableHeaderCell className={s.startedCol}>Started</TableHeaderCell>
              <TableHeaderCell>Service</TableHeaderCell>
              <TableHeaderCell>Channel</TableHeaderCell>
              <TableHeaderCell>Agent</TableHeaderCell>
              <TableHeaderCell>Outcome</TableHeaderCell>
              <TableHeaderCell>Wait</TableHeaderCell>
              <TableHeaderCell>Handling</TableHeaderCell>
              <TableHeaderCell>Rating</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody {...arrows}>
            {props.sessions.map((x) => {
              const selected = x.taskId === props.selected;
              const started = startedLabel(x.createdAt);
              return (
                <TableRow
                  key={x.taskId}
                  className={mergeClasses(s.pickRow, selected && s.selectedRow)}
                  // The whole row answers a click; the button in it is what the keyboard reaches.
                  onClick={() => props.onSelect(x.taskId)}
                >
                  <TableCell>
                    <Button
                      size="small"
                      appearance={selected ? 'primary' : 'subtle'}
                      aria-pressed={selected}
                      aria-label={`Transcript of the chat started ${started}`}
                      className={s.numeric}
                    >
                      {started}
                    </Button>
                  </TableCell>
                  <TableCell>
                    {props.serviceName(x.serviceId)}
                    {x.direct && <Text className={s.muted}> (direct)</Text>}
                  </TableCell>
                  <TableCell>
                    <Badge appearance="tint" size="small">
                      {CHANNEL_LABEL[x.channel] ?? x.channel}
                    </Badge>
                  </TableCell>
                  <TableCell>{props.agentName(x.userId)}</TableCell>
                  <TableCell>{outcomeLabel(x)}</TableCell>
                  <TableCell className={s.numeric}>{span(x.queueMs)}</TableCell>
                  <TableCell className={s.numeric}>{span(x.handlingMs)}</TableCell>
                  <TableCell>
                    {x.csat ? (
                      <RatingDisplay size="small" color="marigold" value={x.csat.rating} aria-label={ratingSaid(x.csat.rating)} />
                    ) : (
                      NONE
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
      {props.footer}
    </Card>
  );
}

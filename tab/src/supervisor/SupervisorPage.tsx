/**
 * The Supervisor page (`/tab/supervisor`), loaded on its own so My Sessions never loads it (nor
 * its charts). `GET /api/supervisor/services` decides what it shows: the Live, Reports and History
 * views of the services the user supervises (tenant admins: all), or for anyone else a calm note.
 * The service, the view, the chosen session and the filters live in the address (./url.ts).
 */
import { useEffect, useMemo, useState } from 'react';
import { Field, Select, Spinner, Tab, TabList, Title2 } from '@fluentui/react-components';
import type { SupervisorServices } from '@stratus/shared/contract/supervisor';
import { ApiError } from '../api';
import { LoadError } from '../admin/LoadError';
import { SupervisorApi } from './api';
import { HistoryView } from './HistoryView';
import { LiveView } from './LiveView';
import { NotSupervisor } from './NotSupervisor';
import { ReportsView, type ChartComponent } from './ReportsView';
import { useSupervisorStyles } from './styles';
import { usePageQuery, type View } from './url';

export interface SupervisorPageProps {
  token: () => Promise<string>;
  /** Opens My Sessions on a session (in Teams: the My Sessions tab; outside: its page). */
  openMySessions?: (sessionId: string) => void;
  /** The chart renderer (tests give a plain one: jsdom cannot lay out SVG charts). */
  Chart?: ChartComponent;
}

export default function SupervisorPage({ token, openMySessions, Chart }: SupervisorPageProps) {
  const s = useSupervisorStyles();
  const api = useMemo(() => new SupervisorApi(token), [token]);
  const [q, setQ] = usePageQuery();
  const [watched, setWatched] = useState<SupervisorServices>();
  const [error, setError] = useState<ApiError>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    document.title = 'Stratus supervisor';
    let live = true;
    api.services().then(
      (w) => live && setWatched(w),
      (e: unknown) => live && setError(e instanceof ApiError ? e : new ApiError(0, 'error', 'Stratus could not be loaded.')),
    );
    return () => {
      live = false;
    };
  }, [api, attempt]);

  if (error?.status === 403) return <NotSupervisor message={error.message} />;
  if (error)
    return (
      <main className={s.main}>
        <Title2 as="h1">Supervisor</Title2>
        <LoadError
          message={error.message}
          onRetry={() => {
            setError(undefined);
            setAttempt((n) => n + 1);
          }}
        />
      </main>
    );
  if (!watched) return <Spinner label="Loading" />;

  // A service from an old link that is no longer the user's: all of theirs instead.
  const service = watched.services.some((x) => x.id === q.service) ? q.service : undefined;
  return (
    <div className={s.page}>
      <header className={s.header}>
        <Title2 as="h1">Supervisor</Title2>
        <Field label="Service">
          <Select value={service ?? ''} onChange={(_e, d) => setQ({ service: d.value || undefined, session: undefined })}>
            <option value="">{watched.admin ? 'All services' : 'All my services'}</option>
            {watched.services.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </Select>
        </Field>
        {/* The session belongs to its view: a monitored chat is not a transcript to open, nor the other way round. */}
        <TabList selectedValue={q.view} onTabSelect={(_e, d) => setQ({ view: d.value as View, session: undefined })} aria-label="View">
          <Tab value="live">Live</Tab>
          <Tab value="reports">Reports</Tab>
          <Tab value="history">History</Tab>
        </TabList>
      </header>
      {q.view === 'live' ? (
        <LiveView
          api={api}
          token={token}
          services={watched.services}
          service={service}
          session={q.session}
          onSession={(session) => setQ({ session })}
          {...(openMySessions ? { openMySessions } : {})}
        />
      ) : q.view === 'reports' ? (
        <ReportsView api={api} services={watched.services} service={service} query={q} onQuery={setQ} {...(Chart ? { Chart } : {})} />
      ) : (
        <HistoryView api={api} services={watched.services} service={service} query={q} onQuery={setQ} />
      )}
    </div>
  );
}

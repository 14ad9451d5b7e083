/**
 * Live: the figures of the moment, the queue, the open chats and the agents of the watched
 * services, updated by the supervisor's event stream; a chosen chat opens the monitor pane.
 * Every action's answer is said plainly: a refusal (409: someone was quicker) in an error bar.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Badge, Button, MessageBar, MessageBarActions, MessageBarBody, Text, mergeClasses } from '@fluentui/react-components';
import type { SupervisorQueueTask, SupervisorServices } from '@stratus/shared/contract/supervisor';
import { DEFAULT_SERVICE_LEVEL_SEC } from '@stratus/shared/tenant/model';
import type { SupervisorApi } from './api';
import { AgentsBoard } from './AgentsBoard';
import { MoveDialog } from './dialogs';
import { higherPriority, PRIORITY_LABEL, serviceLevelNow, waitedSec } from './live';
import { MonitorPane } from './MonitorPane';
import { QueueBoard } from './QueueBoard';
import { duration } from './reports';
import { SessionsBoard } from './SessionsBoard';
import { useSupervisorStyles } from './styles';
import { useSupervisorStream } from './useSupervisorStream';

function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

interface Notice {
  intent: 'error' | 'success';
  text: string;
}

export function LiveView(props: {
  api: SupervisorApi;
  token: () => Promise<string>;
  services: SupervisorServices['services'];
  service: string | undefined;
  session: string | undefined;
  onSession: (id: string | undefined) => void;
  openMySessions?: (sessionId: string) => void;
}) {
  const s = useSupervisorStyles();
  const { api, services, service, session } = props;
  const now = useNow();
  const { boards, status, monitored } = useSupervisorStream({ api, token: props.token, service, monitor: session });
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState(false);
  const [moving, setMoving] = useState<SupervisorQueueTask>();
  const [takenOver, setTakenOver] = useState<string>();

  const names = useMemo(() => new Map(services.map((x) => [x.id, x.name])), [services]);
  const thresholds = useMemo(() => new Map(services.map((x) => [x.id, x.serviceLevelSec || DEFAULT_SERVICE_LEVEL_SEC])), [services]);
  const serviceName = useCallback((id: string) => names.get(id) ?? id, [names]);
  const showService = !service && services.length > 1;

  /** Runs an action; its refusal or its result is what the bar above the boards says. */
  const act = async (run: () => Promise<string>) => {
    setBusy(true);
    setNotice(undefined);
    try {
      setNotice({ intent: 'success', text: await run() });
    } catch (e) {
      setNotice({ intent: 'error', text: e instanceof Error ? e.message : 'That did not work.' });
    } finally {
      setBusy(false);
    }
  };

  const tasks = boards.tasks ?? [];
  const sl = serviceLevelNow(tasks, thresholds, boards.queueAt, now);
  const longest = tasks.reduce((m, t) => Math.max(m, waitedSec(t, boards.queueAt, now)), 0);
  const onDuty = boards.agents?.filter((a) => a.onDuty).length ?? 0;
  const available = boards.agents?.filter((a) => a.state === 'available').length ?? 0;
  const currentId = monitored.current?.sessionId ?? session;
  const monitoredSession = boards.sessions?.find((x) => x.id === currentId);
  const openMySessions = props.openMySessions ?? ((id: string) => window.location.assign(`/tab/?session=${encodeURIComponent(id)}`));

  return (
    <main className={s.main}>
      <div className={s.actions} aria-live="polite">
        <Badge appearance="filled" color={status === 'live' ? 'success' : 'warning'}>
          {status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </Badge>
      </div>
      {notice && (
        <MessageBar intent={notice.intent} role={notice.intent === 'error' ? 'alert' : 'status'}>
          <MessageBarBody>{notice.text}</MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={() => setNotice(undefined)}>
              Dismiss
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      <section className={s.tiles} aria-label="Now">
        <Tile label="Waiting" value={boards.tasks ? String(tasks.length) : '…'} />
        <Tile label="Longest wait" value={tasks.length ? duration(longest) : '–'} warn={sl !== null && sl.within < sl.waiting} />
        <Tile
          label="Service level now"
          value={sl ? `${sl.pct} %` : '–'}
          note={sl ? `${sl.within} of ${sl.waiting} waiting under the threshold` : 'Nobody is waiting'}
          warn={sl !== null && sl.pct < 80}
        />
        <Tile label="Agents available" value={boards.agents ? `${available}` : '…'} note={`${onDuty} on duty`} />
        <Tile label="Open chats" value={boards.sessions ? String(boards.sessions.length) : '…'} />
      </section>
      <div className={s.live}>
        <div className={s.boards}>
          <QueueBoard
            tasks={boards.tasks}
            receivedAt={boards.queueAt}
            now={now}
            thresholds={thresholds}
            serviceName={serviceName}
            showService={showService}
            onRaise={(t) =>
              void act(async () => {
                const next = higherPriority(t.priority);
                if (!next) return `${t.customer.displayName}'s chat already has the highest priority.`;
                await api.priority(t.id, next);
                return `${t.customer.displayName}'s chat now has priority ${PRIORITY_LABEL[next]}.`;
              })
            }
            onMove={setMoving}
          />
          <SessionsBoard
            sessions={boards.sessions}
            selected={currentId}
            now={now}
            showService={showService}
            serviceName={serviceName}
            onSelect={(id) => props.onSession(id === currentId ? undefined : id)}
          />
          <AgentsBoard agents={boards.agents} now={now} serviceName={serviceName} />
        </div>
        {session && (
          <MonitorPane
            key={session}
            sessionId={session}
            session={monitoredSession}
            monitored={monitored}
            agents={boards.agents ?? []}
            takenOver={takenOver}
            busy={busy}
            openMySessions={openMySessions}
            onClose={() => props.onSession(undefined)}
            actions={{
              takeOver: (id) =>
                void act(async () => {
                  const r = await api.takeOver(id);
                  setTakenOver(r.newTaskId ?? id);
                  return 'You took the chat over: it is in My Sessions now.';
                }),
              reassign: (id, userId) =>
                void act(async () => {
                  await api.reassign(id, userId);
                  const who = boards.agents?.find((a) => a.userId === userId)?.displayName ?? userId;
                  return `The chat is with ${who} now.`;
                }),
              end: (id) =>
                void act(async () => {
                  await api.end(id);
                  return 'The chat is ended.';
                }),
            }}
          />
        )}
      </div>
      {moving && (
        <MoveDialog
          open
          customer={moving.customer.displayName}
          from={moving.serviceId}
          services={services}
          onClose={() => setMoving(undefined)}
          onConfirm={(to) => {
            const t = moving;
            setMoving(undefined);
            void act(async () => {
              await api.move(t.id, to);
              return `${t.customer.displayName}'s chat moved to ${serviceName(to)}.`;
            });
          }}
        />
      )}
    </main>
  );
}

function Tile({ label, value, note, warn }: { label: string; value: string; note?: string; warn?: boolean }) {
  const s = useSupervisorStyles();
  return (
    <div className={s.tile}>
      <Text size={200} className={s.muted}>
        {label}
      </Text>
      <Text className={mergeClasses(s.tileValue, warn && s.tileWarn)}>{value}</Text>
      {note && <Text className={s.tileNote}>{note}</Text>}
    </div>
  );
}

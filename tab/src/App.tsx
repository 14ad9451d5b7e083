/**
 * My Sessions: availability, incoming offers, open sessions with their chat, recently ended
 * sessions. Live through the agent event stream. Customer text is rendered by React as text.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { Badge, Button, MessageBar, MessageBarBody, Spinner, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { AgentMe, AgentPrefs } from '../../shared/contract/api';
import { AgentApi, ApiError } from './api';
import { initialState, isFlagged, reducer, unread, wrapUpUntil } from './state';
import { openStream, type StreamStatus } from './stream';
import { OfferAlerter, lookingElsewhere } from './alerts';
import { ChatPane } from './chat/ChatPane';
import { Availability } from './sessions/Availability';
import { Offer, SessionItem } from './sessions/SessionItems';
import { SettingsDialog } from './settings/SettingsDialog';

const useStyles = makeStyles({
  app: {
    display: 'grid',
    gridTemplateColumns: 'minmax(260px, 340px) 1fr',
    gridTemplateRows: 'auto 1fr',
    height: '100vh',
    gap: '0 12px',
    boxSizing: 'border-box',
    padding: '8px 12px',
  },
  header: {
    gridColumn: '1 / 3',
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: '12px',
    paddingBottom: '8px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  side: { overflowY: 'auto', display: 'flex', flexDirection: 'column', gap: '12px', paddingTop: '8px' },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '6px' },
  pane: { display: 'flex', flexDirection: 'column', minHeight: 0, paddingTop: '8px', gap: '8px' },
});

function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export function App({
  api,
  streamUrl,
  token,
  initialSession,
}: {
  api: AgentApi;
  streamUrl: string;
  token: () => Promise<string>;
  /** A session to open once it is loaded (a deep link from the activity feed). */
  initialSession?: string;
}) {
  const s = useStyles();
  const [state, dispatch] = useReducer(reducer, initialState);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [error, setError] = useState<string>();
  const [services, setServices] = useState<{ id: string; name: string }[]>([]);
  const [prefs, setPrefs] = useState<AgentPrefs>({ cannedResponses: [], offerAlerts: false });
  const now = useNow();

  const refresh = useCallback(async () => {
    try {
      const [me, sessions] = await Promise.all([api.me(), api.sessions()]);
      dispatch({ type: 'me', me });
      dispatch({ type: 'sessions', sessions });
      setServices(await api.services());
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Stratus could not be loaded.');
    }
    // The agent's own settings: their absence leaves the defaults (alerts off), never an error.
    api.prefs().then(setPrefs, () => undefined);
  }, [api]);

  useEffect(() => {
    // The state is loaded once the stream is live (and again after each reconnect), so an offer made
    // between loading and subscribing cannot be missed.
    return openStream({
      url: streamUrl,
      token,
      onEvent: (event) => dispatch({ type: 'event', event, now: Date.now() }),
      onStatus: setStatus,
      onResumed: () => void refresh(),
    });
  }, [api, streamUrl, token, refresh]);

  /** Changes of the agent's own state answer with the new state: show it at once, not only when the stream echoes it. */
  const actOnMe = useCallback(async (fn: () => Promise<AgentMe>) => {
    setError(undefined);
    try {
      dispatch({ type: 'me', me: await fn() });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'That did not work. Please try again.');
    }
  }, []);

  const act = useCallback(async (fn: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'That did not work. Please try again.');
    }
  }, []);

  const all = Object.values(state.sessions);
  const offers = all.filter((x) => x.state === 'offered').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const open = all.filter((x) => x.state === 'connected').sort((a, b) => (a.acceptedAt ?? '').localeCompare(b.acceptedAt ?? ''));
  const ended = all
    .filter((x) => x.state === 'ended' && x.acceptedAt)
    .sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? ''))
    .slice(0, 10);
  const selected = state.selected ? state.sessions[state.selected] : undefined;
  // The deep link's session opens once, as soon as it is known.
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current || !initialSession || !state.sessions[initialSession]) return;
    opened.current = true;
    if (!state.selected) dispatch({ type: 'select', sessionId: initialSession });
  }, [initialSession, state.sessions, state.selected]);
  const wrapUpEnds = wrapUpUntil(state, now);

  // A new offer alerts the agent who turned alerts on, when they look elsewhere (another tab or window).
  const alerter = useRef<OfferAlerter>(undefined);
  const known = useRef<Set<string>>(undefined);
  const offerIds = offers.map((o) => o.id).join(' ');
  useEffect(() => {
    const ids = offerIds ? offerIds.split(' ') : [];
    if (!known.current) {
      known.current = new Set(ids);
      return;
    }
    for (const id of ids) {
      if (known.current.has(id)) continue;
      const o = state.sessions[id];
      if (o && prefs.offerAlerts && lookingElsewhere()) {
        alerter.current ??= new OfferAlerter();
        alerter.current.alert(o.customer.displayName, o.direct ? 'Direct chat' : o.serviceName);
      }
    }
    // Only the current offers are remembered: the set stays as small as the list.
    known.current = new Set(ids);
    // Only new offers matter here (the sessions are read at that moment): the ids are the dependency.
  }, [offerIds, prefs.offerAlerts]);

  const select = useCallback((id: string) => dispatch({ type: 'select', sessionId: id }), []);

  return (
    <div className={s.app}>
      <header className={s.header}>
        <Title3 as="h1">My Sessions</Title3>
        {state.me && <Availability me={state.me} now={now} api={api} actOnMe={actOnMe} />}
        {status === 'reconnecting' && (
          <Badge color="warning" role="status">
            Reconnecting…
          </Badge>
        )}
        {status === 'connecting' && <Spinner size="tiny" label="Connecting" />}
        {wrapUpEnds !== undefined && (
          <Badge color="warning" role="status">
            Wrap-up: next chat in {Math.ceil((wrapUpEnds - now) / 1000)} s
          </Badge>
        )}
        <SettingsDialog api={api} prefs={prefs} onPrefs={setPrefs} />
      </header>
      <nav className={s.side} aria-label="Sessions">
        {error && (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        )}
        {state.notices.map((n) => (
          <MessageBar key={n.id} intent={n.level === 'error' ? 'error' : n.level === 'warning' ? 'warning' : 'info'}>
            <MessageBarBody>
              {n.text}{' '}
              <Button size="small" appearance="transparent" onClick={() => dispatch({ type: 'dismiss', id: n.id })}>
                Dismiss
              </Button>
            </MessageBarBody>
          </MessageBar>
        ))}
        <section aria-labelledby="offers-h">
          <Text as="h2" id="offers-h" weight="semibold">
            Offers ({offers.length})
          </Text>
          <ul className={s.list}>
            {offers.map((o) => (
              <li key={o.id}>
                <Offer
                  session={o}
                  now={now}
                  onAccept={() =>
                    act(async () => {
                      const session = await api.accept(o.id);
                      dispatch({ type: 'session', session });
                      select(o.id);
                    })
                  }
                  onDecline={() => act(async () => dispatch({ type: 'session', session: await api.decline(o.id) }))}
                />
              </li>
            ))}
            {offers.length === 0 && (
              <li>
                <Text size={200}>No offers right now.</Text>
              </li>
            )}
          </ul>
        </section>
        <section aria-labelledby="open-h">
          <Text as="h2" id="open-h" weight="semibold">
            Open ({open.length})
          </Text>
          <ul className={s.list}>
            {open.map((x) => (
              <li key={x.id}>
                <SessionItem
                  session={x}
                  unread={unread(state, x.id)}
                  selected={x.id === state.selected}
                  now={now}
                  flagged={isFlagged(x, now)}
                  onSelect={select}
                />
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="ended-h">
          <Text as="h2" id="ended-h" weight="semibold">
            Recently ended
          </Text>
          <ul className={s.list}>
            {ended.map((x) => (
              <li key={x.id}>
                <SessionItem session={x} unread={0} selected={x.id === state.selected} now={now} flagged={false} onSelect={select} />
              </li>
            ))}
          </ul>
        </section>
      </nav>
      <main className={s.pane}>
        {selected ? (
          <ChatPane
            key={selected.id}
            session={selected}
            state={state}
            api={api}
            act={act}
            services={services}
            dispatch={dispatch}
            now={now}
            agentName={state.me?.displayName ?? ''}
          />
        ) : (
          <Text>Pick a session on the left, or wait for an offer.</Text>
        )}
      </main>
    </div>
  );
}

/**
 * My Sessions: availability, incoming offers, open sessions with their chat, recently ended
 * sessions. Live through the agent event stream. Customer text is rendered by React as text.
 */
import { memo, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import {
  Badge,
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Switch,
  Text,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { AgentMe, AgentPrefs, AgentSession, ChatMessage } from '../../shared/contract/api';
import { AgentApi, ApiError } from './api';
import { CHANNEL_LABEL, initialState, isFlagged, reducer, unread, waitingFor, wrapUpUntil, type State } from './state';
import { openStream, type StreamStatus } from './stream';
import { OfferAlerter, lookingElsewhere } from './alerts';
import { Composer } from './chat/Composer';
import { WrapUpForm } from './chat/WrapUpForm';
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
  item: {
    display: 'block',
    width: '100%',
    textAlign: 'left',
    padding: '8px',
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    background: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    cursor: 'pointer',
  },
  selected: { border: `2px solid ${tokens.colorBrandStroke1}` },
  offer: {
    padding: '8px',
    borderRadius: tokens.borderRadiusMedium,
    border: `2px solid ${tokens.colorBrandStroke1}`,
    display: 'flex',
    flexDirection: 'column',
    gap: '4px',
  },
  pane: { display: 'flex', flexDirection: 'column', minHeight: 0, paddingTop: '8px', gap: '8px' },
  log: { flex: 1, overflowY: 'auto', listStyle: 'none', margin: 0, padding: '4px', display: 'flex', flexDirection: 'column', gap: '6px' },
  msg: {
    maxWidth: '80%',
    padding: '6px 10px',
    borderRadius: tokens.borderRadiusLarge,
    background: tokens.colorNeutralBackground3,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
  mine: { alignSelf: 'flex-end', background: tokens.colorBrandBackground2 },
  system: { alignSelf: 'center', background: 'transparent', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  row: { display: 'flex', gap: '8px', alignItems: 'flex-end', flexWrap: 'wrap' },
  facts: { display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '2px 8px', fontSize: tokens.fontSizeBase200 },
  flagged: { borderLeft: `4px solid ${tokens.colorPaletteRedBorder2}` },
  typing: { minHeight: '1.2em', color: tokens.colorNeutralForeground2, fontStyle: 'italic' },
  ticks: { color: tokens.colorNeutralForeground2 },
  read: { color: tokens.colorBrandForeground1 },
});

/** Text for screen readers only. */
const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

const newId = () => (globalThis.crypto?.randomUUID ? globalThis.crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

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

function Availability({
  me,
  now,
  api,
  actOnMe,
}: {
  me: NonNullable<State['me']>;
  now: number;
  api: AgentApi;
  actOnMe: (fn: () => Promise<AgentMe>) => Promise<void>;
}) {
  const ronaLeft = me.ronaUntil ? Math.max(0, Math.round((Date.parse(me.ronaUntil) - now) / 1000)) : 0;
  return (
    <>
      <Text>{me.displayName}</Text>
      <PresenceBadge me={me} now={now} />
      <Switch
        label={me.onDuty ? 'On duty' : 'Off duty'}
        checked={me.onDuty}
        onChange={(_e, d) => void actOnMe(() => api.duty(d.checked))}
      />
      {me.services
        .filter((x) => x.imEnabled)
        .map((x) => (
          <Switch
            key={x.id}
            label={`Active in ${x.name}`}
            checked={x.active}
            onChange={(_e, d) => void actOnMe(() => api.active(x.id, d.checked))}
          />
        ))}
      {ronaLeft > 0 && (
        <span role="status">
          <Badge color="danger">
            RONA {Math.floor(ronaLeft / 60)}:{String(ronaLeft % 60).padStart(2, '0')}
          </Badge>{' '}
          <Button size="small" onClick={() => void actOnMe(() => api.resetRona())}>
            Reset
          </Button>
        </span>
      )}
    </>
  );
}

const PRESENCE_LABEL: Record<AgentMe['presence'], string> = {
  online: 'Available',
  busy: 'Busy',
  away: 'Away',
  beRightBack: 'Be right back',
  doNotDisturb: 'Do not disturb',
  offline: 'Offline',
};
const PRESENCE_COLOR: Record<AgentMe['presence'], 'success' | 'danger' | 'warning' | 'informative'> = {
  online: 'success',
  busy: 'danger',
  away: 'warning',
  beRightBack: 'warning',
  doNotDisturb: 'danger',
  offline: 'informative',
};
/** Teams presence older than this is shown with its age: Graph may be failing or throttling. */
const STALE_MS = 60_000;

/** The agent's Teams presence as routing sees it, with its age when it is not fresh. */
function PresenceBadge({ me, now }: { me: NonNullable<State['me']>; now: number }) {
  const label = me.inBlockingCall ? `${PRESENCE_LABEL[me.presence]}, in a call` : PRESENCE_LABEL[me.presence];
  const age = me.presenceAsOf ? now - Date.parse(me.presenceAsOf) : 0;
  const stale = age > STALE_MS ? ` (as of ${Math.round(age / 60_000)} min ago)` : '';
  return (
    <Badge appearance="tint" color={me.inBlockingCall ? 'danger' : PRESENCE_COLOR[me.presence]}>
      Teams: {label}
      {stale}
    </Badge>
  );
}

function Offer({
  session: o,
  now,
  onAccept,
  onDecline,
}: {
  session: AgentSession;
  now: number;
  onAccept: () => void;
  onDecline: () => void;
}) {
  const s = useStyles();
  const left = o.offerExpiresAt ? Math.max(0, Math.round((Date.parse(o.offerExpiresAt) - now) / 1000)) : undefined;
  return (
    <article className={s.offer} aria-label={`Offer from ${o.customer.displayName}`}>
      <Text weight="semibold">{o.customer.displayName}</Text>
      <Text size={200}>
        {CHANNEL_LABEL[o.channel] ?? o.channel} · {o.direct ? 'Direct chat' : o.serviceName} · waiting {waitingFor(o.createdAt, now)}
        {left !== undefined ? ` · ${left} s left` : ''}
      </Text>
      {o.firstMessage && (
        <Text size={200} italic>
          {o.firstMessage}
        </Text>
      )}
      <div className={s.row}>
        <Button appearance="primary" onClick={onAccept}>
          Accept
        </Button>
        <Button onClick={onDecline}>Decline</Button>
      </div>
    </article>
  );
}

const SessionItem = memo(function SessionItem({
  session: x,
  unread: n,
  selected,
  now,
  flagged,
  onSelect,
}: {
  session: AgentSession;
  unread: number;
  selected: boolean;
  now: number;
  flagged: boolean;
  onSelect: (id: string) => void;
}) {
  const s = useStyles();
  const wrapUpDue = x.state === 'ended' && x.wrapUp && !x.wrapUp.filedAt;
  return (
    <button
      type="button"
      className={`${s.item} ${selected ? s.selected : ''} ${flagged ? s.flagged : ''}`}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onSelect(x.id)}
    >
      <Text weight="semibold">{x.customer.displayName}</Text>{' '}
      {n > 0 && (
        <Badge color="brand" aria-label={`${n} unread`}>
          {n}
        </Badge>
      )}{' '}
      {flagged && (
        <Badge color="danger" appearance="filled">
          Waiting for your answer
        </Badge>
      )}
      {wrapUpDue && (
        <Badge color="warning" appearance="tint">
          Wrap-up to save
        </Badge>
      )}
      <br />
      <Text size={200}>
        {CHANNEL_LABEL[x.channel] ?? x.channel} · {x.direct ? 'Direct chat' : x.serviceName} ·{' '}
        {x.state === 'ended' ? endedText(x) : `since ${waitingFor(x.acceptedAt ?? x.createdAt, now)}`}
      </Text>
    </button>
  );
});

/** How an ended session ended, in the agent's words: who ended it, or where it went. */
export function endedText(x: AgentSession): string {
  if (x.supervisor?.action === 'takeover') return `taken over by ${x.supervisor.displayName} (supervisor)`;
  if (x.supervisor?.action === 'reassign') return `reassigned by ${x.supervisor.displayName} (supervisor)`;
  if (x.supervisor?.action === 'end') return `ended by ${x.supervisor.displayName} (supervisor)`;
  if (x.outcome === 'transferred') return x.transferredTo ? `transferred to ${x.transferredTo.serviceName}` : 'transferred';
  if (x.outcome === 'inactive') return 'closed: the customer stopped answering';
  if (x.endedBy === 'customer') return 'the customer left';
  if (x.endedBy === 'agent') return 'ended by you';
  if (x.endedBy === 'system' || x.endedBy === 'workflow') return 'closed by Stratus';
  return x.outcome ? `ended (${x.outcome})` : 'ended';
}

const DELIVERY: Record<string, string> = {
  queued: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not delivered',
  undelivered: 'Not delivered',
};

function ChatPane({
  session,
  state,
  api,
  act,
  services,
  dispatch,
  now,
  agentName,
}: {
  session: AgentSession;
  state: State;
  api: AgentApi;
  act: (fn: () => Promise<unknown>) => Promise<void>;
  services: { id: string; name: string }[];
  dispatch: (a: Parameters<typeof reducer>[1]) => void;
  now: number;
  agentName: string;
}) {
  const s = useStyles();
  const [target, setTarget] = useState('');
  const log = useRef<HTMLOListElement>(null);
  const messages = state.messages[session.id] ?? [];
  useEffect(() => {
    void api.messages(session.id).then(
      (m) => dispatch({ type: 'messages', sessionId: session.id, messages: m }),
      () => undefined,
    );
  }, [api, session.id, dispatch]);
  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
    dispatch({ type: 'select', sessionId: session.id });
  }, [messages.length, session.id, dispatch]);
  const targets = useMemo(() => services.filter((x) => x.id !== session.serviceId), [services, session.serviceId]);
  const open = session.state === 'connected';
  const send = async (t: string) => {
    const clientMessageId = newId();
    let failed: unknown;
    await act(async () => {
      try {
        await api.send(session.id, t, clientMessageId);
      } catch (e) {
        failed = e;
        throw e;
      }
    });
    if (failed) throw failed;
  };
  const typing = open && (state.typingUntil[session.id] ?? 0) > now;
  const readSeq = session.customerReadSeq ?? 0;
  return (
    <section
      aria-label={`Chat with ${session.customer.displayName}`}
      style={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: 1, gap: 8 }}
    >
      <div className={s.row}>
        <Title3 as="h2">{session.customer.displayName}</Title3>
        <Text size={200}>
          {CHANNEL_LABEL[session.channel] ?? session.channel} · {session.direct ? 'Direct chat' : session.serviceName}
          {session.state === 'ended' ? ` · ${endedText(session)}` : ''}
        </Text>
      </div>
      <dl className={s.facts}>
        {session.customer.email && (
          <>
            <dt>Email</dt>
            <dd>{session.customer.email}</dd>
          </>
        )}
        {session.customer.phone && (
          <>
            <dt>Phone</dt>
            <dd>{session.customer.phone}</dd>
          </>
        )}
        {Object.entries(session.parameters).map(([k, v]) => (
          <FactRow key={k} k={k} v={v} />
        ))}
      </dl>
      <ol className={s.log} ref={log} aria-live="polite" aria-label="Messages" tabIndex={0}>
        {messages.map((m) => (
          <Message key={m.id} m={m} read={m.from === 'agent' ? m.seq <= readSeq : undefined} />
        ))}
      </ol>
      <Text className={s.typing} role="status">
        {typing ? `${session.customer.displayName} is typing…` : ''}
      </Text>
      {session.state === 'ended' && session.wrapUp && (
        <WrapUpForm session={session} api={api} now={now} onSaved={(x) => dispatch({ type: 'session', session: x })} />
      )}
      {open && (
        <>
          <Composer session={session} api={api} agentName={agentName} onSend={send} />
          <div className={s.row}>
            <Button onClick={() => void act(async () => dispatch({ type: 'session', session: await api.end(session.id) }))}>
              End and mark as handled
            </Button>
            {targets.length > 0 && (
              <>
                <Field label="Transfer to">
                  <Select value={target} onChange={(_e, d) => setTarget(d.value)}>
                    <option value="">Choose a service</option>
                    {targets.map((x) => (
                      <option key={x.id} value={x.id}>
                        {x.name}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Button
                  disabled={!target}
                  onClick={() => void act(async () => dispatch({ type: 'session', session: await api.transfer(session.id, target) }))}
                >
                  Transfer
                </Button>
              </>
            )}
          </div>
        </>
      )}
    </section>
  );
}

function FactRow({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </>
  );
}

const Message = memo(function Message({ m, read }: { m: ChatMessage; read?: boolean }) {
  const s = useStyles();
  const cls = m.from === 'agent' ? `${s.msg} ${s.mine}` : m.from === 'system' ? `${s.msg} ${s.system}` : s.msg;
  return (
    <li className={cls}>
      {m.from !== 'system' && (
        <Text size={100} block>
          {m.from === 'agent' ? 'You' : (m.author ?? 'Customer')} · {new Date(m.at).toLocaleTimeString()}
        </Text>
      )}
      <span>{m.text}</span>
      {m.delivery && (
        <Text size={100} block aria-label="Delivery">
          {DELIVERY[m.delivery.state] ?? m.delivery.state}
          {m.delivery.error ? `: ${m.delivery.error}` : ''}
        </Text>
      )}
      {!m.delivery && read !== undefined && (
        // The ticks are for the eye; the words are what a screen reader says.
        <Text size={100} block className={read ? s.read : s.ticks}>
          <span aria-hidden="true">{read ? '✓✓' : '✓'}</span>
          <span style={visuallyHidden}>{read ? 'Read' : 'Sent'}</span>
        </Text>
      )}
    </li>
  );
});

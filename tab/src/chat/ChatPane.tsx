/** The open session's pane: who the customer is, the conversation, typing, and the agent's composer, end and transfer. */
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Field, Select, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { AgentSession, ChatMessage } from '../../../shared/contract/api';
import type { AgentApi } from '../api';
import { CHANNEL_LABEL, reducer, type State } from '../state';
import { endedText } from '../sessions/SessionItems';
import { visuallyHidden } from '../ui/text';
import { Composer } from './Composer';
import { WrapUpForm } from './WrapUpForm';

const useStyles = makeStyles({
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
  typing: { minHeight: '1.2em', color: tokens.colorNeutralForeground2, fontStyle: 'italic' },
  ticks: { color: tokens.colorNeutralForeground2 },
  read: { color: tokens.colorBrandForeground1 },
});

const newId = () => (globalThis.crypto?.randomUUID ? globalThis.crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

const DELIVERY: Record<string, string> = {
  queued: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not delivered',
  undelivered: 'Not delivered',
};

export function ChatPane({
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

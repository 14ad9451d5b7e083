/**
 * The monitor pane: a session's conversation, both sides and the system's notices, read-only and
 * live; who has the chat now; and Take over, Reassign, End. After a takeover the chat is worked
 * in My Sessions: the pane links there.
 */
import { useEffect, useRef, useState } from 'react';
import { Badge, Button, Link, MessageBar, MessageBarBody, Text, Title3 } from '@fluentui/react-components';
import type { SupervisedSession, SupervisorAgent } from '@stratus/shared/contract/supervisor';
import { CHANNEL_LABEL } from '../state';
import { Message } from './Conversation';
import { EndDialog, ReassignDialog } from './dialogs';
import { eligibleAgents } from './live';
import type { Monitored } from './useSupervisorStream';
import { useSupervisorStyles } from './styles';

export interface MonitorActions {
  takeOver: (taskId: string) => void;
  reassign: (taskId: string, userId: string) => void;
  end: (taskId: string) => void;
}

export function MonitorPane(props: {
  sessionId: string;
  /** The session as the sessions board shows it (its current task), when it is open. */
  session: SupervisedSession | undefined;
  monitored: Monitored;
  agents: SupervisorAgent[];
  /** The session the supervisor took over in this conversation, if they did. */
  takenOver: string | undefined;
  busy: boolean;
  actions: MonitorActions;
  openMySessions: (sessionId: string) => void;
  onClose: () => void;
}) {
  const s = useSupervisorStyles();
  const { monitored, session } = props;
  const [dialog, setDialog] = useState<'reassign' | 'end'>();
  const current = monitored.current;
  const taskId = current?.sessionId ?? props.sessionId;
  const ended = current?.state === 'ended';
  const customer = session?.customer.displayName ?? monitored.messages.find((m) => m.from === 'customer')?.author ?? 'the customer';
  const agentName = session?.agentName ?? props.agents.find((a) => a.userId === current?.userId)?.displayName ?? current?.userId ?? '';
  const mine = props.takenOver !== undefined && props.takenOver === taskId && !ended;

  const log = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [monitored.messages.length]);

  return (
    <aside className={s.monitor} aria-labelledby="monitor-h">
      <div className={s.monitorHead}>
        <div className={s.grow}>
          <Title3 as="h2" id="monitor-h">{`Chat with ${customer}`}</Title3>
          <div className={s.actions}>
            {session && (
              <Badge appearance="tint" size="small">
                {CHANNEL_LABEL[session.channel] ?? session.channel}
              </Badge>
            )}
            <Text size={200} className={s.muted}>
              {ended ? `Ended${current?.outcome ? ` (${current.outcome})` : ''}` : agentName ? `With ${agentName}` : 'Connected'}
            </Text>
          </div>
        </div>
        <Button appearance="subtle" onClick={props.onClose}>
          Close
        </Button>
      </div>
      {!mine && (
        <Text size={200} className={s.muted}>
          You are watching: neither the customer nor the agent sees you until you take over.
        </Text>
      )}
      {monitored.error && (
        <MessageBar intent="error">
          <MessageBarBody>{monitored.error}</MessageBarBody>
        </MessageBar>
      )}
      {mine && (
        <MessageBar intent="success">
          <MessageBarBody>
            You have this chat now: answer {customer} in My Sessions.{' '}
            <Link
              href={`/tab/?session=${encodeURIComponent(taskId)}`}
              onClick={(e) => {
                e.preventDefault();
                props.openMySessions(taskId);
              }}
            >
              Open in My Sessions
            </Link>
          </MessageBarBody>
        </MessageBar>
      )}
      <div ref={log} className={s.log} role="log" aria-label={`Conversation with ${customer}`} tabIndex={0}>
        <ol className={s.logList}>
          {monitored.messages.length === 0 && (
            <li>
              <Text className={s.muted}>No messages yet.</Text>
            </li>
          )}
          {monitored.messages.map((m) => (
            <Message key={m.id} m={m} />
          ))}
        </ol>
      </div>
      <div className={s.actions}>
        <Button appearance="primary" disabled={ended || mine || props.busy} onClick={() => props.actions.takeOver(taskId)}>
          Take over
        </Button>
        <Button disabled={ended || props.busy} onClick={() => setDialog('reassign')}>
          Reassign…
        </Button>
        <Button disabled={ended || props.busy} onClick={() => setDialog('end')}>
          End…
        </Button>
      </div>
      {
        <ReassignDialog
          open={dialog === 'reassign'}
          customer={customer}
          agents={eligibleAgents(props.agents, session?.serviceId ?? '', current?.userId ?? session?.userId)}
          onClose={() => setDialog(undefined)}
          onConfirm={(userId) => {
            setDialog(undefined);
            props.actions.reassign(taskId, userId);
          }}
        />
      }
      {
        <EndDialog
          open={dialog === 'end'}
          customer={customer}
          agentName={agentName || 'the agent'}
          onClose={() => setDialog(undefined)}
          onConfirm={() => {
            setDialog(undefined);
            props.actions.end(taskId);
          }}
        />
      }
    </aside>
  );
}

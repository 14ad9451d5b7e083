/**
 * A past chat's transcript, read-only: what the reporting session says about it (when it started,
 * who had it, how it ended, its rating) and the whole conversation as it is kept, both sides and
 * the system's notices (GET /api/supervisor/sessions/{id}/messages, page after page). No stream,
 * no actions: a chat still open is one link away from the monitor pane in Live.
 */
import { useEffect, useState } from 'react';
import { Badge, Button, Link, MessageBar, MessageBarActions, MessageBarBody, Spinner, Text, Title3 } from '@fluentui/react-components';
import type { ChatMessage } from '@stratus/shared/contract/api';
import type { ReportingSession } from '@stratus/shared/reporting/session';
import { ApiError } from '../api';
import { CHANNEL_LABEL } from '../state';
import type { SupervisorApi } from './api';
import { Message } from './Conversation';
import { NONE, OUTCOME_MEANING, outcomeLabel, ratingSaid, span, startedLabel } from './history';
import { useSupervisorStyles } from './styles';

/** A failed load in words: a refusal and a missing chat are said as such, anything else with the server's reason. */
function failure(e: unknown): { text: string; retry: boolean } {
  if (e instanceof ApiError && e.status === 403)
    return { text: 'You may not read this transcript: you do not supervise the service of this chat.', retry: false };
  if (e instanceof ApiError && e.status === 404)
    return { text: 'This chat was not found: the link may be wrong, or the chat was erased.', retry: false };
  return { text: `The transcript could not be loaded: ${e instanceof Error ? e.message : 'Stratus did not answer.'}`, retry: true };
}

export function TranscriptPane(props: {
  api: SupervisorApi;
  taskId: string;
  /** The chat's reporting session, when the table has it (a link may name an older one). */
  session: ReportingSession | undefined;
  serviceName: (id: string) => string;
  agentName: (id: string | undefined) => string;
  onClose: () => void;
  /** Opens a chat that is still open in Live's monitor pane. */
  onMonitor: (taskId: string) => void;
}) {
  const s = useSupervisorStyles();
  const { api, taskId, session: x } = props;
  const [messages, setMessages] = useState<ChatMessage[]>();
  const [error, setError] = useState<{ text: string; retry: boolean }>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setMessages(undefined);
    setError(undefined);
    api.transcript(taskId).then(
      (list) => live && setMessages(list),
      (e: unknown) => live && setError(failure(e)),
    );
    return () => {
      live = false;
    };
  }, [api, taskId, attempt]);

  const customer = messages?.find((m) => m.from === 'customer')?.author;
  const open = x !== undefined && x.endedAt === undefined;
  const transferred = x?.transferredFrom !== undefined || x?.transferredTo !== undefined;

  return (
    <aside className={s.monitor} aria-labelledby="transcript-h">
      <div className={s.monitorHead}>
        <div className={s.grow}>
          <Title3 as="h2" id="transcript-h">
            {customer ? `Transcript: chat with ${customer}` : 'Transcript'}
          </Title3>
          {x && (
            <div className={s.actions}>
              <Badge appearance="tint" size="small">
                {CHANNEL_LABEL[x.channel] ?? x.channel}
              </Badge>
              <Text size={200} className={s.muted}>
                {`${props.serviceName(x.serviceId)} · ${startedLabel(x.createdAt)}`}
              </Text>
            </div>
          )}
        </div>
        <Button appearance="subtle" onClick={props.onClose}>
          Close
        </Button>
      </div>
      {x && (
        <dl className={s.facts}>
          <dt>Agent</dt>
          <dd>{props.agentName(x.userId)}</dd>
          <dt>Outcome</dt>
          <dd>
            {outcomeLabel(x)}
            {x.outcome && <Text className={s.muted}>{` · ${OUTCOME_MEANING[x.outcome]}`}</Text>}
          </dd>
          <dt>Wait</dt>
          <dd>{span(x.queueMs)}</dd>
          <dt>Handling</dt>
          <dd>{span(x.handlingMs)}</dd>
          <dt>Rating</dt>
          <dd>{x.csat ? `${ratingSaid(x.csat.rating)}${x.csat.comment ? `: “${x.csat.comment}”` : ''}` : NONE}</dd>
        </dl>
      )}
      <Text size={200} className={s.muted}>
        {transferred
          ? 'Read-only. The chat was handed on: this is the whole conversation, before and after.'
          : 'Read-only: the conversation as Stratus keeps it, both sides and its notices.'}
      </Text>
      {open && (
        <Text size={200}>
          This chat is still open.{' '}
          <Link
            href={`?session=${encodeURIComponent(taskId)}`}
            onClick={(e) => {
              e.preventDefault();
              props.onMonitor(taskId);
            }}
          >
            Monitor it in Live
          </Link>
        </Text>
      )}
      {error ? (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{error.text}</MessageBarBody>
          {error.retry && (
            <MessageBarActions>
              <Button onClick={() => setAttempt((n) => n + 1)}>Try again</Button>
            </MessageBarActions>
          )}
        </MessageBar>
      ) : !messages ? (
        <Spinner size="small" label="Loading the transcript" />
      ) : messages.length === 0 ? (
        <Text role="status">
          No messages: they were deleted by the retention period or an erasure request, or the chat ended before anyone wrote.
        </Text>
      ) : (
        <div className={s.log} role="region" aria-label={customer ? `Conversation with ${customer}` : 'Conversation'} tabIndex={0}>
          <ol className={s.logList}>
            {messages.map((m) => (
              <Message key={m.id} m={m} withDate />
            ))}
          </ol>
        </div>
      )}
    </aside>
  );
}

/** The side list's entries: an offer with its Accept and Decline, and an open or ended session. */
import { memo } from 'react';
import { Badge, Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { AgentSession } from '../../../shared/contract/api';
import { CHANNEL_LABEL, waitingFor } from '../state';

const useStyles = makeStyles({
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
  row: { display: 'flex', gap: '8px', alignItems: 'flex-end', flexWrap: 'wrap' },
  flagged: { borderLeft: `4px solid ${tokens.colorPaletteRedBorder2}` },
});

export function Offer({
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

export const SessionItem = memo(function SessionItem({
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

/** The header's availability controls: duty, the services the agent is active in, Teams presence and RONA. */
import { Badge, Button, Switch, Text } from '@fluentui/react-components';
import type { AgentMe } from '../../../shared/contract/api';
import type { AgentApi } from '../api';
import type { State } from '../state';
import { PRESENCE_LABEL } from '../ui/text';

export function Availability({
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

/**
 * How a service offers its chats: policy, offer timeout (RONA), capacity, availability, priority,
 * queue time, and the service-level threshold its Reports count against.
 */
import { Select, Switch } from '@fluentui/react-components';
import {
  DEFAULT_SERVICE_LEVEL_SEC,
  DISTRIBUTION_TYPES,
  PRIORITIES,
  type DistributionSettings,
  type DistributionType,
  type Priority,
} from '@stratus/shared/tenant/model';
import { NumberInput } from '../NumberInput';
import { ProblemField } from '../ProblemsContext';
import { useFormStyles } from './form.styles';
import type { ServiceTabProps } from './types';

const TYPE_INFO: Record<DistributionType, string> = {
  direct: 'Offers each chat to the available member who has been idle the longest.',
  broadcast: 'Offers each chat to several available members at once; the first to accept gets it.',
  roundRobin: 'Offers chats to the members in turn, in member order.',
  mostAvailable: 'Offers each chat to the member with the most free capacity; ties go to the longest idle.',
};
const TYPE_LABEL: Record<DistributionType, string> = {
  direct: 'Direct (longest idle)',
  broadcast: 'Broadcast',
  roundRobin: 'Round robin',
  mostAvailable: 'Most available',
};
const PRIORITY_LABEL: Record<Priority, string> = { low: 'Low', normal: 'Normal', high: 'High', strict: 'Strict (always first)' };

export function DistributionTab({ service, path, onChange }: ServiceTabProps) {
  const s = useFormStyles();
  const d = service.im.distribution;
  const p = `${path}.im.distribution`;
  const set = (patch: Partial<DistributionSettings>) =>
    onChange((x) => ({ ...x, im: { ...x.im, distribution: { ...x.im.distribution, ...patch } } }));
  return (
    <div className={s.form}>
      <ProblemField label="Distribution" path={`${p}.type`} hint={TYPE_INFO[d.type]}>
        <Select value={d.type} onChange={(_e, v) => set({ type: v.value as DistributionType })}>
          {DISTRIBUTION_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABEL[t]}
            </option>
          ))}
        </Select>
      </ProblemField>
      {d.type === 'broadcast' && (
        <ProblemField label="Members offered at once" path={`${p}.broadcastSize`} hint="1 to 50.">
          <NumberInput value={d.broadcastSize} min={1} max={50} onValue={(n) => set({ broadcastSize: n })} />
        </ProblemField>
      )}
      <div className={s.row}>
        <ProblemField
          className={s.grow}
          label="Offer timeout (RONA), seconds"
          path={`${p}.offerTimeoutSec`}
          hint="How long an offer waits for an answer before it goes to someone else (5 to 600)."
        >
          <NumberInput value={d.offerTimeoutSec} min={5} max={600} onValue={(n) => set({ offerTimeoutSec: n })} />
        </ProblemField>
        <ProblemField
          className={s.grow}
          label="Capacity: chats at once per member"
          path={`${p}.maxConcurrentIm`}
          hint="Offered and connected chats of this service (1 to 20)."
        >
          <NumberInput value={d.maxConcurrentIm} min={1} max={100} onValue={(n) => set({ maxConcurrentIm: n })} />
        </ProblemField>
      </div>
      <ProblemField label="Members in Busy count as available" path={`${p}.busyIsAvailable`}>
        <Switch checked={d.busyIsAvailable} onChange={(_e, v) => set({ busyIsAvailable: v.checked })} />
      </ProblemField>
      <ProblemField label="Members in Away count as available" path={`${p}.awayIsAvailable`}>
        <Switch checked={d.awayIsAvailable} onChange={(_e, v) => set({ awayIsAvailable: v.checked })} />
      </ProblemField>
      <ProblemField label="Default priority" path={`${p}.defaultPriority`} hint="The workflow may change a chat's priority.">
        <Select value={d.defaultPriority} onChange={(_e, v) => set({ defaultPriority: v.value as Priority })}>
          {PRIORITIES.map((x) => (
            <option key={x} value={x}>
              {PRIORITY_LABEL[x]}
            </option>
          ))}
        </Select>
      </ProblemField>
      <ProblemField
        label="Persistent RONA"
        path={`${p}.persistentRona`}
        hint="A member who declines or misses an offer gets no further offers until the reset time has passed or they reset it."
      >
        <Switch
          checked={d.persistentRona.enabled}
          onChange={(_e, v) => set({ persistentRona: { ...d.persistentRona, enabled: v.checked } })}
        />
      </ProblemField>
      {d.persistentRona.enabled && (
        <ProblemField label="RONA reset after, seconds" path={`${p}.persistentRona.resetSec`} hint="10 s to 8 h (28800).">
          <NumberInput
            value={d.persistentRona.resetSec}
            min={10}
            max={28800}
            onValue={(n) => set({ persistentRona: { ...d.persistentRona, resetSec: n } })}
          />
        </ProblemField>
      )}
      <ProblemField
        label="Longest time in the queue, seconds"
        path={`${p}.maxQueueTimeSec`}
        hint="A chat still waiting after this leaves the queue through the workflow's timeout exit."
      >
        <NumberInput value={d.maxQueueTimeSec} min={10} max={604800} onValue={(n) => set({ maxQueueTimeSec: n })} />
      </ProblemField>
      <ProblemField
        label="Service level: answered within, seconds"
        path={`${path}.im.serviceLevelSec`}
        hint="A chat accepted within this time of entering the queue counts as answered in time in Reports (1 to 3600; 20 by default)."
      >
        <NumberInput
          value={service.im.serviceLevelSec ?? DEFAULT_SERVICE_LEVEL_SEC}
          min={1}
          max={3600}
          onValue={(n) => onChange((x) => ({ ...x, im: { ...x.im, serviceLevelSec: n } }))}
        />
      </ProblemField>
    </div>
  );
}

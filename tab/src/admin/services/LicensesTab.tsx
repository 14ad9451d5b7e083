/** A service's licenses, whether IM is on, and its IM workflow; each rule said where it applies. */
import { Checkbox, Select, Switch, Text } from '@fluentui/react-components';
import type { ServiceLicense } from '@stratus/shared/tenant/model';
import { ProblemGroup } from '../ProblemGroup';
import { ProblemField } from '../ProblemsContext';
import { ChannelStatus } from './ChannelStatus';
import { SERVICE_LICENSE_INFO } from './licensing';
import { ReadOnlyNote } from './ReadOnlyNote';
import { useFormStyles } from './form.styles';
import type { ServiceTabProps } from './types';

const LICENSES: ServiceLicense[] = ['contactCenter', 'interact'];

export function LicensesTab({ service, path, onChange, readOnly, ctx }: ServiceTabProps) {
  const s = useFormStyles();
  const hasCc = service.licenses.includes('contactCenter');
  const toggle = (l: ServiceLicense, on: boolean) =>
    onChange((x) => ({ ...x, licenses: on ? [...new Set([...x.licenses, l])] : x.licenses.filter((y) => y !== l) }));
  const workflows = ctx.workflows.some((w) => w.id === service.im.workflowId)
    ? ctx.workflows
    : [...ctx.workflows, ...(service.im.workflowId ? [{ id: service.im.workflowId, name: service.im.workflowId }] : [])];
  return (
    <div className={s.form}>
      {readOnly && <ReadOnlyNote />}
      <ProblemGroup label="Service licenses" path={`${path}.licenses`}>
        <ul className={s.list}>
          {LICENSES.map((l) => (
            <li key={l}>
              <Checkbox
                label={SERVICE_LICENSE_INFO[l].label}
                checked={service.licenses.includes(l)}
                disabled={readOnly}
                onChange={(_e, d) => toggle(l, d.checked === true)}
              />
              <Text block size={200} className={s.note}>
                {SERVICE_LICENSE_INFO[l].enables}
              </Text>
            </li>
          ))}
        </ul>
      </ProblemGroup>
      <ProblemField
        label="Instant Messaging"
        path={`${path}.im.enabled`}
        hint={hasCc ? 'Customers reach the service through its IM workflow.' : 'Needs the Contact Center service license.'}
      >
        <Switch
          label={service.im.enabled ? 'On' : 'Off'}
          checked={service.im.enabled}
          disabled={readOnly || (!hasCc && !service.im.enabled)}
          onChange={(_e, d) => onChange((x) => ({ ...x, im: { ...x.im, enabled: d.checked } }))}
        />
      </ProblemField>
      <ProblemField label="IM workflow" path={`${path}.im.workflowId`} hint="What a customer goes through before reaching an agent.">
        <Select
          value={service.im.workflowId}
          disabled={readOnly}
          onChange={(_e, d) => onChange((x) => ({ ...x, im: { ...x.im, workflowId: d.value } }))}
        >
          <option value="">None</option>
          {workflows.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name} ({w.id})
            </option>
          ))}
        </Select>
      </ProblemField>
      <ChannelStatus service={service} />
    </div>
  );
}

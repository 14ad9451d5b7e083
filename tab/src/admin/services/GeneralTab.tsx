/** A service's name, id, owners and supervisors, and deleting it (admins). */
import { Button, Input, Text } from '@fluentui/react-components';
import { ProblemField } from '../ProblemsContext';
import { ReadOnlyNote } from './ReadOnlyNote';
import { UserPicker } from './UserPicker';
import { useFormStyles } from './form.styles';
import type { ServiceTabProps } from './types';

export function GeneralTab({
  service,
  path,
  onChange,
  readOnly,
  ctx,
  isNew,
  onDelete,
}: ServiceTabProps & { isNew: boolean; onDelete?: () => void }) {
  const s = useFormStyles();
  return (
    <div className={s.form}>
      {readOnly && <ReadOnlyNote />}
      <ProblemField label="Name" path={`${path}.name`} required>
        <Input value={service.name} readOnly={readOnly} onChange={(_e, d) => onChange((x) => ({ ...x, name: d.value }))} />
      </ProblemField>
      <ProblemField
        label="Id"
        path={`${path}.id`}
        hint={isNew ? 'Lowercase letters, digits, "-" and "_". It cannot be changed once saved.' : 'The id cannot be changed once saved.'}
      >
        <Input value={service.id} readOnly={readOnly || !isNew} onChange={(_e, d) => onChange((x) => ({ ...x, id: d.value }))} />
      </ProblemField>
      <ProblemField
        label="Owners"
        path={`${path}.owners`}
        hint="Owners change this service's members, opening hours, Interact and distribution, and read its reporting."
      >
        <UserPicker
          users={ctx.users}
          disabled={readOnly}
          value={service.owners ?? []}
          onChange={(ids) => onChange(({ owners: _o, ...x }) => (ids.length ? { ...x, owners: ids } : x))}
        />
      </ProblemField>
      <ProblemField
        label="Supervisors"
        path={`${path}.supervisors`}
        hint="Supervisors watch this service's queue, agents and chats live, and read its reports."
      >
        <UserPicker
          users={ctx.users}
          disabled={readOnly}
          value={service.supervisors ?? []}
          onChange={(ids) => onChange(({ supervisors: _s, ...x }) => (ids.length ? { ...x, supervisors: ids } : x))}
        />
      </ProblemField>
      {onDelete && !readOnly && (
        <div>
          <Button onClick={onDelete}>Delete service</Button>{' '}
          <Text size={200} className={s.note}>
            Takes effect when you save. A service with open chats cannot be deleted.
          </Text>
        </div>
      )}
    </div>
  );
}

/** Picks several of the tenant's users (owners, supervisors, admins); by id when the list is not readable. */
import { Combobox, Input, Option } from '@fluentui/react-components';
import type { UserConfig } from '@stratus/shared/tenant/model';

export function UserPicker({
  users,
  value,
  onChange,
  disabled,
  ...aria
}: {
  users: UserConfig[] | undefined;
  value: readonly string[];
  onChange: (ids: string[]) => void;
  disabled?: boolean;
  'aria-describedby'?: string;
}) {
  if (!users)
    return (
      <Input
        {...aria}
        disabled={disabled}
        value={value.join(', ')}
        placeholder="user ids, separated by commas"
        onChange={(_e, d) =>
          onChange(
            d.value
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
          )
        }
      />
    );
  const name = (id: string) => users.find((u) => u.id === id)?.displayName ?? id;
  return (
    <Combobox
      {...aria}
      multiselect
      disabled={disabled}
      placeholder="Nobody"
      value={value.map(name).join(', ')}
      selectedOptions={[...value]}
      onOptionSelect={(_e, d) => onChange(d.selectedOptions)}
    >
      {users.map((u) => (
        <Option key={u.id} value={u.id} text={u.displayName}>
          {`${u.displayName} (${u.upn})`}
        </Option>
      ))}
    </Combobox>
  );
}

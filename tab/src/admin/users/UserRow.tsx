/** One tenant user: name, UPN, licenses, tenant admin, Remove; with the problems of that user. */
import { Button, Checkbox, TableCell, TableRow, Text } from '@fluentui/react-components';
import type { UserConfig, UserLicense } from '@stratus/shared/tenant/model';
import { messageOf, useProblems } from '../ProblemsContext';
import { USER_LICENSE_INFO } from '../services/licensing';
import { useFormStyles } from '../services/form.styles';

const LICENSES: UserLicense[] = ['im', 'interactUser'];

export function UserRow(p: {
  user: UserConfig;
  index: number;
  admin: boolean;
  adminIndex: number;
  onLicense: (l: UserLicense, on: boolean) => void;
  onAdmin: (on: boolean) => void;
  onRemove: () => void;
}) {
  const s = useFormStyles();
  const u = p.user;
  const own = useProblems(`users[${p.index}]`);
  // Not an admin: a path no problem has.
  const asAdmin = useProblems(p.adminIndex >= 0 ? `admins[${p.adminIndex}]` : '=\u0000');
  const problem = messageOf([...own, ...asAdmin]);
  return (
    <TableRow>
      <TableCell>
        <Text weight="semibold">{u.displayName}</Text>
        <Text block size={200} className={s.note}>
          {u.upn}
          {u.entraObjectId ? '' : ' · not linked to Entra ID yet'}
        </Text>
        {problem && (
          <Text block size={200} className={s.danger}>
            {problem}
          </Text>
        )}
      </TableCell>
      {LICENSES.map((l) => (
        <TableCell key={l}>
          <Checkbox
            checked={u.licenses.includes(l)}
            aria-label={`${u.displayName}: ${USER_LICENSE_INFO[l].label}`}
            onChange={(_e, d) => p.onLicense(l, d.checked === true)}
          />
        </TableCell>
      ))}
      <TableCell>
        <Checkbox checked={p.admin} aria-label={`${u.displayName}: tenant admin`} onChange={(_e, d) => p.onAdmin(d.checked === true)} />
      </TableCell>
      <TableCell>
        <Button size="small" onClick={p.onRemove} aria-label={`Remove ${u.displayName}`}>
          Remove
        </Button>
      </TableCell>
    </TableRow>
  );
}

/** One member of a service: name, Active switch, license note and problems, Remove. */
import { Button, Switch, TableCell, TableRow, Text } from '@fluentui/react-components';
import { messageOf, useProblems } from '../ProblemsContext';
import { useFormStyles } from './form.styles';

export function MemberRow(p: {
  path: string;
  name: string;
  upn: string | undefined;
  licenseNote: string | undefined;
  active: boolean;
  onActive: (a: boolean) => void;
  onRemove: () => void;
}) {
  const s = useFormStyles();
  const problem = messageOf(useProblems(p.path));
  return (
    <TableRow>
      <TableCell>
        {p.name}
        {p.upn && (
          <Text block size={200} className={s.note}>
            {p.upn}
          </Text>
        )}
      </TableCell>
      <TableCell>
        <Switch checked={p.active} aria-label={`${p.name} active`} onChange={(_e, d) => p.onActive(d.checked)} />
      </TableCell>
      <TableCell>
        {p.licenseNote && <Text className={s.danger}>{p.licenseNote}</Text>}
        {problem && <Text className={s.danger}> {problem}</Text>}
      </TableCell>
      <TableCell>
        <Button size="small" onClick={p.onRemove} aria-label={`Remove ${p.name}`}>
          Remove
        </Button>
      </TableCell>
    </TableRow>
  );
}

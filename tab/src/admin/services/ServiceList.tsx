/** The services as a table: name, IM, channels, members; opening one edits it. */
import { Badge, Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import type { AdminServiceEntry } from '@stratus/shared/contract/admin';
import { CHANNEL_LABEL } from './licensing';
import { useFormStyles } from './form.styles';

export function ServiceList({ services, onOpen }: { services: AdminServiceEntry[]; onOpen: (id: string, index: number) => void }) {
  const s = useFormStyles();
  if (services.length === 0) return <Text className={s.note}>No services yet.</Text>;
  return (
    <Table aria-label="Services">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Service</TableHeaderCell>
          <TableHeaderCell>Instant Messaging</TableHeaderCell>
          <TableHeaderCell>Channels</TableHeaderCell>
          <TableHeaderCell>Members</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {services.map((x, i) => (
          <TableRow key={`${i}-${x.id}`}>
            <TableCell>
              <Link as="button" onClick={() => onOpen(x.id, i)} aria-label={`Edit ${x.name || x.id}`}>
                {x.name || x.id}
              </Link>{' '}
              {x.access === 'owner' && (
                <Badge appearance="outline" color="informative">
                  owner
                </Badge>
              )}
            </TableCell>
            <TableCell>{x.imEnabled ? 'On' : 'Off'}</TableCell>
            <TableCell>
              {x.channels.length === 0 ? (
                <Text className={s.note}>None</Text>
              ) : (
                <span className={s.badges}>
                  {x.channels.map((c) => (
                    <Badge key={c} appearance="tint" color="brand">
                      {CHANNEL_LABEL[c]}
                    </Badge>
                  ))}
                </span>
              )}
            </TableCell>
            <TableCell>{x.members}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The agents board: each member of the watched services, what they are doing and since when. */
import {
  Badge,
  Card,
  CardHeader,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  mergeClasses,
} from '@fluentui/react-components';
import type { SupervisorAgent } from '@stratus/shared/contract/supervisor';
import { PRESENCE_LABEL } from '../ui/text';
import { STATE_COLOR, STATE_LABEL } from './live';
import { duration } from './reports';
import { useSupervisorStyles } from './styles';

export function AgentsBoard(props: { agents: SupervisorAgent[] | undefined; now: number; serviceName: (id: string) => string }) {
  const s = useSupervisorStyles();
  const { agents, now } = props;
  const available = agents?.filter((a) => a.state === 'available').length ?? 0;
  return (
    <Card className={mergeClasses(s.card, s.wide)} aria-labelledby="agents-h">
      <CardHeader
        header={<h2 id="agents-h" className={s.cardTitle}>{`Agents (${agents?.length ?? 0})`}</h2>}
        description={agents ? <Text className={s.muted}>{`${available} available now`}</Text> : undefined}
      />
      {!agents ? (
        <Text className={s.muted}>Loading the agents…</Text>
      ) : agents.length === 0 ? (
        <Text className={s.muted}>These services have no members.</Text>
      ) : (
        <div className={s.scroll}>
          <Table size="small" aria-labelledby="agents-h">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Agent</TableHeaderCell>
                <TableHeaderCell>State</TableHeaderCell>
                <TableHeaderCell>Presence</TableHeaderCell>
                <TableHeaderCell>Chats</TableHeaderCell>
                <TableHeaderCell>In state for</TableHeaderCell>
                <TableHeaderCell>Services (Active)</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {agents.map((a) => (
                <TableRow key={a.userId}>
                  <TableCell>
                    <Text weight="semibold">{a.displayName}</Text>
                  </TableCell>
                  <TableCell>
                    <Badge appearance="filled" color={STATE_COLOR[a.state]}>
                      {STATE_LABEL[a.state]}
                    </Badge>
                  </TableCell>
                  <TableCell>
                    {PRESENCE_LABEL[a.presence] ?? a.presence}
                    {a.inBlockingCall && <Text className={s.muted}> · in a call</Text>}
                  </TableCell>
                  <TableCell className={s.numeric}>
                    {a.sessions}/{a.capacity}
                    {a.offers > 0 && <Text className={s.muted}>{` +${a.offers} offered`}</Text>}
                  </TableCell>
                  <TableCell className={s.numeric}>{a.stateSince ? duration((now - Date.parse(a.stateSince)) / 1000) : '–'}</TableCell>
                  <TableCell>
                    <div className={s.actions}>
                      {a.services.map((x) => (
                        <Badge key={x.id} appearance={x.active ? 'tint' : 'outline'} color={x.active ? 'brand' : 'subtle'}>
                          {`${props.serviceName(x.id)}: ${x.active ? 'Active' : 'not Active'}`}
                        </Badge>
                      ))}
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </Card>
  );
}

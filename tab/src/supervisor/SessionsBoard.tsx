/** The open sessions of the watched services; choosing one opens the monitor pane. */
import {
  Badge,
  Button,
  Card,
  CardHeader,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import type { SupervisedSession } from '@stratus/shared/contract/supervisor';
import { CHANNEL_LABEL } from '../state';
import { duration } from './reports';
import { visuallyHidden } from '../ui/text';
import { useSupervisorStyles } from './styles';

export function SessionsBoard(props: {
  sessions: SupervisedSession[] | undefined;
  selected: string | undefined;
  now: number;
  showService: boolean;
  serviceName: (id: string) => string;
  onSelect: (id: string) => void;
}) {
  const s = useSupervisorStyles();
  const { sessions, now } = props;
  return (
    <Card className={s.card} aria-labelledby="sessions-h">
      <CardHeader header={<h2 id="sessions-h" className={s.cardTitle}>{`Open chats (${sessions?.length ?? 0})`}</h2>} />
      {!sessions ? (
        <Text className={s.muted}>Loading the chats…</Text>
      ) : sessions.length === 0 ? (
        <Text className={s.muted}>No chat is open right now.</Text>
      ) : (
        <div className={s.scroll}>
          <Table size="small" aria-labelledby="sessions-h">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Customer</TableHeaderCell>
                <TableHeaderCell>Agent</TableHeaderCell>
                <TableHeaderCell>Since</TableHeaderCell>
                <TableHeaderCell style={{ width: 96 }}>
                  <span style={visuallyHidden}>Monitor</span>
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sessions.map((x) => {
                const selected = x.id === props.selected;
                return (
                  <TableRow key={x.id} className={selected ? s.selectedRow : undefined}>
                    <TableCell>
                      <Text weight="semibold">{x.customer.displayName}</Text>{' '}
                      <Badge appearance="tint" size="small">
                        {CHANNEL_LABEL[x.channel] ?? x.channel}
                      </Badge>
                      {props.showService && <Text className={s.muted}> · {props.serviceName(x.serviceId)}</Text>}
                    </TableCell>
                    <TableCell>{x.agentName}</TableCell>
                    <TableCell className={s.numeric}>{duration((now - Date.parse(x.acceptedAt ?? x.startedAt)) / 1000)}</TableCell>
                    <TableCell>
                      <Button
                        size="small"
                        appearance={selected ? 'primary' : 'secondary'}
                        aria-pressed={selected}
                        aria-label={`Monitor the chat with ${x.customer.displayName}`}
                        onClick={() => props.onSelect(x.id)}
                      >
                        Monitor
                      </Button>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
    </Card>
  );
}

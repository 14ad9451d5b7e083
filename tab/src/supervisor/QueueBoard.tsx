/** The queue board: the waiting chats in their order, waiting time ticking, and what a supervisor can do to one. */
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
  mergeClasses,
} from '@fluentui/react-components';
import type { SupervisorQueueTask } from '@stratus/shared/contract/supervisor';
import { CHANNEL_LABEL } from '../state';
import { higherPriority, PRIORITY_LABEL, waitedSec } from './live';
import { duration } from './reports';
import { useSupervisorStyles } from './styles';

export function QueueBoard(props: {
  tasks: SupervisorQueueTask[] | undefined;
  receivedAt: number;
  now: number;
  thresholds: ReadonlyMap<string, number>;
  serviceName: (id: string) => string;
  showService: boolean;
  onRaise: (t: SupervisorQueueTask) => void;
  onMove: (t: SupervisorQueueTask) => void;
}) {
  const s = useSupervisorStyles();
  const { tasks, receivedAt, now, thresholds } = props;
  return (
    <Card className={s.card} aria-labelledby="queue-h">
      <CardHeader header={<h2 id="queue-h" className={s.cardTitle}>{`Queue (${tasks?.length ?? 0})`}</h2>} />
      {!tasks ? (
        <Text className={s.muted}>Loading the queue…</Text>
      ) : tasks.length === 0 ? (
        <Text className={s.muted}>Nobody is waiting.</Text>
      ) : (
        <div className={s.scroll}>
          <Table size="small" aria-labelledby="queue-h">
            <TableHeader>
              <TableRow>
                <TableHeaderCell style={{ width: 44 }}>#</TableHeaderCell>
                <TableHeaderCell>Customer</TableHeaderCell>
                <TableHeaderCell style={{ width: 90 }}>Waiting</TableHeaderCell>
                <TableHeaderCell style={{ width: 90 }}>Priority</TableHeaderCell>
                <TableHeaderCell style={{ width: 170 }}>Actions</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {tasks.map((t) => {
                const waited = waitedSec(t, receivedAt, now);
                const late = waited >= (thresholds.get(t.serviceId) ?? 20);
                const up = higherPriority(t.priority);
                const waiting = t.state !== 'workflow';
                return (
                  <TableRow key={t.id}>
                    <TableCell className={s.numeric}>{t.position ?? '–'}</TableCell>
                    <TableCell>
                      <Text weight="semibold">{t.customer.displayName}</Text>{' '}
                      <Badge appearance="tint" size="small">
                        {CHANNEL_LABEL[t.channel] ?? t.channel}
                      </Badge>
                      {props.showService && <Text className={s.muted}> · {props.serviceName(t.serviceId)}</Text>}
                      {t.state === 'workflow' && <Text className={s.muted}> · in the workflow</Text>}
                      {t.state === 'offered' && <Text className={s.muted}> · being offered</Text>}
                      {t.firstMessage && <div className={s.first}>{t.firstMessage}</div>}
                    </TableCell>
                    <TableCell className={mergeClasses(s.numeric, late && s.late)}>
                      {duration(waited)}
                      {late && <span className={s.muted}> (over {thresholds.get(t.serviceId) ?? 20} s)</span>}
                    </TableCell>
                    <TableCell>
                      <Badge
                        appearance={t.priority === 'normal' ? 'outline' : 'filled'}
                        color={t.priority === 'strict' || t.priority === 'high' ? 'danger' : 'informative'}
                      >
                        {PRIORITY_LABEL[t.priority]}
                      </Badge>
                    </TableCell>
                    <TableCell>
                      <div className={s.actions}>
                        <Button
                          size="small"
                          disabled={!up || !waiting}
                          aria-label={`Raise the priority of ${t.customer.displayName}'s chat`}
                          onClick={() => props.onRaise(t)}
                        >
                          Raise
                        </Button>
                        <Button
                          size="small"
                          disabled={!waiting}
                          aria-label={`Move ${t.customer.displayName}'s chat to another service`}
                          onClick={() => props.onMove(t)}
                        >
                          Move…
                        </Button>
                      </div>
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

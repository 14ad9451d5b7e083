/** Opening hours of every service at a glance: time zone, week, open now, the next holidays. */
import {
  Badge,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title3,
} from '@fluentui/react-components';
import type { ServiceConfig } from '@stratus/shared/tenant/model';
import { hoursAt } from '@stratus/shared/workflow/activities/check-opening-hours';
import { isTimeZone } from '@stratus/shared/tenant/validate';
import { summarizeWeek, upcoming } from '../services/hours';
import { useFormStyles } from '../services/form.styles';

function nowState(s: ServiceConfig, now: number): { text: string; color: 'success' | 'danger' | 'warning' } {
  if (!isTimeZone(s.openingHours.timeZone)) return { text: 'unknown time zone', color: 'warning' };
  const h = hoursAt(s.openingHours, now);
  if (h.state === 'open') return { text: 'Open now', color: 'success' };
  if (h.state === 'holiday') return { text: `Closed: ${h.name}`, color: 'warning' };
  return { text: 'Closed now', color: 'danger' };
}

export function CalendarsSection({ services, onEdit }: { services: ServiceConfig[]; onEdit: (index: number) => void }) {
  const s = useFormStyles();
  const now = Date.now();
  const today = new Date(now).toISOString().slice(0, 10);
  return (
    <>
      <Title3 as="h2">Calendars</Title3>
      <Text>Each service's opening hours. The workflow's opening-hours check closes the chat outside them.</Text>
      <Table aria-label="Opening hours by service">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Service</TableHeaderCell>
            <TableHeaderCell>Time zone</TableHeaderCell>
            <TableHeaderCell>Week</TableHeaderCell>
            <TableHeaderCell>Now</TableHeaderCell>
            <TableHeaderCell>Next holidays and exceptions</TableHeaderCell>
            <TableHeaderCell>
              <span className={s.srOnly}>Actions</span>
            </TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {services.map((x, i) => {
            const state = nowState(x, now);
            const next = upcoming(x.openingHours, today).slice(0, 3);
            return (
              <TableRow key={`${i}-${x.id}`}>
                <TableCell>{x.name}</TableCell>
                <TableCell>{x.openingHours.timeZone}</TableCell>
                <TableCell>{summarizeWeek(x.openingHours.weekly)}</TableCell>
                <TableCell>
                  <Badge appearance="tint" color={state.color}>
                    {state.text}
                  </Badge>
                </TableCell>
                <TableCell>
                  {next.length === 0 ? (
                    <Text className={s.note}>None</Text>
                  ) : (
                    next.map((e) => (
                      <Text block key={`${e.date}-${e.name}`}>
                        {e.date} {e.name}
                        {e.kind === 'open' ? ` (${(e.hours ?? []).map((r) => `${r.from}–${r.to}`).join(', ')})` : ' (closed)'}
                      </Text>
                    ))
                  )}
                </TableCell>
                <TableCell>
                  <Button size="small" onClick={() => onEdit(i)} aria-label={`Edit the hours of ${x.name}`}>
                    Edit hours
                  </Button>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </>
  );
}

/** The weekly hours as one row per day (Monday first), each with its time ranges; a day without any is closed. */
import { Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import type { WeeklyHours } from '@stratus/shared/tenant/model';
import { DAY_NAMES, WEEK_ORDER } from './hours';
import { TimeRange } from './TimeRange';
import { useFormStyles } from './form.styles';

export function WeeklyGrid({
  weekly,
  path,
  onChange,
}: {
  weekly: WeeklyHours[];
  /** `services[1].openingHours.weekly` */
  path: string;
  onChange: (next: WeeklyHours[]) => void;
}) {
  const s = useFormStyles();
  const set = (i: number, patch: Partial<WeeklyHours>) => onChange(weekly.map((w, j) => (j === i ? { ...w, ...patch } : w)));
  return (
    <Table size="small" aria-label="Weekly hours">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Day</TableHeaderCell>
          <TableHeaderCell>Open</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {WEEK_ORDER.map((day) => {
          const ranges = weekly.map((w, i) => ({ w, i })).filter((x) => x.w.day === day);
          return (
            <TableRow key={day}>
              <TableCell>{DAY_NAMES[day]}</TableCell>
              <TableCell>
                <ul className={s.list}>
                  {ranges.map(({ w, i }) => (
                    <TimeRange
                      key={i}
                      label={DAY_NAMES[day]}
                      path={`${path}[${i}]`}
                      from={w.from}
                      to={w.to}
                      onFrom={(from) => set(i, { from })}
                      onTo={(to) => set(i, { to })}
                      onRemove={() => onChange(weekly.filter((_x, j) => j !== i))}
                    />
                  ))}
                  {ranges.length === 0 && <Text className={s.note}>Closed</Text>}
                </ul>
                <Button size="small" appearance="subtle" onClick={() => onChange([...weekly, { day, from: '09:00', to: '17:00' }])}>
                  Add hours on {DAY_NAMES[day]}
                </Button>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

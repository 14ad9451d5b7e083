/** Holidays and other days with their own hours, each a row: date, name, closed or open with ranges. */
import { Button, Text } from '@fluentui/react-components';
import type { CalendarException } from '@stratus/shared/tenant/model';
import { ExceptionRow } from './ExceptionRow';
import { useFormStyles } from './form.styles';

export function ExceptionsList({
  exceptions,
  path,
  onChange,
}: {
  exceptions: CalendarException[];
  /** `services[1].openingHours.exceptions` */
  path: string;
  onChange: (next: CalendarException[]) => void;
}) {
  const s = useFormStyles();
  const set = (i: number, next: CalendarException) => onChange(exceptions.map((e, j) => (j === i ? next : e)));
  return (
    <div className={s.form}>
      <ul className={s.list} aria-label="Holidays and exceptions">
        {exceptions.map((e, i) => (
          <ExceptionRow
            key={i}
            e={e}
            path={`${path}[${i}]`}
            onChange={(next) => set(i, next)}
            onRemove={() => onChange(exceptions.filter((_x, j) => j !== i))}
          />
        ))}
      </ul>
      {exceptions.length === 0 && <Text className={s.note}>No holidays or exceptions.</Text>}
      <div>
        <Button onClick={() => onChange([...exceptions, { date: '', name: '', kind: 'holiday' }])}>Add a holiday or exception</Button>
      </div>
    </div>
  );
}

/** One holiday or exception: date, name, closed all day or open with its own ranges. */
import { Button, Input, Select, Text } from '@fluentui/react-components';
import type { CalendarException } from '@stratus/shared/tenant/model';
import { messageOf, useProblems } from '../ProblemsContext';
import { TimeRange } from './TimeRange';
import { useFormStyles } from './form.styles';

export function ExceptionRow({
  e,
  path,
  onChange,
  onRemove,
}: {
  e: CalendarException;
  path: string;
  onChange: (next: CalendarException) => void;
  onRemove: () => void;
}) {
  const s = useFormStyles();
  const own = messageOf(
    useProblems(`=${path}`).concat(
      useProblems(`${path}.date`),
      useProblems(`${path}.name`),
      useProblems(`${path}.kind`),
      useProblems(`=${path}.hours`),
    ),
  );
  const label = e.name || e.date || 'New exception';
  const hours = e.hours ?? [];
  const setHours = (next: { from: string; to: string }[]) => onChange({ ...e, hours: next });
  return (
    <li>
      <div className={s.row}>
        <Input type="date" value={e.date} aria-label={`${label}: date`} onChange={(_x, d) => onChange({ ...e, date: d.value })} />
        <Input
          value={e.name}
          placeholder="Name, e.g. Christmas"
          aria-label={`${label}: name`}
          onChange={(_x, d) => onChange({ ...e, name: d.value })}
        />
        <Select
          value={e.kind}
          aria-label={`${label}: closed or open`}
          onChange={(_x, d) =>
            d.value === 'open'
              ? onChange({ ...e, kind: 'open', hours: hours.length ? hours : [{ from: '09:00', to: '13:00' }] })
              : onChange({ date: e.date, name: e.name, kind: 'holiday' })
          }
        >
          <option value="holiday">Closed all day</option>
          <option value="open">Open with other hours</option>
        </Select>
        <Button onClick={onRemove} aria-label={`Remove ${label}`}>
          Remove
        </Button>
      </div>
      {own && (
        <Text size={200} className={s.danger}>
          {own}
        </Text>
      )}
      {e.kind === 'open' && (
        <ul className={s.list}>
          {hours.map((h, j) => (
            <TimeRange
              key={j}
              label={label}
              path={`${path}.hours[${j}]`}
              from={h.from}
              to={h.to}
              onFrom={(from) => setHours(hours.map((x, k) => (k === j ? { ...x, from } : x)))}
              onTo={(to) => setHours(hours.map((x, k) => (k === j ? { ...x, to } : x)))}
              onRemove={() => setHours(hours.filter((_x, k) => k !== j))}
            />
          ))}
          <li>
            <Button size="small" appearance="subtle" onClick={() => setHours([...hours, { from: '14:00', to: '17:00' }])}>
              Add hours on {label}
            </Button>
          </li>
        </ul>
      )}
    </li>
  );
}

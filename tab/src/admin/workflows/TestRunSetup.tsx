/** The simulated world of a test run: service, time, opening hours, agents, queue position, customer. */
import { Field, Input, Select } from '@fluentui/react-components';
import type { ServiceConfig } from '../../../../shared/tenant/model';
import type { HoursMode } from './simulation';
import { useTestRunStyles } from './TestRunPanel.styles';

export interface SetupValues {
  /** '' for the stand-in service. */
  serviceId: string;
  /** `datetime-local` value, the browser's time zone. */
  time: string;
  hours: HoursMode;
  available: number;
  busy: number;
  queuePosition: number;
  customerName: string;
}

const HOURS: { value: HoursMode; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'closed', label: 'Closed' },
  { value: 'holiday', label: 'Holiday' },
  { value: 'calendar', label: "The service's calendar at that time" },
];

/** A `datetime-local` value for a time, in the browser's zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const count = (v: string, min: number) => Math.max(min, Math.floor(Number(v) || 0));

export function TestRunSetup({
  value,
  services,
  onChange,
}: {
  value: SetupValues;
  services: readonly ServiceConfig[];
  onChange(v: SetupValues): void;
}) {
  const styles = useTestRunStyles();
  const set = <K extends keyof SetupValues>(key: K, v: SetupValues[K]) => onChange({ ...value, [key]: v });
  return (
    <fieldset className={styles.setup}>
      <legend className={styles.legend}>Simulated situation</legend>
      <Field label="Service" className={styles.wide}>
        <Select value={value.serviceId} onChange={(_, d) => set('serviceId', d.value)}>
          <option value="">A test service</option>
          {services.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Time">
        <Input
          className={styles.input}
          input={{ className: styles.inputEl }}
          type="datetime-local"
          value={value.time}
          onChange={(_, d) => set('time', d.value)}
        />
      </Field>
      <Field label="Opening hours">
        <Select
          className={styles.input}
          select={{ className: styles.inputEl }}
          value={value.hours}
          onChange={(_, d) => set('hours', d.value as HoursMode)}
        >
          {HOURS.map((h) => (
            <option key={h.value} value={h.value} disabled={h.value === 'calendar' && value.serviceId === ''}>
              {h.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Agents available">
        <Input
          className={styles.input}
          input={{ className: styles.inputEl }}
          type="number"
          min={0}
          value={String(value.available)}
          onChange={(_, d) => set('available', count(d.value, 0))}
        />
      </Field>
      <Field label="Agents busy">
        <Input
          className={styles.input}
          input={{ className: styles.inputEl }}
          type="number"
          min={0}
          value={String(value.busy)}
          onChange={(_, d) => set('busy', count(d.value, 0))}
        />
      </Field>
      <Field label="Queue position">
        <Input
          className={styles.input}
          input={{ className: styles.inputEl }}
          type="number"
          min={1}
          value={String(value.queuePosition)}
          onChange={(_, d) => set('queuePosition', count(d.value, 1))}
        />
      </Field>
      <Field label="Customer name">
        <Input
          className={styles.input}
          input={{ className: styles.inputEl }}
          value={value.customerName}
          onChange={(_, d) => set('customerName', d.value)}
        />
      </Field>
    </fieldset>
  );
}

/** A service's opening hours: time zone, weekly grid, holidays and exceptions. */
import { Button, Input, Text } from '@fluentui/react-components';
import type { OpeningHours } from '@stratus/shared/tenant/model';
import { ProblemGroup } from '../ProblemGroup';
import { ProblemField } from '../ProblemsContext';
import { ExceptionsList } from './ExceptionsList';
import { PRESETS, summarizeWeek, timeZones } from './hours';
import { WeeklyGrid } from './WeeklyGrid';
import { useFormStyles } from './form.styles';
import type { ServiceTabProps } from './types';

const ZONES = timeZones();

export function HoursTab({ service, path, onChange }: ServiceTabProps) {
  const s = useFormStyles();
  const h = service.openingHours;
  const p = `${path}.openingHours`;
  const set = (patch: Partial<OpeningHours>) => onChange((x) => ({ ...x, openingHours: { ...x.openingHours, ...patch } }));
  return (
    <div className={s.form}>
      <Text>
        The workflow's opening-hours check uses these hours: outside them, customers get the closed message.{' '}
        <Text weight="semibold">{summarizeWeek(h.weekly)}</Text>
      </Text>
      <ProblemField label="Time zone" path={`${p}.timeZone`} hint="An IANA time zone, e.g. Europe/Zurich.">
        <Input value={h.timeZone} list="stratus-time-zones" onChange={(_e, d) => set({ timeZone: d.value })} />
      </ProblemField>
      <datalist id="stratus-time-zones">
        {ZONES.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <ProblemGroup label="Weekly hours" path={`=${p}.weekly`} hint='Times are HH:MM; "24:00" ends a day at midnight.'>
        <div className={s.row}>
          {PRESETS.map((x) => (
            <Button key={x.label} size="small" onClick={() => set({ weekly: x.weekly() })}>
              Set {x.label}
            </Button>
          ))}
        </div>
        <WeeklyGrid weekly={h.weekly} path={`${p}.weekly`} onChange={(weekly) => set({ weekly })} />
      </ProblemGroup>
      <ProblemGroup label="Holidays and exceptions" path={`=${p}.exceptions`}>
        <ExceptionsList exceptions={h.exceptions} path={`${p}.exceptions`} onChange={(exceptions) => set({ exceptions })} />
      </ProblemGroup>
    </div>
  );
}

/** The filters Reports and History share, kept in the address: the period (a preset or two dates) and the channel. */
import { Field, Input, Select } from '@fluentui/react-components';
import { CHANNEL_KINDS, type ChannelKind } from '@stratus/shared/tenant/model';
import { CHANNEL_LABEL } from '../state';
import { localDate } from './reports';
import type { PageQuery, RangePreset } from './url';

interface FilterProps {
  query: PageQuery;
  onQuery: (patch: Partial<PageQuery>) => void;
}

/** Period: Today, the last 7 or 30 days, or From and To dates (local, inclusive). */
export function PeriodFields({ query: q, onQuery }: FilterProps) {
  return (
    <>
      <Field label="Period">
        <Select
          value={q.range}
          onChange={(_e, d) => {
            const range = d.value as RangePreset;
            const today = localDate(new Date());
            onQuery(
              range === 'custom' ? { range, from: q.from ?? today, to: q.to ?? today } : { range, by: range === 'today' ? 'hour' : 'day' },
            );
          }}
        >
          <option value="today">Today</option>
          <option value="7d">Last 7 days</option>
          <option value="30d">Last 30 days</option>
          <option value="custom">Custom</option>
        </Select>
      </Field>
      {q.range === 'custom' && (
        <>
          <Field label="From">
            <Input type="date" value={q.from ?? ''} max={q.to} onChange={(_e, d) => d.value && onQuery({ from: d.value })} />
          </Field>
          <Field label="To">
            <Input type="date" value={q.to ?? ''} min={q.from} onChange={(_e, d) => d.value && onQuery({ to: d.value })} />
          </Field>
        </>
      )}
    </>
  );
}

export function ChannelField({ query: q, onQuery }: FilterProps) {
  return (
    <Field label="Channel">
      <Select value={q.channel ?? ''} onChange={(_e, d) => onQuery({ channel: (d.value || undefined) as ChannelKind | undefined })}>
        <option value="">All channels</option>
        {CHANNEL_KINDS.map((c) => (
          <option key={c} value={c}>
            {CHANNEL_LABEL[c] ?? c}
          </option>
        ))}
      </Select>
    </Field>
  );
}

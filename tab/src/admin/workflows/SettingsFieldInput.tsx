/** One activity setting as a Fluent form field: text, number, choice, service, list or map. */
import type { ReactNode } from 'react';
import { Caption1, Field, Input, Select, Textarea } from '@fluentui/react-components';
import type { ServiceConfig } from '../../../../shared/tenant/model';
import type { SettingsField } from './activity-catalog';
import { ListSetting } from './ListSetting';
import { MapSetting } from './MapSetting';
import { useNodeSettingsStyles } from './NodeSettings.styles';

export interface SettingsFieldInputProps {
  field: SettingsField;
  params: Record<string, unknown>;
  services: readonly ServiceConfig[];
  disabled: boolean;
  /** A validation problem about this parameter, shown under the field. */
  problem?: string;
  /** The new parameters (the key removed when the field is emptied). */
  onChange(params: Record<string, unknown>): void;
}

/**
 * Lists and maps hold several inputs, each with its own label: a fieldset groups them (a Fluent
 * Field would hand its one id and label to every input inside).
 */
function Group({ field, problem, children }: { field: SettingsField; problem?: string; children: ReactNode }) {
  const styles = useNodeSettingsStyles();
  return (
    <fieldset className={styles.section}>
      <legend className={styles.legend}>
        {field.label}
        {field.required ? ' (required)' : ''}
      </legend>
      {field.hint && <Caption1 className={styles.description}>{field.hint}</Caption1>}
      {problem && (
        <Caption1 role="alert" className={styles.fieldProblem}>
          {problem}
        </Caption1>
      )}
      {children}
    </fieldset>
  );
}

function without(params: Record<string, unknown>, key: string): Record<string, unknown> {
  const next = { ...params };
  delete next[key];
  return next;
}

export function SettingsFieldInput({ field, params, services, disabled, problem, onChange }: SettingsFieldInputProps) {
  const raw = params[field.key];
  const set = (value: unknown) => onChange(value === undefined ? without(params, field.key) : { ...params, [field.key]: value });
  const fieldProps = {
    label: field.label,
    required: field.required ?? false,
    ...(field.hint ? { hint: field.hint } : {}),
    ...(problem ? { validationMessage: problem, validationState: 'error' as const } : {}),
  };
  switch (field.type) {
    case 'text': {
      const value = typeof raw === 'string' ? raw : '';
      const onText = (v: string) => set(v === '' && !field.keepEmpty ? undefined : v);
      return (
        <Field {...fieldProps}>
          {field.multiline ? (
            <Textarea value={value} disabled={disabled} resize="vertical" onChange={(_, d) => onText(d.value)} />
          ) : (
            <Input value={value} disabled={disabled} placeholder={field.placeholder} onChange={(_, d) => onText(d.value)} />
          )}
        </Field>
      );
    }
    case 'number':
      return (
        <Field {...fieldProps}>
          <Input
            type="number"
            min={field.min}
            max={field.max}
            placeholder={field.placeholder}
            value={typeof raw === 'number' ? String(raw) : ''}
            disabled={disabled}
            onChange={(_, d) => {
              const n = Number(d.value);
              if (d.value.trim() === '') set(undefined);
              else if (Number.isFinite(n)) set(n);
            }}
          />
        </Field>
      );
    case 'select': {
      const value = typeof raw === 'string' ? raw : '';
      const known = value === '' || field.options.includes(value);
      return (
        <Field {...fieldProps}>
          <Select value={value} disabled={disabled} onChange={(_, d) => set(d.value === '' ? undefined : d.value)}>
            {(!field.required || value === '') && <option value="">{field.required ? 'Choose…' : '(default)'}</option>}
            {!known && <option value={value}>{value} (not valid)</option>}
            {field.options.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </Select>
        </Field>
      );
    }
    case 'service': {
      const value = typeof raw === 'string' ? raw : '';
      const known = value === '' || services.some((s) => s.id === value);
      return (
        <Field {...fieldProps}>
          <Select value={value} disabled={disabled} onChange={(_, d) => set(d.value === '' ? undefined : d.value)}>
            <option value="">Choose a service…</option>
            {!known && <option value={value}>{value} (unknown service)</option>}
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        </Field>
      );
    }
    case 'list': {
      const rows = Array.isArray(raw) ? raw.map((r) => (r && typeof r === 'object' ? (r as Record<string, unknown>) : {})) : [];
      return (
        <Group field={field} {...(problem ? { problem } : {})}>
          <ListSetting
            label={field.label}
            columns={field.columns}
            rows={rows}
            newRow={field.newRow}
            disabled={disabled}
            onChange={(next) => set(next.length ? next : undefined)}
          />
        </Group>
      );
    }
    case 'map': {
      const value = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
      return (
        <Group field={field} {...(problem ? { problem } : {})}>
          <MapSetting
            label={field.label}
            keyLabel={field.keyLabel}
            valueLabel={field.valueLabel}
            value={value}
            disabled={disabled}
            onChange={set}
          />
        </Group>
      );
    }
  }
}

/** A list setting (menu options, conditions): one row of inputs per item, with Add and Remove. */
import { Button, Input, Select } from '@fluentui/react-components';
import type { ListColumn } from './activity-catalog';
import { useNodeSettingsStyles } from './NodeSettings.styles';

type Row = Record<string, unknown>;

export interface ListSettingProps {
  label: string;
  columns: ListColumn[];
  rows: Row[];
  newRow(index: number): Record<string, string>;
  disabled: boolean;
  onChange(rows: Row[]): void;
}

export function ListSetting({ label, columns, rows, newRow, disabled, onChange }: ListSettingProps) {
  const styles = useNodeSettingsStyles();
  const set = (i: number, key: string, value: string) => onChange(rows.map((r, j) => (j === i ? { ...r, [key]: value } : r)));
  return (
    <div className={styles.section}>
      {rows.map((row, i) => (
        <div key={i} className={styles.listRow} role="group" aria-label={`${label} ${i + 1}`}>
          {columns.map((c) => {
            const value = row[c.key] === undefined || row[c.key] === null ? '' : String(row[c.key]);
            const name = `${c.label} of ${label.toLowerCase()} ${i + 1}`;
            return c.type === 'select' ? (
              <Select
                key={c.key}
                className={styles.cell}
                aria-label={name}
                value={value}
                disabled={disabled}
                onChange={(_, d) => set(i, c.key, d.value)}
              >
                {(c.options ?? []).map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </Select>
            ) : (
              <Input
                key={c.key}
                className={styles.cell}
                aria-label={name}
                placeholder={c.label}
                value={value}
                disabled={disabled}
                onChange={(_, d) => set(i, c.key, d.value)}
              />
            );
          })}
          <Button
            size="small"
            appearance="subtle"
            aria-label={`Remove ${label.toLowerCase()} ${i + 1}`}
            disabled={disabled}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            Remove
          </Button>
        </div>
      ))}
      <div>
        <Button size="small" disabled={disabled} onClick={() => onChange([...rows, newRow(rows.length)])}>
          Add to {label.toLowerCase()}
        </Button>
      </div>
    </div>
  );
}

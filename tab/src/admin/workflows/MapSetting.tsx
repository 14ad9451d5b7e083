/** A name-to-value setting (HTTP headers, values picked from a JSON answer): one row per entry. */
import { Button, Input } from '@fluentui/react-components';
import { uniqueId } from './workflow-edits';
import { useNodeSettingsStyles } from './NodeSettings.styles';

export interface MapSettingProps {
  label: string;
  keyLabel: string;
  valueLabel: string;
  value: Record<string, unknown>;
  disabled: boolean;
  /** Undefined when the last entry is removed. */
  onChange(next: Record<string, string> | undefined): void;
}

export function MapSetting({ label, keyLabel, valueLabel, value, disabled, onChange }: MapSettingProps) {
  const styles = useNodeSettingsStyles();
  const entries = Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)] as [string, string]);
  const emit = (next: [string, string][]) => onChange(next.length ? Object.fromEntries(next) : undefined);
  return (
    <div className={styles.section}>
      {entries.map(([k, v], i) => (
        <div key={i} className={styles.listRow} role="group" aria-label={`${label} ${i + 1}`}>
          <Input
            className={styles.cell}
            aria-label={`${keyLabel} ${i + 1}`}
            placeholder={keyLabel}
            value={k}
            disabled={disabled}
            // Renaming onto another entry's name would merge the two: keep the names apart.
            onChange={(_, d) =>
              emit(
                entries.map((e, j) =>
                  j === i
                    ? [
                        uniqueId(
                          d.value,
                          entries.filter((_, x) => x !== i).map((x) => x[0]),
                          ' ',
                        ),
                        v,
                      ]
                    : e,
                ),
              )
            }
          />
          <Input
            className={styles.cell}
            aria-label={`${valueLabel} ${i + 1}`}
            placeholder={valueLabel}
            value={v}
            disabled={disabled}
            onChange={(_, d) => emit(entries.map((e, j) => (j === i ? [k, d.value] : e)))}
          />
          <Button
            size="small"
            appearance="subtle"
            aria-label={`Remove ${keyLabel.toLowerCase()} ${i + 1}`}
            disabled={disabled}
            onClick={() => emit(entries.filter((_, j) => j !== i))}
          >
            Remove
          </Button>
        </div>
      ))}
      <div>
        <Button
          size="small"
          disabled={disabled}
          onClick={() =>
            emit([
              ...entries,
              [
                uniqueId(
                  keyLabel,
                  entries.map((e) => e[0]),
                  ' ',
                ),
                '',
              ],
            ])
          }
        >
          Add to {label.toLowerCase()}
        </Button>
      </div>
    </div>
  );
}

/** Where each exit of a node leads, as one choice per exit: the keyboard's way to connect activities. */
import { Field, Select } from '@fluentui/react-components';
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';
import { activityInfo } from './activity-catalog';
import { nodeExits } from './workflow-edits';
import { useNodeSettingsStyles } from './NodeSettings.styles';

export interface ExitTargetsProps {
  def: WorkflowDefinition;
  nodeId: string;
  disabled: boolean;
  onChange(exit: string, target: string | undefined): void;
}

export function ExitTargets({ def, nodeId, disabled, onChange }: ExitTargetsProps) {
  const styles = useNodeSettingsStyles();
  const node = def.nodes[nodeId];
  if (!node) return null;
  const exits = nodeExits(node);
  const others = Object.entries(def.nodes);
  return (
    <fieldset className={styles.section}>
      <legend className={styles.legend}>Exits</legend>
      {exits.length === 0 && <span className={styles.description}>This activity ends the conversation: it has no exits.</span>}
      {exits.map((e) => {
        const target = node.exits?.[e.name] ?? '';
        const dangling = target !== '' && !def.nodes[target];
        return (
          <Field
            key={e.name}
            label={`Exit "${e.name}" leads to`}
            required={e.required}
            {...(e.known
              ? {}
              : { validationMessage: 'The activity has no such exit: disconnect it.', validationState: 'warning' as const })}
          >
            <Select value={target} disabled={disabled} onChange={(_, d) => onChange(e.name, d.value === '' ? undefined : d.value)}>
              <option value="">(not connected)</option>
              {dangling && <option value={target}>{target} (does not exist)</option>}
              {others.map(([id, n]) => (
                <option key={id} value={id}>
                  {id} · {activityInfo(n.activity).label}
                </option>
              ))}
            </Select>
          </Field>
        );
      })}
    </fieldset>
  );
}

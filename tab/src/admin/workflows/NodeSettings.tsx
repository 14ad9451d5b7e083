/**
 * The settings of the selected activity beside the graph: which node, its name, its activity's
 * fields, where its exits lead, its problems, and Make start / Delete. Every edit goes straight to
 * `onChange` with the new definition.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { Button, Caption1, Field, Input, MessageBar, MessageBarBody, Select, Text } from '@fluentui/react-components';
import type { ServiceConfig } from '../../../../shared/tenant/model';
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';
import { activity } from '../../../../shared/workflow/activities/registry';
import { activityInfo } from './activity-catalog';
import { ExitTargets } from './ExitTargets';
import type { LocatedProblem } from './problem-paths';
import { SettingsFieldInput } from './SettingsFieldInput';
import { nodeNameProblem, removeNodes, renameNode, setExit, setNodeParams, setStart } from './workflow-edits';
import { useNodeSettingsStyles } from './NodeSettings.styles';

export interface NodeSettingsProps {
  def: WorkflowDefinition;
  nodeId?: string;
  services: readonly ServiceConfig[];
  problems: readonly LocatedProblem[];
  readOnly: boolean;
  /** Changes whenever the panel should take the keyboard focus (a problem was chosen in the list). */
  focusRequest: number;
  onSelect(id: string | undefined): void;
  onChange(def: WorkflowDefinition): void;
  /** A node was renamed (the editor moves its position). */
  onRenamed(from: string, to: string): void;
}

/** A parameter problem (`parameter "text" is required`) names its parameter: show it on that field. */
function problemFor(key: string, problems: readonly LocatedProblem[]): string | undefined {
  return problems.find((p) => p.where === 'params' && p.message.includes(`"${key}"`))?.message;
}

function NodeName({
  def,
  nodeId,
  disabled,
  onRename,
}: {
  def: WorkflowDefinition;
  nodeId: string;
  disabled: boolean;
  onRename(to: string): void;
}) {
  const [draft, setDraft] = useState(nodeId);
  useEffect(() => setDraft(nodeId), [nodeId]);
  const problem = draft === nodeId ? undefined : nodeNameProblem(def, nodeId, draft);
  const commit = () => {
    if (draft !== nodeId && !problem) onRename(draft);
  };
  return (
    <Field
      label="Node name"
      hint="Exits and problems refer to the node by this name."
      {...(problem ? { validationMessage: problem, validationState: 'error' as const } : {})}
    >
      <Input
        value={draft}
        disabled={disabled}
        onChange={(_, d) => setDraft(d.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setDraft(nodeId);
        }}
      />
    </Field>
  );
}

export function NodeSettings(props: NodeSettingsProps) {
  const { def, nodeId, services, problems, readOnly, focusRequest, onSelect, onChange, onRenamed } = props;
  const styles = useNodeSettingsStyles();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  useEffect(() => {
    if (focusRequest > 0) headingRef.current?.focus();
  }, [focusRequest]);
  const node = nodeId !== undefined ? def.nodes[nodeId] : undefined;
  const info = node ? activityInfo(node.activity) : undefined;
  const act = node ? activity(node.activity) : undefined;
  const mine = problems.filter((p) => p.nodeId === nodeId);

  const picker = (
    <Field label="Activity">
      <Select value={nodeId ?? ''} onChange={(_, d) => onSelect(d.value === '' ? undefined : d.value)}>
        <option value="">Choose an activity…</option>
        {Object.entries(def.nodes).map(([id, n]) => (
          <option key={id} value={id}>
            {id} · {activityInfo(n.activity).label}
          </option>
        ))}
      </Select>
    </Field>
  );

  if (!node || !info || nodeId === undefined) {
    return (
      <section className={styles.root} aria-labelledby={headingId}>
        <h3 id={headingId} ref={headingRef} tabIndex={-1} className={styles.heading}>
          Settings
        </h3>
        {picker}
        <Text className={styles.description}>Select an activity on the graph, or choose it here, to see its settings.</Text>
      </section>
    );
  }

  const params = node.params ?? {};
  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <h3 id={headingId} ref={headingRef} tabIndex={-1} className={styles.heading}>
        {info.label} “{nodeId}”
      </h3>
      {picker}
      <Caption1 className={styles.description}>{info.description}</Caption1>
      {act?.imSupported === false && (
        <MessageBar intent="warning">
          <MessageBarBody>
            This activity is not supported for Instant Messaging: no IM service can use this workflow while it is here.
          </MessageBarBody>
        </MessageBar>
      )}
      {!act && (
        <MessageBar intent="error">
          <MessageBarBody>The engine does not know the activity “{node.activity}”. Delete this node.</MessageBarBody>
        </MessageBar>
      )}
      {mine.length > 0 && (
        <ul className={styles.problems} aria-label={`Problems of ${nodeId}`}>
          {mine.map((p) => (
            <li key={p.key}>
              {p.where ? `${p.where}: ` : ''}
              {p.message}
            </li>
          ))}
        </ul>
      )}
      <NodeName
        def={def}
        nodeId={nodeId}
        disabled={readOnly}
        onRename={(to) => {
          onChange(renameNode(def, nodeId, to));
          onRenamed(nodeId, to);
        }}
      />
      {info.fields.length > 0 && (
        <fieldset className={styles.section}>
          <legend className={styles.legend}>Settings</legend>
          {info.fields.map((f) => {
            const problem = problemFor(f.key, mine);
            return (
              <SettingsFieldInput
                key={f.key}
                field={f}
                params={params}
                services={services}
                disabled={readOnly}
                {...(problem ? { problem } : {})}
                onChange={(next) => onChange(setNodeParams(def, nodeId, next))}
              />
            );
          })}
        </fieldset>
      )}
      <ExitTargets
        def={def}
        nodeId={nodeId}
        disabled={readOnly}
        onChange={(exit, target) => onChange(setExit(def, nodeId, exit, target))}
      />
      {!readOnly && (
        <div className={styles.actions}>
          {def.start !== nodeId && <Button onClick={() => onChange(setStart(def, nodeId))}>Make start node</Button>}
          <Button
            disabled={def.start === nodeId}
            title={def.start === nodeId ? 'Make another activity the start node first' : undefined}
            onClick={() => {
              onChange(removeNodes(def, [nodeId]));
              onSelect(undefined);
            }}
          >
            Delete activity
          </Button>
        </div>
      )}
      {def.start === nodeId && <Caption1 className={styles.description}>This is the start node: the workflow begins here.</Caption1>}
    </section>
  );
}

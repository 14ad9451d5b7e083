/**
 * The editor of one workflow: its name, the graph with its problems under it, and beside it the
 * selected activity's settings or the test run. Positions are laid out when the workflow is opened
 * and kept here while it stays open (a definition has no place for them).
 */
import { useCallback, useMemo, useState } from 'react';
import { Button, Caption1, Field, Input, Tab, TabList } from '@fluentui/react-components';
import type { ConfigProblem } from '../../../../shared/contract/admin';
import type { ServiceConfig } from '../../../../shared/tenant/model';
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';
import { ActivityPalette } from './ActivityPalette';
import { widthOfNode } from './graph-model';
import { layeredLayout, placeBelow, type XY } from './layout';
import { NodeSettings } from './NodeSettings';
import { countByNode, workflowProblems } from './problem-paths';
import { ProblemList } from './ProblemList';
import { TestRunPanel } from './TestRunPanel';
import { WorkflowGraph } from './WorkflowGraph';
import { addNode, removeNodes, servicesUsing, setExit } from './workflow-edits';
import { useWorkflowEditorStyles } from './WorkflowEditor.styles';

export interface WorkflowEditorProps {
  def: WorkflowDefinition;
  /** Its index in the tenant's workflows (the server's problem paths use it). */
  index: number;
  problems: readonly ConfigProblem[];
  services: readonly ServiceConfig[];
  readOnly: boolean;
  onChange(def: WorkflowDefinition): void;
}

type Panel = 'settings' | 'test';

export function WorkflowEditor({ def, index, problems, services, readOnly, onChange }: WorkflowEditorProps) {
  const styles = useWorkflowEditorStyles();
  const [positions, setPositions] = useState<Record<string, XY>>(() => layeredLayout(def, (id) => widthOfNode(def, id)));
  const [selected, setSelected] = useState<string>();
  const [panel, setPanel] = useState<Panel>('settings');
  const [focusRequest, setFocusRequest] = useState(0);

  const located = useMemo(() => workflowProblems(def, index, problems), [def, index, problems]);
  const counts = useMemo(() => countByNode(located), [located]);
  const users = servicesUsing(services, def.id);

  const select = useCallback((id: string | undefined) => {
    setSelected(id);
    if (id !== undefined) setPanel('settings');
  }, []);

  const onConnectExit = useCallback(
    (source: string, exit: string, target: string) => onChange(setExit(def, source, exit, target)),
    [def, onChange],
  );

  const onRemove = useCallback(
    (nodes: string[], exits: { source: string; exit: string }[]) => {
      let next = def;
      for (const e of exits) next = setExit(next, e.source, e.exit, undefined);
      // The start node is not deletable on the graph (and removeNodes keeps it): a definition needs one.
      next = removeNodes(next, nodes);
      if (next !== def) onChange(next);
      if (selected !== undefined && nodes.includes(selected) && selected !== def.start) setSelected(undefined);
    },
    [def, onChange, selected],
  );

  const add = (kind: string) => {
    const r = addNode(def, kind);
    setPositions((p) => ({ ...p, [r.id]: placeBelow(p) }));
    onChange(r.def);
    select(r.id);
  };

  return (
    <div className={styles.root}>
      <div className={styles.header}>
        <Field label="Workflow name" className={styles.name}>
          <Input value={def.name} readOnly={readOnly} onChange={(_, d) => onChange({ ...def, name: d.value })} />
        </Field>
        <Caption1 className={styles.meta}>
          Id {def.id} · {users.length ? `used by ${users.map((s) => s.name).join(', ')}` : 'not used by any service'}
        </Caption1>
      </div>
      <div className={styles.toolbar} role="toolbar" aria-label="Workflow graph">
        <ActivityPalette disabled={readOnly} onAdd={add} />
        <Button onClick={() => setPositions(layeredLayout(def, (id) => widthOfNode(def, id)))}>Arrange automatically</Button>
      </div>
      <div className={styles.body}>
        <div className={styles.main}>
          <WorkflowGraph
            def={def}
            positions={positions}
            onPositions={setPositions}
            {...(selected !== undefined ? { selectedNodeId: selected } : {})}
            onSelectNode={select}
            problemCounts={counts}
            readOnly={readOnly}
            onConnectExit={onConnectExit}
            onRemove={onRemove}
          />
          <ProblemList
            problems={located}
            onSelectNode={(id) => {
              select(id);
              setFocusRequest((n) => n + 1);
            }}
          />
        </div>
        <aside className={styles.side} aria-label="Activity settings and test run">
          <TabList selectedValue={panel} onTabSelect={(_, d) => setPanel(d.value as Panel)}>
            <Tab value="settings">Settings</Tab>
            <Tab value="test">Test run</Tab>
          </TabList>
          {/* Both stay mounted so a test run survives a look at the settings. */}
          <div role="tabpanel" aria-label="Settings" hidden={panel !== 'settings'}>
            <NodeSettings
              def={def}
              {...(selected !== undefined ? { nodeId: selected } : {})}
              services={services}
              problems={located}
              readOnly={readOnly}
              focusRequest={focusRequest}
              onSelect={select}
              onChange={onChange}
              onRenamed={(from, to) => {
                setPositions((p) => {
                  const { [from]: at, ...rest } = p;
                  return at ? { ...rest, [to]: at } : rest;
                });
                setSelected(to);
              }}
            />
          </div>
          <div role="tabpanel" aria-label="Test run" hidden={panel !== 'test'}>
            <TestRunPanel def={def} services={services} />
          </div>
        </aside>
      </div>
    </div>
  );
}

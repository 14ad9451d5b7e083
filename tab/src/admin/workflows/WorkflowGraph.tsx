/**
 * The activity graph (@xyflow/react): drag an exit's handle to an activity to connect it (this
 * replaces where the exit led), Delete or Backspace removes the selected connections or
 * activities, Enter or Space on a focused activity selects it and opens its settings. The
 * definition is the source of truth; positions the user drags are the editor's state.
 */
import { useCallback, useMemo, useState } from 'react';
import {
  Background,
  Controls,
  ReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnDelete,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';
import { ActivityNode } from './ActivityNode';
import { parseEdgeId, toFlowEdges, toFlowNodes, type ActivityFlowNode } from './graph-model';
import type { XY } from './layout';
import { useWorkflowGraphStyles } from './WorkflowGraph.styles';

const nodeTypes = { activity: ActivityNode };

const ARIA_LABELS = {
  'node.a11yDescription.default':
    'Press Enter or Space to select the activity and open its settings. Press Delete to remove it and Escape to cancel.',
  'node.a11yDescription.keyboardDisabled':
    'Press Enter or Space to select the activity and open its settings; then the arrow keys move it. Press Delete to remove it and Escape to cancel.',
  'edge.a11yDescription.default': 'Press Enter or Space to select the connection, then Delete to remove it.',
  'controls.ariaLabel': 'Graph controls',
  'controls.fitView.ariaLabel': 'Fit the workflow in view',
};

export interface WorkflowGraphProps {
  def: WorkflowDefinition;
  positions: Readonly<Record<string, XY>>;
  onPositions(next: Record<string, XY>): void;
  selectedNodeId?: string;
  onSelectNode(id: string | undefined): void;
  problemCounts: ReadonlyMap<string, number>;
  readOnly: boolean;
  /** An exit was dragged to a node. */
  onConnectExit(source: string, exit: string, target: string): void;
  /** The keyboard removed these nodes and exits. */
  onRemove(nodes: string[], exits: { source: string; exit: string }[]): void;
}

export function WorkflowGraph(props: WorkflowGraphProps) {
  const { def, positions, onPositions, selectedNodeId, onSelectNode, problemCounts, readOnly, onConnectExit, onRemove } = props;
  const styles = useWorkflowGraphStyles();
  const [sizes, setSizes] = useState<Record<string, { width: number; height: number }>>({});
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());

  const nodes = useMemo(
    () => toFlowNodes({ def, positions, sizes, ...(selectedNodeId !== undefined ? { selectedNodeId } : {}), problemCounts, readOnly }),
    [def, positions, sizes, selectedNodeId, problemCounts, readOnly],
  );
  const edges = useMemo(() => toFlowEdges(def, selectedEdges, readOnly), [def, selectedEdges, readOnly]);

  const onNodesChange = useCallback(
    (changes: NodeChange<ActivityFlowNode>[]) => {
      let moved: Record<string, XY> | undefined;
      let sized: Record<string, { width: number; height: number }> | undefined;
      let chosen: string | undefined;
      let dropped = false;
      for (const c of changes) {
        if (c.type === 'position' && c.position) (moved ??= { ...positions })[c.id] = c.position;
        else if (c.type === 'dimensions' && c.dimensions) (sized ??= {})[c.id] = c.dimensions;
        else if (c.type === 'select' && c.selected) chosen = c.id;
        else if (c.type === 'select' && c.id === selectedNodeId) dropped = true;
      }
      if (moved) onPositions(moved);
      if (sized) {
        const update = sized;
        setSizes((s) => ({ ...s, ...update }));
      }
      if (chosen !== undefined) onSelectNode(chosen);
      else if (dropped) onSelectNode(undefined);
    },
    [positions, onPositions, selectedNodeId, onSelectNode],
  );

  const onEdgesChange = useCallback((changes: EdgeChange<Edge>[]) => {
    setSelectedEdges((current) => {
      let next: Set<string> | undefined;
      for (const c of changes) {
        if (c.type !== 'select') continue;
        next ??= new Set(current);
        if (c.selected) next.add(c.id);
        else next.delete(c.id);
      }
      return next ?? current;
    });
  }, []);

  const onConnect = useCallback(
    (c: Connection) => {
      if (!readOnly && c.sourceHandle) onConnectExit(c.source, c.sourceHandle, c.target);
    },
    [readOnly, onConnectExit],
  );

  // Dragging the end of a connection to another activity moves that exit there.
  const onReconnect = useCallback(
    (old: Edge, c: Connection) => {
      const from = parseEdgeId(old.id);
      if (!readOnly && from && c.source === from.source && c.sourceHandle === from.exit) onConnectExit(from.source, from.exit, c.target);
    },
    [readOnly, onConnectExit],
  );

  const onDelete: OnDelete<ActivityFlowNode, Edge> = useCallback(
    ({ nodes: gone, edges: cut }) => {
      if (readOnly) return;
      const exits = cut.map((e) => parseEdgeId(e.id)).filter((e): e is { source: string; exit: string } => e !== undefined);
      onRemove(
        gone.map((n) => n.id),
        exits,
      );
      setSelectedEdges(new Set());
    },
    [readOnly, onRemove],
  );

  return (
    <div className={styles.frame}>
      <ReactFlow<ActivityFlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onReconnect={onReconnect}
        onDelete={onDelete}
        deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
        nodesConnectable={!readOnly}
        edgesReconnectable={!readOnly}
        elementsSelectable
        nodesFocusable
        edgesFocusable
        fitView
        fitViewOptions={{ padding: 0.15 }}
        minZoom={0.2}
        ariaLabelConfig={ARIA_LABELS}
        aria-label={`Activity graph of ${def.name}`}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

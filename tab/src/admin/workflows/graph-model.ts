/**
 * The definition as xyflow nodes and edges: one node per activity with a handle per exit, one edge
 * per connected exit. The definition stays the source of truth; positions, measured sizes and
 * selection come from the editor's state.
 */
import type { Edge, Node } from '@xyflow/react';
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';
import { activity } from '../../../../shared/workflow/activities/registry';
import { activityInfo, type ActivityGroup } from './activity-catalog';
import { nodeWidth, type XY } from './layout';
import { nodeExits } from './workflow-edits';

export interface ActivityNodeData extends Record<string, unknown> {
  nodeId: string;
  kind: string;
  label: string;
  group: ActivityGroup;
  /** `known` false: the node maps an exit its activity does not have (validation reports it). */
  exits: { name: string; required: boolean; known: boolean; connected: boolean }[];
  isStart: boolean;
  problems: number;
  /** The activity is voice-only: the workflow cannot serve IM. */
  notForIm: boolean;
  unknown: boolean;
  readOnly: boolean;
}

export type ActivityFlowNode = Node<ActivityNodeData, 'activity'>;

/** Estimated height before the browser measures a node (it is measured right after). */
export const NODE_HEIGHT = 96;

/** Width of a node in the definition, from its exit count. */
export function widthOfNode(def: WorkflowDefinition, id: string): number {
  const node = def.nodes[id];
  return nodeWidth(node ? nodeExits(node).length : 1);
}

/** The accessible name of a node on the graph. */
export function nodeAriaLabel(d: ActivityNodeData): string {
  const parts = [`${d.label} "${d.nodeId}"`];
  if (d.isStart) parts.push('start node');
  if (d.notForIm) parts.push('not supported for Instant Messaging');
  if (d.problems) parts.push(`${d.problems} problem${d.problems === 1 ? '' : 's'}`);
  return parts.join(', ');
}

export interface GraphInput {
  def: WorkflowDefinition;
  positions: Readonly<Record<string, XY>>;
  sizes: Readonly<Record<string, { width: number; height: number }>>;
  selectedNodeId?: string;
  problemCounts: ReadonlyMap<string, number>;
  readOnly: boolean;
}

export function toFlowNodes({ def, positions, sizes, selectedNodeId, problemCounts, readOnly }: GraphInput): ActivityFlowNode[] {
  return Object.entries(def.nodes).map(([id, node], i) => {
    const act = activity(node.activity);
    const info = activityInfo(node.activity);
    const exits = nodeExits(node).map((e) => ({
      name: e.name,
      required: e.required,
      known: e.known,
      connected: node.exits?.[e.name] !== undefined,
    }));
    const data: ActivityNodeData = {
      nodeId: id,
      kind: node.activity,
      label: info.label,
      group: info.group,
      exits,
      isStart: id === def.start,
      problems: problemCounts.get(id) ?? 0,
      notForIm: act?.imSupported === false,
      unknown: !act,
      readOnly,
    };
    const size = sizes[id];
    return {
      id,
      type: 'activity' as const,
      position: positions[id] ?? { x: 0, y: i * NODE_HEIGHT },
      data,
      selected: id === selectedNodeId,
      deletable: !readOnly && id !== def.start,
      connectable: !readOnly,
      initialWidth: nodeWidth(exits.length),
      initialHeight: NODE_HEIGHT,
      ariaLabel: nodeAriaLabel(data),
      ...(size ? { measured: size } : {}),
    };
  });
}

/** Id of the edge for one exit: the source and exit name identify it. */
export const edgeId = (source: string, exit: string) => JSON.stringify([source, exit]);

/** The source node and exit an edge id names. */
export function parseEdgeId(id: string): { source: string; exit: string } | undefined {
  try {
    const v: unknown = JSON.parse(id);
    return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string'
      ? { source: v[0], exit: v[1] }
      : undefined;
  } catch {
    // Not one of ours (xyflow only hands back ids we made); nothing to delete.
    return undefined;
  }
}

export function toFlowEdges(def: WorkflowDefinition, selected: ReadonlySet<string>, readOnly: boolean): Edge[] {
  const edges: Edge[] = [];
  for (const [source, node] of Object.entries(def.nodes)) {
    for (const [exit, target] of Object.entries(node.exits ?? {})) {
      if (typeof target !== 'string' || !def.nodes[target]) continue;
      const id = edgeId(source, exit);
      edges.push({
        id,
        source,
        sourceHandle: exit,
        target,
        targetHandle: 'in',
        selected: selected.has(id),
        deletable: !readOnly,
        ariaLabel: `Exit ${exit} of "${source}" to "${target}"`,
      });
    }
  }
  return edges;
}

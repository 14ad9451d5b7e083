/**
 * Where the graph puts each node when a workflow is opened: layers by breadth-first distance from
 * the start node, top to bottom, each layer centred. Nodes the start never reaches go in a last
 * layer of their own, so they stand out. Positions live in the editor's state only: a workflow
 * definition has no place for them.
 */
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';

export interface XY {
  x: number;
  y: number;
}

/** Vertical distance between layers (a node is about 90 px high). */
export const LAYER_GAP = 150;
/** Horizontal space between two nodes of one layer. */
export const NODE_GAP = 48;

/** Width of a node on the graph: room for each exit's handle and label. */
export function nodeWidth(exitCount: number): number {
  return Math.max(200, exitCount * 92);
}

/** Layers of node ids, the start node's first; unreachable nodes last, in definition order. */
export function layers(def: WorkflowDefinition): string[][] {
  const out: string[][] = [];
  const depth = new Map<string, number>();
  if (Object.prototype.hasOwnProperty.call(def.nodes, def.start)) {
    depth.set(def.start, 0);
    const queue = [def.start];
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i]!;
      const d = depth.get(id)!;
      (out[d] ??= []).push(id);
      for (const target of Object.values(def.nodes[id]?.exits ?? {})) {
        if (typeof target !== 'string' || depth.has(target) || !Object.prototype.hasOwnProperty.call(def.nodes, target)) continue;
        depth.set(target, d + 1);
        queue.push(target);
      }
    }
  }
  const rest = Object.keys(def.nodes).filter((id) => !depth.has(id));
  if (rest.length) out.push(rest);
  return out;
}

/** Top-left position of every node. `widthOf` gives a node's width (default: 200 px). */
export function layeredLayout(def: WorkflowDefinition, widthOf: (id: string) => number = () => 200): Record<string, XY> {
  const positions: Record<string, XY> = {};
  layers(def).forEach((layer, row) => {
    const total = layer.reduce((sum, id) => sum + widthOf(id), 0) + NODE_GAP * (layer.length - 1);
    let x = -total / 2;
    for (const id of layer) {
      positions[id] = { x: Math.round(x), y: row * LAYER_GAP };
      x += widthOf(id) + NODE_GAP;
    }
  });
  return positions;
}

/** A free place for a new node: left-aligned below everything placed so far. */
export function placeBelow(positions: Readonly<Record<string, XY>>): XY {
  const all = Object.values(positions);
  if (all.length === 0) return { x: 0, y: 0 };
  return { x: Math.min(...all.map((p) => p.x)), y: Math.max(...all.map((p) => p.y)) + LAYER_GAP };
}

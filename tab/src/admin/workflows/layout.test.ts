/** The layered layout: BFS layers from the start node, unreachable nodes last, layers centred. */
import { defaultImWorkflow } from '../../../../shared/workflow/default-workflow';
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';
import { LAYER_GAP, layeredLayout, layers, NODE_GAP, placeBelow } from './layout';

describe('layers', () => {
  it('puts each node at its breadth-first distance from the start node', () => {
    const l = layers(defaultImWorkflow);
    expect(l[0]).toEqual(['accept']);
    expect(l[1]).toEqual(['hours']);
    expect(l[2]).toEqual(['queue', 'closedMessage', 'holidayMessage']);
    expect(l.flat().sort()).toEqual(Object.keys(defaultImWorkflow.nodes).sort());
  });

  it('puts nodes the start never reaches in a last layer, and survives a missing start and loops', () => {
    const def: WorkflowDefinition = {
      id: 'w',
      name: 'W',
      start: 'a',
      nodes: { a: { activity: 'delay', exits: { next: 'a' } }, lonely: { activity: 'disconnect' }, b: { activity: 'disconnect' } },
    };
    expect(layers(def)).toEqual([['a'], ['lonely', 'b']]);
    expect(layers({ ...def, start: 'ghost' })).toEqual([['a', 'lonely', 'b']]);
  });
});

describe('layeredLayout', () => {
  it('stacks layers LAYER_GAP apart and centres each layer, NODE_GAP between nodes', () => {
    const p = layeredLayout(defaultImWorkflow, () => 100);
    expect(p.accept).toEqual({ x: -50, y: 0 });
    expect(p.hours).toEqual({ x: -50, y: LAYER_GAP });
    const row = ['queue', 'closedMessage', 'holidayMessage'].map((id) => p[id]!);
    expect(row.map((r) => r.y)).toEqual([2 * LAYER_GAP, 2 * LAYER_GAP, 2 * LAYER_GAP]);
    expect(row[1]!.x - row[0]!.x).toBe(100 + NODE_GAP);
    expect(row[0]!.x + row[2]!.x + 100).toBe(0);
  });

  it('places a new node below everything', () => {
    expect(placeBelow({})).toEqual({ x: 0, y: 0 });
    expect(placeBelow({ a: { x: 10, y: 0 }, b: { x: -40, y: 300 } })).toEqual({ x: -40, y: 300 + LAYER_GAP });
  });
});

/** The definition as xyflow nodes and edges. */
import { defaultImWorkflow } from '../../../../shared/workflow/default-workflow';
import { edgeId, parseEdgeId, toFlowEdges, toFlowNodes } from './graph-model';

describe('graph model', () => {
  it('makes one node per activity with its exits, start flag, problem count and accessible name', () => {
    const nodes = toFlowNodes({
      def: { ...defaultImWorkflow, nodes: { ...defaultImWorkflow.nodes, music: { activity: 'playMusic' } } },
      positions: { accept: { x: 1, y: 2 } },
      sizes: {},
      selectedNodeId: 'hours',
      problemCounts: new Map([['hours', 2]]),
      readOnly: false,
    });
    const accept = nodes.find((n) => n.id === 'accept')!;
    expect(accept).toMatchObject({ position: { x: 1, y: 2 }, deletable: false, data: { isStart: true, label: 'Accept', group: 'flow' } });
    const hours = nodes.find((n) => n.id === 'hours')!;
    expect(hours.selected).toBe(true);
    expect(hours.data.exits.map((e) => [e.name, e.required, e.connected])).toEqual([
      ['open', true, true],
      ['closed', true, true],
      ['holiday', false, true],
    ]);
    expect(hours.ariaLabel).toBe('Check Opening Hours "hours", 2 problems');
    expect(nodes.find((n) => n.id === 'music')!.ariaLabel).toBe('Play Music "music", not supported for Instant Messaging');
  });

  it('makes one edge per connected exit, skipping exits to unknown nodes', () => {
    const def = { ...defaultImWorkflow, nodes: { ...defaultImWorkflow.nodes, bye: { activity: 'disconnect', exits: { next: 'ghost' } } } };
    const edges = toFlowEdges(def, new Set([edgeId('hours', 'open')]), false);
    const open = edges.find((e) => e.id === edgeId('hours', 'open'))!;
    expect(open).toMatchObject({ source: 'hours', sourceHandle: 'open', target: 'queue', selected: true });
    expect(edges.some((e) => e.source === 'bye')).toBe(false);
    expect(edges).toHaveLength(Object.values(defaultImWorkflow.nodes).reduce((n, x) => n + Object.keys(x.exits ?? {}).length, 0));
  });

  it('round-trips edge ids, also for names with odd characters', () => {
    expect(parseEdgeId(edgeId('a:b', 'x"y'))).toEqual({ source: 'a:b', exit: 'x"y' });
    expect(parseEdgeId('not json')).toBeUndefined();
  });
});

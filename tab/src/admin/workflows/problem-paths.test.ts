/** Problem paths to nodes: the validator's, the server's (with the workflow index) and indexed forms. */
import { defaultImWorkflow } from '../../../../shared/workflow/default-workflow';
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';
import { countByNode, locateNode, nodeOfPath, relativeToWorkflow, serverProblemsFor, workflowProblems } from './problem-paths';

const def: WorkflowDefinition = {
  id: 'w',
  name: 'W',
  start: 'a',
  nodes: {
    a: { activity: 'accept', exits: { next: 'a.b' } },
    'a.b': { activity: 'message', exits: { next: 'end' } },
    end: { activity: 'disconnect' },
  },
};

describe('nodeOfPath', () => {
  it.each([
    ['nodes.a', 'a', ''],
    ['nodes.a.exits.next', 'a', 'exits.next'],
    ['nodes.a.b.params', 'a.b', 'params'],
    ['nodes[1].exits.next', 'a.b', 'exits.next'],
    ['nodes[2]', 'end', ''],
    ['nodes["a.b"].params', 'a.b', 'params'],
  ])('%s names node %s', (path, node, rest) => {
    expect(nodeOfPath(path, def)).toBe(node);
    expect(locateNode(path, def)?.rest).toBe(rest);
  });

  it.each(['start', 'name', 'nodes.ghost', 'nodes[7]', 'nodesX.a', 'nodes.ab'])('%s names no node', (path) => {
    expect(nodeOfPath(path, def)).toBeUndefined();
  });
});

describe('server problems', () => {
  it('keeps the paths inside workflows[index], relative to the workflow', () => {
    expect(relativeToWorkflow('workflows[2].nodes.a', 2)).toBe('nodes.a');
    expect(relativeToWorkflow('workflows[2]', 2)).toBe('');
    expect(relativeToWorkflow('workflows[21].nodes.a', 2)).toBeUndefined();
    expect(relativeToWorkflow('services[2].im.workflowId', 2)).toBeUndefined();
  });

  it('ties each server problem of the open workflow to its node', () => {
    const out = serverProblemsFor(
      [
        { path: 'workflows[1].nodes[3].exits.timeout', message: 'points nowhere' },
        { path: 'workflows[1].nodes.hours.exits.open', message: 'bad' },
        { path: 'workflows[1].id', message: 'duplicate workflow id "x"' },
        { path: 'workflows[0].nodes.hours', message: 'another workflow' },
      ],
      1,
      defaultImWorkflow,
    );
    expect(out.map((p) => [p.nodeId, p.where, p.message])).toEqual([
      [Object.keys(defaultImWorkflow.nodes)[3], 'exits.timeout', 'points nowhere'],
      ['hours', 'exits.open', 'bad'],
      [undefined, undefined, 'duplicate workflow id "x"'],
    ]);
  });
});

describe('workflowProblems', () => {
  it('merges live validation, IM support and what only the server said', () => {
    const broken: WorkflowDefinition = {
      ...def,
      nodes: {
        ...def.nodes,
        a: { activity: 'accept', exits: { next: 'music' } },
        music: { activity: 'playMusic', exits: { next: 'a.b' } },
      },
    };
    const all = workflowProblems(broken, 0, [
      { path: 'workflows[0].nodes.a.b.params', message: 'parameter "text" is required' },
      { path: 'workflows[0].id', message: 'duplicate workflow id "w"' },
    ]);
    expect(all.map((p) => `${p.origin} ${p.nodeId ?? '-'} ${p.message}`)).toEqual([
      'validation a.b parameter "text" is required',
      'im music activity "playMusic" is not supported for Instant Messaging',
      'server - duplicate workflow id "w"',
    ]);
    expect(countByNode(all)).toEqual(
      new Map([
        ['a.b', 1],
        ['music', 1],
      ]),
    );
  });
});

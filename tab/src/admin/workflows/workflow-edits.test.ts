/** Edits of definitions: pure, and they keep connections consistent. */
import { demoTenant } from '../../../../shared/tenant/demo';
import { defaultImWorkflow } from '../../../../shared/workflow/default-workflow';
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';
import { validateWorkflow } from '../../../../shared/workflow/validate';
import {
  addNode,
  duplicateWorkflow,
  nodeExits,
  nodeNameProblem,
  removeNodes,
  renameNode,
  servicesUsing,
  setExit,
  setNodeParams,
  setStart,
  slug,
  uniqueId,
  workflowFrom,
} from './workflow-edits';

const frozen = structuredClone(defaultImWorkflow);

afterEach(() => expect(defaultImWorkflow).toEqual(frozen));

describe('workflows', () => {
  it('lists the services that use a workflow', () => {
    expect(servicesUsing(demoTenant().services, 'default-im').map((s) => s.id)).toEqual(['support', 'sales']);
    expect(servicesUsing(demoTenant().services, 'other')).toEqual([]);
  });

  it('makes ids from names and keeps them unique', () => {
    expect(slug('Sales after hours!')).toBe('sales-after-hours');
    expect(slug('***')).toBe('workflow');
    expect(uniqueId('a', ['a', 'a-2'])).toBe('a-3');
  });

  it('creates from a template with a deep copy of its nodes', () => {
    const w = workflowFrom(defaultImWorkflow, 'Default IM workflow', [defaultImWorkflow]);
    expect(w.id).toBe('default-im-workflow');
    expect(w.nodes).toEqual(defaultImWorkflow.nodes);
    expect(w.nodes.accept).not.toBe(defaultImWorkflow.nodes.accept);
    expect(validateWorkflow(w)).toEqual([]);
  });

  it('duplicates with a new id and a "Copy of" name', () => {
    const list = [defaultImWorkflow];
    const copy = duplicateWorkflow(defaultImWorkflow, list);
    expect(copy).toMatchObject({ id: 'default-im-copy', name: 'Copy of Default IM workflow', start: 'accept' });
    expect(duplicateWorkflow(defaultImWorkflow, [...list, copy])).toMatchObject({
      id: 'default-im-copy-2',
      name: 'Copy of Default IM workflow 2',
    });
  });
});

describe('nodes', () => {
  it('sets parameters, dropping the params object when empty', () => {
    const d = setNodeParams(defaultImWorkflow, 'wait', { seconds: 30 });
    expect(d.nodes.wait).toEqual({ activity: 'delay', params: { seconds: 30 }, exits: { next: 'check' } });
    expect(setNodeParams(defaultImWorkflow, 'wait', {}).nodes.wait).toEqual({ activity: 'delay', exits: { next: 'check' } });
  });

  it('moves a connection with a menu option whose exit is renamed', () => {
    const def: WorkflowDefinition = {
      id: 'm',
      name: 'M',
      start: 'ask',
      nodes: {
        ask: {
          activity: 'inputCustomer',
          params: { prompt: '?', options: [{ key: '1', exit: 'one' }] },
          exits: { one: 'bye', noMatch: 'bye' },
        },
        bye: { activity: 'disconnect' },
      },
    };
    const d = setNodeParams(def, 'ask', { prompt: '?', options: [{ key: '1', exit: 'first' }] });
    expect(d.nodes.ask!.exits).toEqual({ first: 'bye', noMatch: 'bye' });
  });

  it('connects, replaces and disconnects an exit', () => {
    expect(setExit(defaultImWorkflow, 'hours', 'open', 'bye').nodes.hours!.exits!.open).toBe('bye');
    expect(setExit(defaultImWorkflow, 'hours', 'holiday', undefined).nodes.hours!.exits).toEqual({
      open: 'queue',
      closed: 'closedMessage',
    });
    expect(setExit(defaultImWorkflow, 'bye', 'next', 'left').nodes.bye!.exits).toEqual({ next: 'left' });
  });

  it('removes nodes with every exit that led to them, never the start node', () => {
    const d = removeNodes(defaultImWorkflow, ['closedBye', 'accept']);
    expect(d.nodes.closedBye).toBeUndefined();
    expect(d.nodes.accept).toBeDefined();
    expect(d.nodes.closedMessage!.exits).toBeUndefined();
    expect(removeNodes(defaultImWorkflow, ['accept'])).toBe(defaultImWorkflow);
  });

  it('adds a node with a fresh id', () => {
    const r = addNode(defaultImWorkflow, 'message');
    expect(r.id).toBe('message');
    expect(addNode(r.def, 'message').id).toBe('message2');
  });

  it('renames a node with the exits and start that named it, refusing clashes', () => {
    const d = renameNode(defaultImWorkflow, 'accept', 'greet');
    expect(d.start).toBe('greet');
    expect(d.nodes.greet).toEqual(defaultImWorkflow.nodes.accept);
    const q = renameNode(defaultImWorkflow, 'bye', 'goodbye');
    expect(q.nodes.timeoutMessage!.exits!.next).toBe('goodbye');
    expect(validateWorkflow(q)).toEqual([]);
    expect(nodeNameProblem(defaultImWorkflow, 'bye', 'left')).toBe('Another node is named "left".');
    expect(nodeNameProblem(defaultImWorkflow, 'bye', ' ')).toBe('A node needs a name.');
    expect(renameNode(defaultImWorkflow, 'bye', 'left')).toBe(defaultImWorkflow);
  });

  it('makes a node the start', () => {
    expect(setStart(defaultImWorkflow, 'hours').start).toBe('hours');
    expect(setStart(defaultImWorkflow, 'ghost')).toBe(defaultImWorkflow);
  });

  it("lists a node's exits: the activity's, required or not, then unknown ones", () => {
    expect(nodeExits({ activity: 'checkOpeningHours', exits: { open: 'x', bogus: 'y' } })).toEqual([
      { name: 'open', required: true, known: true },
      { name: 'closed', required: true, known: true },
      { name: 'holiday', required: false, known: true },
      { name: 'bogus', required: false, known: false },
    ]);
  });
});

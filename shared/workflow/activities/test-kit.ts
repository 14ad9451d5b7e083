/** Helpers for activity tests: a context, a one-node run, and a small workflow runner. */
import { demoTenant } from '../../tenant/demo';
import type { ServiceConfig } from '../../tenant/model';
import type { WorkflowDefinition, WorkflowNode } from '../definition';
import { resumeWorkflow, startWorkflow } from '../engine';
import type { EngineContext, StepResult, WorkflowEvent, WorkflowSnapshot } from '../types';
import { activity } from './registry';
import type { ActivityResult } from './activity';

export const T0 = Date.UTC(2026, 10, 25, 10, 0, 0); // Wednesday 25 Nov 2026, 10:00 UTC

export function ctx(over: Partial<EngineContext> = {}): EngineContext {
  const tenant = demoTenant();
  const service = tenant.services[0] as ServiceConfig;
  return {
    now: T0,
    tenant,
    service,
    availability: { available: 1, busy: 0, onDuty: 1 },
    availableUsers: ['alice'],
    taskState: 'workflow',
    ...over,
  };
}

export function snap(params: Record<string, string> = {}): WorkflowSnapshot {
  return { v: 1, workflowId: 'w', status: 'running', node: 'n', params: { 'Customer.DisplayName': 'Carol', ...params }, steps: 0 };
}

/** Runs one activity on a node as the engine would. */
export function runNode(node: WorkflowNode, s: WorkflowSnapshot = snap(), c: EngineContext = ctx(), event?: WorkflowEvent): ActivityResult {
  const act = activity(node.activity);
  if (!act) throw new Error(`no activity ${node.activity}`);
  return act.run({ nodeId: 'n', node, p: node.params ?? {}, snap: s, ctx: c, ...(event ? { event } : {}) });
}

/** A workflow around one node: each exit leads to a `message` saying the exit's name, then Disconnect. */
export function around(node: WorkflowNode, exits: string[]): WorkflowDefinition {
  const nodes: Record<string, WorkflowNode> = {
    n: { ...node, exits: Object.fromEntries(exits.map((e) => [e, `x_${e}`])) },
    bye: { activity: 'disconnect' },
  };
  for (const e of exits) nodes[`x_${e}`] = { activity: 'message', params: { text: `exit:${e}` }, exits: { next: 'bye' } };
  return { id: 'w', name: 'W', start: 'n', nodes };
}

/** Which exit a run took, read from the `exit:` message it sent. */
export function exitTaken(r: StepResult): string | undefined {
  for (const e of r.effects) if (e.type === 'sendMessage' && e.text.startsWith('exit:')) return e.text.slice(5);
  return undefined;
}

export function start(
  def: WorkflowDefinition,
  c: EngineContext = ctx(),
  params: Record<string, string> = { 'Customer.DisplayName': 'Carol' },
): StepResult {
  return startWorkflow(def, { params }, c);
}

export function resume(def: WorkflowDefinition, r: StepResult, e: WorkflowEvent, c: EngineContext = ctx()): StepResult {
  // Every resume goes through JSON, as the server stores snapshots.
  return resumeWorkflow(def, JSON.parse(JSON.stringify(r.snapshot)) as WorkflowSnapshot, e, c);
}

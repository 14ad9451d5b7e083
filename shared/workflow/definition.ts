/**
 * A workflow is a graph of activity nodes with named exits. Plain JSON so it can live in the
 * tenant configuration and be validated before it is selected for a service.
 */
export interface WorkflowNode {
  /** Activity kind, e.g. `message`, `queue`, `checkOpeningHours` (see activities/registry.ts). */
  activity: string;
  /** Activity parameters (validated by the activity). */
  params?: Record<string, unknown>;
  /** Exit name -> id of the next node. */
  exits?: Record<string, string>;
}

export interface WorkflowDefinition {
  id: string;
  name: string;
  /** Id of the first node. */
  start: string;
  nodes: Record<string, WorkflowNode>;
}

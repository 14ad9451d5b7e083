/**
 * Workflow validation: every problem, each with its node id. Unknown activities, bad parameters,
 * missing or dangling exits, unreachable nodes, a second queue on one path, and nodes from which
 * no path ends the conversation.
 */
import type { Problem } from '../util/problems';
import type { WorkflowDefinition } from './definition';
import { activity } from './activities/registry';

const at = (id: string) => `nodes.${id}`;

/** Problems that make the workflow unusable for anything. */
export function validateWorkflow(def: WorkflowDefinition): Problem[] {
  const problems: Problem[] = [];
  const ids = Object.keys(def.nodes);
  if (!Object.prototype.hasOwnProperty.call(def.nodes, def.start))
    problems.push({ path: 'start', message: `start node "${def.start}" does not exist` });
  const edges = new Map<string, string[]>();
  for (const id of ids) {
    const node = def.nodes[id]!;
    const act = typeof node?.activity === 'string' ? activity(node.activity) : undefined;
    const exits = node && typeof node.exits === 'object' && node.exits !== null ? node.exits : {};
    edges.set(
      id,
      Object.values(exits).filter((t): t is string => typeof t === 'string' && Object.prototype.hasOwnProperty.call(def.nodes, t)),
    );
    if (!act) {
      problems.push({ path: at(id), message: `unknown activity "${String(node?.activity)}"` });
      continue;
    }
    const p = node.params ?? {};
    for (const m of act.validate(p)) problems.push({ path: `${at(id)}.params`, message: m });
    const allowed = act.exits(p);
    for (const [exit, target] of Object.entries(exits)) {
      if (!allowed.includes(exit))
        problems.push({ path: `${at(id)}.exits.${exit}`, message: `activity "${act.kind}" has no exit "${exit}"` });
      else if (typeof target !== 'string' || !Object.prototype.hasOwnProperty.call(def.nodes, target))
        problems.push({ path: `${at(id)}.exits.${exit}`, message: `points to unknown node "${String(target)}"` });
    }
    for (const exit of act.requiredExits(p)) {
      if (exits[exit] === undefined)
        problems.push({ path: `${at(id)}.exits`, message: `missing exit "${exit}" of activity "${act.kind}"` });
    }
  }

  // Unreachable nodes.
  const reached = new Set<string>();
  const stack = Object.prototype.hasOwnProperty.call(def.nodes, def.start) ? [def.start] : [];
  while (stack.length) {
    const id = stack.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    stack.push(...(edges.get(id) ?? []));
  }
  for (const id of ids) if (!reached.has(id)) problems.push({ path: at(id), message: 'is never reached from the start node' });

  // A second queue on one path: from a queueing node, another queueing node must not be reachable.
  const queues = ids.filter((id) => activity(def.nodes[id]!.activity)?.queues);
  for (const q of queues) {
    const seen = new Set<string>();
    const todo = [...(edges.get(q) ?? [])];
    while (todo.length) {
      const id = todo.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      if (id !== q && queues.includes(id)) {
        problems.push({ path: at(id), message: `a second queue on the path after "${q}": a task can be queued once` });
        continue;
      }
      todo.push(...(edges.get(id) ?? []));
    }
  }

  // Nodes from which no path ends the conversation.
  const ends = new Set(ids.filter((id) => activity(def.nodes[id]!.activity)?.terminal));
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of ids) {
      if (ends.has(id)) continue;
      if ((edges.get(id) ?? []).some((t) => ends.has(t))) {
        ends.add(id);
        changed = true;
      }
    }
  }
  // What runs beside a Queue Task (a position loop) ends when the queue does, through the Queue Task's own exits.
  const covered = new Set<string>();
  for (const q of queues) {
    const node = def.nodes[q]!;
    if (node.activity !== 'queueTask' || !ends.has(q)) continue;
    const todo = node.exits?.next !== undefined ? [node.exits.next] : [];
    while (todo.length) {
      const id = todo.pop()!;
      if (covered.has(id) || id === q) continue;
      covered.add(id);
      todo.push(...(edges.get(id) ?? []));
    }
  }
  for (const id of ids) {
    if (reached.has(id) && !ends.has(id) && !covered.has(id) && activity(def.nodes[id]!.activity)) {
      problems.push({ path: at(id), message: 'no path from here ends the conversation (add a Disconnect)' });
    }
  }
  return problems;
}

/** Problems that make the workflow unselectable for an IM service: activities only voice supports. */
export function imSupportProblems(def: WorkflowDefinition): Problem[] {
  return Object.entries(def.nodes)
    .filter(([, node]) => activity(node.activity)?.imSupported === false)
    .map(([id, node]) => ({ path: at(id), message: `activity "${node.activity}" is not supported for Instant Messaging` }));
}

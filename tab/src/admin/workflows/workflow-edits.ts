/**
 * Edits of workflow definitions, as pure functions returning a new definition (or list): what the
 * editor's buttons, forms and graph gestures do. Nothing here mutates its input.
 */
import type { ServiceConfig } from '../../../../shared/tenant/model';
import type { WorkflowDefinition, WorkflowNode } from '../../../../shared/workflow/definition';
import { activity } from '../../../../shared/workflow/activities/registry';

/** The tenant's id rule (shared/tenant/validate.ts). */
const ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Services whose IM workflow is `workflowId`. */
export function servicesUsing(services: readonly ServiceConfig[], workflowId: string): ServiceConfig[] {
  return services.filter((s) => s.im.workflowId === workflowId);
}

/** `base`, or `base-2`, `base-3`… whichever is not taken. */
export function uniqueId(base: string, taken: Iterable<string>, sep = '-'): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}${sep}${n}`)) return `${base}${sep}${n}`;
}

/** A valid workflow id made from a name (`Sales after hours` → `sales-after-hours`). */
export function slug(name: string): string {
  const s = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 50);
  return ID.test(s) ? s : 'workflow';
}

/** A deep copy: definitions are plain JSON by contract (definition.ts). */
const copyNodes = (nodes: Record<string, WorkflowNode>): Record<string, WorkflowNode> =>
  JSON.parse(JSON.stringify(nodes)) as Record<string, WorkflowNode>;

/** A new workflow named `name`, a copy of `template`'s graph, with an id no other workflow has. */
export function workflowFrom(template: WorkflowDefinition, name: string, list: readonly WorkflowDefinition[]): WorkflowDefinition {
  return {
    id: uniqueId(
      slug(name),
      list.map((w) => w.id),
    ),
    name,
    start: template.start,
    nodes: copyNodes(template.nodes),
  };
}

/** A copy of `def` named "Copy of …". */
export function duplicateWorkflow(def: WorkflowDefinition, list: readonly WorkflowDefinition[]): WorkflowDefinition {
  const name = uniqueId(
    `Copy of ${def.name}`,
    list.map((w) => w.name),
    ' ',
  );
  return {
    ...workflowFrom(def, name, list),
    id: uniqueId(
      `${def.id}-copy`.slice(0, 60),
      list.map((w) => w.id),
    ),
  };
}

function withNode(def: WorkflowDefinition, id: string, node: WorkflowNode): WorkflowDefinition {
  return { ...def, nodes: { ...def.nodes, [id]: node } };
}

/**
 * Sets a node's parameters. When the change renames one exit of an activity whose exits come from
 * its parameters (a menu option's or a condition's exit), the connection moves with it.
 */
export function setNodeParams(def: WorkflowDefinition, id: string, params: Record<string, unknown>): WorkflowDefinition {
  const node = def.nodes[id];
  if (!node) return def;
  const next: WorkflowNode = { ...node };
  if (Object.keys(params).length) next.params = params;
  else delete next.params;
  const act = activity(node.activity);
  if (act && node.exits) {
    const before = act.exits(node.params ?? {});
    const after = act.exits(params);
    const gone = before.filter((e) => !after.includes(e) && node.exits![e] !== undefined);
    const added = after.filter((e) => !before.includes(e) && node.exits![e] === undefined);
    if (gone.length === 1 && added.length === 1) {
      const exits = { ...node.exits, [added[0]!]: node.exits[gone[0]!]! };
      delete exits[gone[0]!];
      next.exits = exits;
    }
  }
  return withNode(def, id, next);
}

/** Points a node's exit at `target` (replacing what it pointed at), or disconnects it. */
export function setExit(def: WorkflowDefinition, id: string, exit: string, target: string | undefined): WorkflowDefinition {
  const node = def.nodes[id];
  if (!node) return def;
  const exits = { ...(node.exits ?? {}) };
  if (target === undefined) delete exits[exit];
  else exits[exit] = target;
  const next: WorkflowNode = { ...node };
  if (Object.keys(exits).length) next.exits = exits;
  else delete next.exits;
  return withNode(def, id, next);
}

/** Removes nodes and every exit that pointed at them. The start node is refused (the definition needs one). */
export function removeNodes(def: WorkflowDefinition, ids: Iterable<string>): WorkflowDefinition {
  const gone = new Set([...ids].filter((id) => id !== def.start));
  if (gone.size === 0) return def;
  const nodes: Record<string, WorkflowNode> = {};
  for (const [id, node] of Object.entries(def.nodes)) {
    if (gone.has(id)) continue;
    const exits = Object.entries(node.exits ?? {}).filter(([, t]) => !gone.has(t));
    const next: WorkflowNode = { ...node };
    if (exits.length) next.exits = Object.fromEntries(exits);
    else delete next.exits;
    nodes[id] = next;
  }
  return { ...def, nodes };
}

/** Adds a node of `kind` with a fresh id (`message2`); returns the definition and the id. */
export function addNode(def: WorkflowDefinition, kind: string): { def: WorkflowDefinition; id: string } {
  const id = uniqueId(kind, Object.keys(def.nodes), '');
  return { def: withNode(def, id, { activity: kind }), id };
}

/** Why a node cannot be renamed to `to`, or undefined when it can. */
export function nodeNameProblem(def: WorkflowDefinition, from: string, to: string): string | undefined {
  if (to.trim() === '') return 'A node needs a name.';
  if (to !== to.trim()) return 'A name cannot start or end with a space.';
  if (to !== from && Object.prototype.hasOwnProperty.call(def.nodes, to)) return `Another node is named "${to}".`;
  return undefined;
}

/** Renames a node, keeping every exit that pointed at it and the start. */
export function renameNode(def: WorkflowDefinition, from: string, to: string): WorkflowDefinition {
  if (from === to || !def.nodes[from] || nodeNameProblem(def, from, to)) return def;
  const nodes: Record<string, WorkflowNode> = {};
  for (const [id, node] of Object.entries(def.nodes)) {
    const exits = node.exits && Object.fromEntries(Object.entries(node.exits).map(([e, t]) => [e, t === from ? to : t]));
    nodes[id === from ? to : id] = exits ? { ...node, exits } : node;
  }
  return { ...def, start: def.start === from ? to : def.start, nodes };
}

/** Makes `id` the start node. */
export function setStart(def: WorkflowDefinition, id: string): WorkflowDefinition {
  return def.nodes[id] ? { ...def, start: id } : def;
}

/** The exits a node shows: the activity's, then any it maps that the activity does not have. */
export function nodeExits(node: WorkflowNode): { name: string; required: boolean; known: boolean }[] {
  const act = activity(node.activity);
  const p = node.params ?? {};
  const allowed = act ? act.exits(p) : [];
  const required = act ? act.requiredExits(p) : [];
  const extra = Object.keys(node.exits ?? {}).filter((e) => !allowed.includes(e));
  return [
    ...allowed.map((name) => ({ name, required: required.includes(name), known: true })),
    ...extra.map((name) => ({ name, required: false, known: false })),
  ];
}

/**
 * Problems of the open workflow, each tied to the node it is about: the live ones from
 * `validateWorkflow` and `imSupportProblems` (paths `nodes.<id>…`, relative to the workflow) and
 * the server's from the last save (paths `workflows[2].nodes.<id>…` in the tenant document).
 */
import type { ConfigProblem } from '../../../../shared/contract/admin';
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';
import { imSupportProblems, validateWorkflow } from '../../../../shared/workflow/validate';

export type ProblemOrigin = 'validation' | 'im' | 'server';

export interface LocatedProblem {
  /** Stable key for lists. */
  key: string;
  /** Path relative to the workflow (`nodes.hours.exits.open`, `start`, `name`). */
  path: string;
  message: string;
  /** The node the path names, when it names one that exists. */
  nodeId?: string;
  /** What of the node the path names after the node (`exits.open`, `params`), empty for the node itself. */
  where?: string;
  origin: ProblemOrigin;
}

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * The node a workflow-relative path names. Accepts `nodes.<id>…` (the validator's form; the id
 * may itself contain dots, so the longest id that fits wins), `nodes[<index>]…` (index into the
 * definition's node order) and `nodes["<id>"]…`.
 */
export function nodeOfPath(path: string, def: WorkflowDefinition): string | undefined {
  return locateNode(path, def)?.nodeId;
}

/** The node a path names and what follows it (`exits.open`, `params`, or empty). */
export function locateNode(path: string, def: WorkflowDefinition): { nodeId: string; rest: string } | undefined {
  const ids = Object.keys(def.nodes);
  const after = (tail: string) => tail.replace(/^\./, '');
  const indexed = /^nodes\[(\d+)\]($|[.[].*)/.exec(path);
  if (indexed) {
    const nodeId = ids[Number(indexed[1])];
    return nodeId === undefined ? undefined : { nodeId, rest: after(indexed[2]!) };
  }
  const quoted = /^nodes\[(["'])(.*?)\1\]($|[.[].*)/.exec(path);
  if (quoted) return has(def.nodes, quoted[2]!) ? { nodeId: quoted[2]!, rest: after(quoted[3]!) } : undefined;
  if (!path.startsWith('nodes.')) return undefined;
  const tail = path.slice('nodes.'.length);
  let best: string | undefined;
  for (const id of ids) {
    if ((tail === id || tail.startsWith(`${id}.`) || tail.startsWith(`${id}[`)) && id.length > (best?.length ?? -1)) best = id;
  }
  return best === undefined ? undefined : { nodeId: best, rest: after(tail.slice(best.length)) };
}

/** The part of a tenant-document path inside `workflows[index]`, or undefined for other paths. */
export function relativeToWorkflow(path: string, index: number): string | undefined {
  const prefix = `workflows[${index}]`;
  if (!path.startsWith(prefix)) return undefined;
  const rest = path.slice(prefix.length);
  if (rest === '') return '';
  if (rest.startsWith('.')) return rest.slice(1);
  if (rest.startsWith('[')) return rest;
  return undefined;
}

function located(path: string, message: string, origin: ProblemOrigin, def: WorkflowDefinition): LocatedProblem {
  const at = locateNode(path, def);
  return { key: `${origin}:${path}:${message}`, path, message, origin, ...(at ? { nodeId: at.nodeId, where: at.rest } : {}) };
}

/** The server's problems about the workflow at `index` of the tenant document. */
export function serverProblemsFor(problems: readonly ConfigProblem[], index: number, def: WorkflowDefinition): LocatedProblem[] {
  const out: LocatedProblem[] = [];
  for (const p of problems) {
    const rel = relativeToWorkflow(p.path, index);
    if (rel !== undefined) out.push(located(rel, p.message, 'server', def));
  }
  return out;
}

/**
 * Every problem of the open workflow: live validation, IM support, then what the server said at
 * the last save that live validation does not already say (checks only the server can make, such
 * as a duplicate id; or problems an edit since has fixed, which disappear at the next save).
 */
export function workflowProblems(def: WorkflowDefinition, index: number, server: readonly ConfigProblem[]): LocatedProblem[] {
  const live = [
    ...validateWorkflow(def).map((p) => located(p.path, p.message, 'validation', def)),
    ...imSupportProblems(def).map((p) => located(p.path, p.message, 'im', def)),
  ];
  const seen = new Set(live.map((p) => `${p.path}\n${p.message}`));
  const fromServer = serverProblemsFor(server, index, def).filter((p) => !seen.has(`${p.path}\n${p.message}`));
  return [...live, ...fromServer];
}

/** Problem count per node id. */
export function countByNode(problems: readonly LocatedProblem[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of problems) if (p.nodeId !== undefined) counts.set(p.nodeId, (counts.get(p.nodeId) ?? 0) + 1);
  return counts;
}

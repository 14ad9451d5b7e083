/**
 * The layering rules of bot/, as pure functions over a file-level import graph (tools/layers/check.ts
 * builds the graph with dependency-cruiser and runs them from `npm run lint`).
 *
 * - no-schema-outside-store: only bot/store/ imports the drizzle schema (bot/store/schema.ts). Tests
 *   (bot/test/**, *.test.ts) may, to seed and inspect rows.
 * - no-folder-cycle: the top-level folders of bot/ form no cycle. A unit is `bot/<folder>`, except
 *   `bot/channels/<name>`, which is a unit of its own; every file directly in bot/ is a unit of its own
 *   (app.ts and main.ts, the composition root, import the folders and no folder imports them, so they
 *   close a cycle only if a folder imports the root; config.ts is a leaf: a folder it imported that
 *   imports it back would be a cycle). Type-only imports count. Tests (bot/test/**, *.test.ts) are
 *   left out of the graph: they sit on top of everything.
 *
 * A baseline (bot/.layers-baseline.json) lists the violations that exist today; only others fail.
 */

export const SCHEMA = 'bot/store/schema.ts';
export const SCHEMA_RULE = 'no-schema-outside-store';
export const CYCLE_RULE = 'no-folder-cycle';
/** Folders of bot/ whose sub-folders are units of their own. */
export const SPLIT_FOLDERS = ['channels'];

/** One import: `from` imports `to` (paths relative to the repository root, forward slashes). */
export interface FileEdge {
  from: string;
  to: string;
}

export interface Baseline {
  /** Files outside bot/store/ that may still import the schema. */
  schemaImports: string[];
  /** Folder edges `bot/a -> bot/b` that may still lie on a cycle. */
  folderCycleEdges: string[];
}

export const emptyBaseline = (): Baseline => ({ schemaImports: [], folderCycleEdges: [] });

export function isTest(file: string): boolean {
  return file.startsWith('bot/test/') || /\.test\.[cm]?tsx?$/.test(file);
}

/** The unit of the cycle rule a file belongs to, or null when the file takes no part in it. */
export function unitOf(file: string): string | null {
  if (!file.startsWith('bot/') || isTest(file)) return null;
  const parts = file.split('/');
  if (parts.length === 2) return file; // a file directly in bot/
  const top = parts[1]!;
  if (SPLIT_FOLDERS.includes(top) && parts.length > 3) return `bot/${top}/${parts[2]}`;
  return `bot/${top}`;
}

/** Files (not tests, not in bot/store/) that import the schema, each with the imports that do. */
export function schemaImports(edges: FileEdge[]): Map<string, FileEdge[]> {
  const out = new Map<string, FileEdge[]>();
  for (const e of edges) {
    if (e.to !== SCHEMA || e.from.startsWith('bot/store/') || isTest(e.from)) continue;
    out.set(e.from, [...(out.get(e.from) ?? []), e]);
  }
  return out;
}

/** unit -> unit -> the file imports behind that folder edge (self edges dropped). */
export type FolderGraph = Map<string, Map<string, FileEdge[]>>;

export function folderGraph(edges: FileEdge[]): FolderGraph {
  const g: FolderGraph = new Map();
  for (const e of edges) {
    const a = unitOf(e.from);
    const b = unitOf(e.to);
    if (!a || !b || a === b) continue;
    if (!g.has(a)) g.set(a, new Map());
    if (!g.has(b)) g.set(b, new Map());
    const out = g.get(a)!;
    out.set(b, [...(out.get(b) ?? []), e]);
  }
  for (const out of g.values()) for (const list of out.values()) list.sort((x, y) => cmp(x.from, y.from) || cmp(x.to, y.to));
  return g;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const successors = (g: FolderGraph, u: string): string[] => [...(g.get(u)?.keys() ?? [])].sort(cmp);

/** Strongly connected components with more than one unit: each is a set of folders in a cycle. */
export function cyclicComponents(g: FolderGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (u: string): void => {
    index.set(u, next);
    low.set(u, next);
    next++;
    stack.push(u);
    onStack.add(u);
    for (const v of successors(g, u)) {
      if (!index.has(v)) {
        visit(v);
        low.set(u, Math.min(low.get(u)!, low.get(v)!));
      } else if (onStack.has(v)) {
        low.set(u, Math.min(low.get(u)!, index.get(v)!));
      }
    }
    if (low.get(u) === index.get(u)) {
      const comp: string[] = [];
      let v: string;
      do {
        v = stack.pop()!;
        onStack.delete(v);
        comp.push(v);
      } while (v !== u);
      if (comp.length > 1) out.push(comp.sort(cmp));
    }
  };
  for (const u of [...g.keys()].sort(cmp)) if (!index.has(u)) visit(u);
  return out.sort((a, b) => cmp(a[0]!, b[0]!));
}

export interface CycleEdge {
  /** `bot/a -> bot/b` */
  key: string;
  from: string;
  to: string;
  /** A shortest cycle through this edge: from, to, ..., from. */
  cycle: string[];
}

export const edgeKey = (from: string, to: string): string => `${from} -> ${to}`;

/** Every folder edge that lies on a cycle (both ends in one component), with a shortest cycle through it. */
export function cycleEdges(g: FolderGraph): CycleEdge[] {
  const out: CycleEdge[] = [];
  for (const comp of cyclicComponents(g)) {
    const inComp = new Set(comp);
    for (const from of comp) {
      for (const to of successors(g, from)) {
        if (!inComp.has(to)) continue;
        out.push({ key: edgeKey(from, to), from, to, cycle: [from, ...shortestPath(g, to, from, inComp)] });
      }
    }
  }
  return out;
}

/** Breadth-first: the shortest path from `start` to `goal` within `allowed` (both ends included). */
function shortestPath(g: FolderGraph, start: string, goal: string, allowed: Set<string>): string[] {
  const prev = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const u = queue.shift()!;
    if (u === goal) break;
    for (const v of successors(g, u)) {
      if (!allowed.has(v) || prev.has(v)) continue;
      prev.set(v, u);
      queue.push(v);
    }
  }
  const path: string[] = [];
  for (let u: string | null | undefined = goal; u != null; u = prev.get(u)) path.unshift(u);
  return path;
}

export interface Findings {
  /** Schema imports outside bot/store/ not in the baseline. */
  schema: Map<string, FileEdge[]>;
  /** Folder cycle edges not in the baseline. */
  cycles: CycleEdge[];
  /** Baseline entries that no longer occur (to be removed from the file). */
  stale: string[];
  /** Everything found, baseline or not (for --all and --write-baseline). */
  all: { schema: Map<string, FileEdge[]>; cycles: CycleEdge[] };
}

export function check(edges: FileEdge[], baseline: Baseline = emptyBaseline()): Findings {
  const schema = schemaImports(edges);
  const cycles = cycleEdges(folderGraph(edges));
  const allowedSchema = new Set(baseline.schemaImports);
  const allowedEdges = new Set(baseline.folderCycleEdges);
  const stale = [
    ...baseline.schemaImports.filter((f) => !schema.has(f)),
    ...baseline.folderCycleEdges.filter((k) => !cycles.some((c) => c.key === k)),
  ];
  return {
    schema: new Map([...schema].filter(([f]) => !allowedSchema.has(f))),
    cycles: cycles.filter((c) => !allowedEdges.has(c.key)),
    stale,
    all: { schema, cycles },
  };
}

export function baselineOf(f: Findings): Baseline {
  return {
    schemaImports: [...f.all.schema.keys()].sort(cmp),
    folderCycleEdges: f.all.cycles.map((c) => c.key).sort(cmp),
  };
}

const short = (file: string): string => file.replace(/^bot\//, '');

/** Human-readable lines for the given violations; `g` supplies the file imports behind each folder edge. */
export function format(schema: Map<string, FileEdge[]>, cycles: CycleEdge[], g: FolderGraph, maxFiles = 4): string[] {
  const lines: string[] = [];
  if (schema.size) {
    lines.push(`${SCHEMA_RULE}: only bot/store/ may import the drizzle schema (${SCHEMA}); call a function of bot/store/ instead.`);
    for (const [file] of [...schema].sort(([a], [b]) => cmp(a, b))) lines.push(`  ${file} imports ${SCHEMA}`);
  }
  if (cycles.length) {
    lines.push(`${CYCLE_RULE}: folders of bot/ (each bot/channels/<name> apart) may not import each other in a cycle; import type counts.`);
    for (const c of cycles) {
      lines.push(`  ${c.cycle.join(' -> ')}`);
      for (let i = 1; i < c.cycle.length; i++) {
        const [a, b] = [c.cycle[i - 1]!, c.cycle[i]!];
        const files = g.get(a)?.get(b) ?? [];
        const shown = files.slice(0, maxFiles).map((e) => `${short(e.from)} -> ${short(e.to)}`);
        if (files.length > maxFiles) shown.push(`(+${files.length - maxFiles} more)`);
        lines.push(`    ${edgeKey(a, b)} via ${shown.join(', ')}`);
      }
    }
  }
  return lines;
}

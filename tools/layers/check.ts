/**
 * `npm run lint` step: the layering rules of bot/ (tools/layers/layers.ts) on the import graph that
 * dependency-cruiser extracts (type-only imports included), less the violations listed in the baseline.
 *
 *   node --import tsx tools/layers/check.ts                   fail on a violation not in bot/.layers-baseline.json
 *   node --import tsx tools/layers/check.ts --all             list every violation, baseline or not
 *   node --import tsx tools/layers/check.ts --write-baseline  rewrite the baseline from the tree (it should only shrink)
 *   --root DIR, --baseline FILE                               another tree or baseline (the tests use a temp dir)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ICruiseOptions, ICruiseResult } from 'dependency-cruiser';
import { baselineOf, check, cyclicComponents, emptyBaseline, folderGraph, format, type Baseline, type FileEdge } from './layers';

const BASELINE = 'bot/.layers-baseline.json';

/** Where an import of bot/ can start: bot/, and the benches and browser tests that drive it (shared/, tab/, widget/ never import bot/). */
const SOURCES = ['bot', 'bench', 'e2e'];

const cruiseOptions = (baseDir: string): ICruiseOptions => ({
  baseDir,
  // Imports TypeScript erases (import type, unused imports) are dependencies too.
  tsPreCompilationDeps: true,
  doNotFollow: { path: ['node_modules', '^shared/', '^tab/', '^widget/'] },
  exclude: { path: ['node_modules', '/dist/', '^bot/store/migrations/'] },
});

function args(argv: string[]): { root: string; baseline: string; all: boolean; write: boolean } {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const root = resolve(get('--root') ?? join(__dirname, '..', '..'));
  return {
    root,
    baseline: resolve(root, get('--baseline') ?? BASELINE),
    all: argv.includes('--all'),
    write: argv.includes('--write-baseline'),
  };
}

function readBaseline(file: string): Baseline {
  if (!existsSync(file)) return emptyBaseline();
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<Baseline>;
  return { schemaImports: raw.schemaImports ?? [], folderCycleEdges: raw.folderCycleEdges ?? [] };
}

async function main(): Promise<number> {
  const opts = args(process.argv.slice(2));
  const { cruise } = await import('dependency-cruiser');
  const sources = SOURCES.filter((s) => existsSync(join(opts.root, s)));
  const result = (await cruise(sources, cruiseOptions(opts.root))).output as ICruiseResult;

  const edges: FileEdge[] = result.modules.flatMap((m) =>
    m.dependencies.filter((d) => !d.couldNotResolve && !d.coreModule).map((d) => ({ from: m.source, to: d.resolved })),
  );
  const baseline = readBaseline(opts.baseline);
  const findings = check(edges, opts.all || opts.write ? emptyBaseline() : baseline);
  if (opts.write) {
    const body = {
      $comment:
        'Temporary allowlist of npm run lint (tools/layers/check.ts): violations that predate the rules. Remove entries as they are fixed; add none.',
      ...baselineOf(findings),
    };
    writeFileSync(opts.baseline, JSON.stringify(body, null, 2) + '\n');
    console.log(
      `layers: wrote ${body.schemaImports.length} schema imports and ${body.folderCycleEdges.length} cycle edges to ${opts.baseline}`,
    );
    return 0;
  }

  const g = folderGraph(edges);
  const lines = format(findings.schema, findings.cycles, g, opts.all ? Infinity : 4);
  const where = relative(opts.root, opts.baseline);
  if (!opts.all && findings.stale.length) console.log(`layers: no longer found, remove from ${where}: ${findings.stale.join(', ')}`);
  if (!lines.length) {
    console.log(`layers: ok (${result.summary.totalCruised} modules)`);
    return 0;
  }
  const n = findings.schema.size + findings.cycles.length;
  if (opts.all) console.error(`layers: ${n} violation(s), baseline ignored`);
  else console.error(`layers: ${n} new violation(s); fix them (${where} only lists those that predate the rule)`);
  for (const line of lines) console.error(line);
  if (opts.all) for (const c of cyclicComponents(g)) console.error(`cyclic component: ${c.join(', ')}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);

/**
 * The layering rules of bot/ are enforced by `npm run lint` (tools/layers/check.ts): only bot/store/ imports the
 * drizzle schema, and bot/'s folders import each other in no cycle. Violations listed in bot/.layers-baseline.json
 * are tolerated until fixed; any other fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { check, cyclicComponents, folderGraph, format, unitOf, type FileEdge } from '../../tools/layers/layers';

const root = join(__dirname, '..', '..');
const edge = (from: string, to: string): FileEdge => ({ from, to });

describe('the rules on a synthetic import graph', () => {
  test('a unit is a top-level folder of bot/, each bot/channels/<name> apart, each file of bot/ alone; tests are none', () => {
    expect(unitOf('bot/services/chats.ts')).toBe('bot/services');
    expect(unitOf('bot/http/routes/agent.ts')).toBe('bot/http');
    expect(unitOf('bot/channels/whatsapp/routes.ts')).toBe('bot/channels/whatsapp');
    expect(unitOf('bot/config.ts')).toBe('bot/config.ts');
    expect(unitOf('bot/test/harness.ts')).toBeNull();
    expect(unitOf('bot/teams/budget.test.ts')).toBeNull();
    expect(unitOf('shared/task/types.ts')).toBeNull();
  });

  test('the schema may be imported from bot/store/ and tests only', () => {
    const f = check([
      edge('bot/store/db.ts', 'bot/store/schema.ts'),
      edge('bot/test/tenants.test.ts', 'bot/store/schema.ts'),
      edge('bot/teams/budget.test.ts', 'bot/store/schema.ts'),
      edge('bot/services/repo.ts', 'bot/store/schema.ts'),
      edge('bench/seed.ts', 'bot/store/schema.ts'),
    ]);
    expect([...f.schema.keys()]).toEqual(['bot/services/repo.ts', 'bench/seed.ts']);
    expect(format(f.schema, [], new Map()).join('\n')).toMatch(
      /no-schema-outside-store[\s\S]*bot\/services\/repo\.ts imports bot\/store\/schema\.ts/,
    );
  });

  test('a cycle between folders fails with its path and the imports that make it', () => {
    const edges = [
      edge('bot/services/chats.ts', 'bot/http/errors.ts'),
      edge('bot/http/routes/agent.ts', 'bot/tasks/offers.ts'),
      edge('bot/tasks/offers.ts', 'bot/services/chats.ts'),
      edge('bot/http/server.ts', 'bot/http/routes/agent.ts'), // inside one folder: no edge
      edge('bot/app.ts', 'bot/http/server.ts'), // the root imports folders: no cycle
    ];
    const f = check(edges);
    expect(f.cycles.map((c) => c.key)).toEqual(['bot/http -> bot/tasks', 'bot/services -> bot/http', 'bot/tasks -> bot/services']);
    const text = format(f.schema, f.cycles, folderGraph(edges)).join('\n');
    expect(text).toContain('bot/services -> bot/http -> bot/tasks -> bot/services');
    expect(text).toContain('bot/services -> bot/http via services/chats.ts -> http/errors.ts');
    expect(text).toContain('bot/http -> bot/tasks via http/routes/agent.ts -> tasks/offers.ts');
  });

  test('bot/channels/<name> are separate units; config.ts is one; tests and acyclic graphs pass', () => {
    expect(check([edge('bot/channels/sms/a.ts', 'bot/channels/whatsapp/b.ts')]).cycles).toEqual([]);
    expect(
      cyclicComponents(
        folderGraph([
          edge('bot/channels/sms/a.ts', 'bot/channels/whatsapp/b.ts'),
          edge('bot/channels/whatsapp/b.ts', 'bot/channels/sms/c.ts'),
        ]),
      ),
    ).toEqual([['bot/channels/sms', 'bot/channels/whatsapp']]);
    expect(check([edge('bot/util/log.ts', 'bot/config.ts'), edge('bot/config.ts', 'bot/util/ids.ts')]).cycles.map((c) => c.key)).toEqual([
      'bot/config.ts -> bot/util',
      'bot/util -> bot/config.ts',
    ]);
    expect(
      check([
        edge('bot/test/harness.ts', 'bot/app.ts'),
        edge('bot/app.ts', 'bot/http/server.ts'),
        edge('bot/http/server.ts', 'bot/util/log.ts'),
      ]),
    ).toMatchObject({
      cycles: [],
      schema: new Map(),
    });
  });

  test('the baseline tolerates the listed violations, not new ones, and names the fixed ones', () => {
    const edges = [
      edge('bot/services/repo.ts', 'bot/store/schema.ts'),
      edge('bot/teams/bot.ts', 'bot/store/schema.ts'),
      edge('bot/services/chats.ts', 'bot/http/errors.ts'),
      edge('bot/http/routes/agent.ts', 'bot/services/agents.ts'),
    ];
    const f = check(edges, {
      schemaImports: ['bot/services/repo.ts', 'bot/tenants/load.ts'],
      folderCycleEdges: ['bot/services -> bot/http', 'bot/events -> bot/services'],
    });
    expect([...f.schema.keys()]).toEqual(['bot/teams/bot.ts']);
    expect(f.cycles.map((c) => c.key)).toEqual(['bot/http -> bot/services']);
    expect(f.stale).toEqual(['bot/tenants/load.ts', 'bot/events -> bot/services']);
  });
});

describe('npm run lint on probe files (dependency-cruiser extracts the imports)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lint-layers-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
  }
  function lint(): { status: number | null; out: string } {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'tools', 'layers', 'check.ts'), '--root', dir], {
      cwd: root,
      encoding: 'utf8',
    });
    return { status: r.status, out: r.stdout + r.stderr };
  }

  const clean = {
    'bot/store/schema.ts': 'export const agents = { name: "agents" };\n',
    'bot/store/db.ts': "import { agents } from './schema';\nexport const table = () => agents;\n",
    'bot/http/errors.ts': 'export class HttpError extends Error {}\n',
    'bot/services/agents.ts':
      "import { table } from '../store/db';\nimport { HttpError } from '../http/errors';\nexport const get = () => { if (!table()) throw new HttpError(); };\n",
    'bot/test/agents.test.ts': "import { agents } from '../store/schema';\nexport const seeded = agents;\n",
    'bot/app.ts': "import { get } from './services/agents';\nexport const app = get;\n",
  };
  const dirty = {
    ...clean,
    // a schema import outside bot/store/, by a path that does not spell store/schema
    'bot/teams/bot.ts': "import { agents } from '../teams/../store/./schema';\nexport const installations = agents;\n",
    // http -> services (type only) closes services -> http
    'bot/http/routes/agent.ts': "import type { get } from '../../services/agents';\nexport type Get = typeof get;\n",
  };

  test('a clean tree passes', () => {
    write(clean);
    const r = lint();
    expect(r.out).toContain('layers: ok');
    expect(r.status).toBe(0);
  }, 60_000);

  test('a schema import outside bot/store/ and a folder cycle (through import type) fail, naming files and path', () => {
    write(dirty);
    const r = lint();
    expect(r.status).toBe(1);
    expect(r.out).toContain('bot/teams/bot.ts imports bot/store/schema.ts');
    expect(r.out).toContain('bot/http -> bot/services -> bot/http');
    expect(r.out).toContain('bot/http -> bot/services via http/routes/agent.ts -> services/agents.ts');
    expect(r.out).toContain('bot/services -> bot/http via services/agents.ts -> http/errors.ts');
  }, 60_000);

  test('the same violations listed in the baseline pass; a new one still fails', () => {
    write({
      ...dirty,
      'bot/.layers-baseline.json': JSON.stringify({
        schemaImports: ['bot/teams/bot.ts'],
        folderCycleEdges: ['bot/http -> bot/services', 'bot/services -> bot/http'],
      }),
    });
    expect(lint()).toMatchObject({ status: 0 });
    write({ 'bot/services/repo.ts': "import { agents } from '../store/schema';\nexport const all = agents;\n" });
    const r = lint();
    expect(r.status).toBe(1);
    expect(r.out).toContain('bot/services/repo.ts imports bot/store/schema.ts');
    expect(r.out).not.toContain('bot/teams/bot.ts imports');
  }, 60_000);
});

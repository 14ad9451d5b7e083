/** The purity rule of shared/ is enforced by ESLint: I/O imports and process.env fail the lint. */
import { ESLint } from 'eslint';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

async function lint(code: string, file: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [r] = await eslint.lintText(code, { filePath: join(root, file) });
  return (r?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.ruleId ?? m.message);
}

test.each([
  ["import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'no-restricted-imports'],
  ["import restify from 'restify';\nexport const x = restify;\n", 'no-restricted-imports'],
  ["import { Pool } from 'pg';\nexport const x = Pool;\n", 'no-restricted-imports'],
  ['export const port = process.env.PORT;\n', 'no-restricted-properties'],
  ['export const now = Date.now();\n', 'no-restricted-properties'],
])('shared/ refuses %p', async (code, rule) => {
  expect(await lint(code, 'shared/task/purity-probe.ts')).toContain(rule);
});

test('the same import is fine in bot/', async () => {
  expect(await lint("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'bot/purity-probe.ts')).toEqual([]);
});

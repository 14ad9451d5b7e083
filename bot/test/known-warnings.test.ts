/** `npm start` does not greet with spdy's DEP0111, and every other warning still reaches stderr. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

test("only http-deceiver's DEP0111 is dropped", () => {
  const script = `
    require(${JSON.stringify(join(__dirname, '../util/known-warnings.ts'))});
    process.emitWarning("Access to process.binding('http_parser') is deprecated.", { type: 'DeprecationWarning', code: 'DEP0111' });
    process.emitWarning("Access to process.binding('fs') is deprecated.", { type: 'DeprecationWarning', code: 'DEP0111' });
    process.emitWarning('Buffer() is deprecated', 'DeprecationWarning', 'DEP0005');`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', cwd: join(__dirname, '../..') });
  expect(r.status).toBe(0);
  expect(r.stderr).not.toContain('http_parser');
  expect(r.stderr).toContain("process.binding('fs')");
  expect(r.stderr).toContain('DEP0005');
});

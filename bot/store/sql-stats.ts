/**
 * Statement statistics for benches (SQL_STATS=file, PGlite only): wraps the client's query entry
 * points and, at exit, writes per statement text the calls, rows returned and milliseconds spent,
 * most expensive first. Off unless the variable is set: the wrapper is never installed otherwise.
 */
import { writeFileSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';

interface Stat {
  calls: number;
  rows: number;
  ms: number;
}

type QueryFn = (q: string, params?: unknown[], opts?: unknown) => Promise<{ rows?: unknown[] }>;

/** Installs the counters on `client` and the report on process exit. */
export function recordSqlStats(client: PGlite, file: string): void {
  const stats = new Map<string, Stat>();
  const count = (q: string, ms: number, rows: number) => {
    const key = q.replace(/\s+/g, ' ').slice(0, 300);
    const s = stats.get(key) ?? { calls: 0, rows: 0, ms: 0 };
    s.calls += 1;
    s.rows += rows;
    s.ms += ms;
    stats.set(key, s);
  };
  const wrap = (fn: QueryFn): QueryFn =>
    async function (this: unknown, q, params, opts) {
      const t0 = performance.now();
      const r = await fn.call(this, q, params, opts);
      count(q, performance.now() - t0, r?.rows?.length ?? 0);
      return r;
    };
  const c = client as unknown as { query: QueryFn; transaction: (f: (tx: { query: QueryFn }) => Promise<unknown>) => Promise<unknown> };
  c.query = wrap(c.query.bind(client));
  const transaction = c.transaction.bind(client);
  c.transaction = (f) =>
    transaction((tx) => {
      tx.query = wrap(tx.query.bind(tx));
      return f(tx);
    });
  process.on('exit', () => {
    const all = [...stats].sort((a, b) => b[1].ms - a[1].ms);
    const total = all.reduce((n, [, s]) => ({ calls: n.calls + s.calls, rows: n.rows + s.rows, ms: n.ms + s.ms }), {
      calls: 0,
      rows: 0,
      ms: 0,
    });
    writeFileSync(file, JSON.stringify({ total, statements: all.map(([sql, s]) => ({ ...s, ms: Math.round(s.ms), sql })) }, null, 1));
  });
}

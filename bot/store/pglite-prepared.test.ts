/**
 * The prepared path must answer exactly what PGlite's own `query` answers (rows, types, counts,
 * errors with their SQLSTATE), inside and outside transactions, and leave the database as it would.
 */
import { PGlite } from '@electric-sql/pglite';
import { usePreparedStatements } from './pglite-prepared';

let plain: PGlite;
let fast: PGlite;

beforeAll(async () => {
  plain = new PGlite();
  fast = new PGlite();
  await Promise.all([plain.waitReady, fast.waitReady]);
  usePreparedStatements(fast);
  for (const db of [plain, fast]) {
    await db.exec(`create table t (id text primary key, n bigint, ok boolean, doc jsonb, tags text[], at timestamptz);
      create unique index t_n on t (n);`);
  }
  // Two fresh engines start in a few seconds, longer on a busy machine.
}, 60_000);

afterAll(async () => {
  await Promise.all([plain.close(), fast.close()]);
});

/** Runs the same call on both clients and returns both answers (errors as their code and message). */
async function both(f: (db: PGlite) => Promise<unknown>): Promise<[unknown, unknown]> {
  const settle = (p: Promise<unknown>) =>
    p.then(
      (r) => ({ ok: r }),
      (e: { code?: string; message?: string }) => ({ error: e.code, message: e.message }),
    );
  return [await settle(f(plain)), await settle(f(fast))];
}

test('rows, types and counts are the same as PGlite query, called again and again', async () => {
  for (let i = 0; i < 8; i++) {
    const [a, b] = await both((db) =>
      db.query('insert into t (id, n, ok, doc, tags, at) values ($1, $2, $3, $4, $5, $6) returning *', [
        `r${i}`,
        i * 1000,
        i % 2 === 0,
        { i, nested: { s: 'x"y' } },
        ['a', `b${i}`],
        new Date(1_700_000_000_000 + i),
      ]),
    );
    expect(b).toEqual(a);
  }
  for (const rowMode of ['object', 'array'] as const) {
    const [a, b] = await both((db) => db.query('select * from t where n >= $1 order by id', [3000], { rowMode }));
    expect(b).toEqual(a);
    expect((b as { ok: { rows: unknown[] } }).ok.rows).toHaveLength(5);
  }
  const [u1, u2] = await both((db) => db.query('update t set ok = $1 where n < $2', [true, 4000]));
  expect(u2).toEqual(u1);
  expect((u2 as { ok: { affectedRows: number } }).ok.affectedRows).toBe(4);
  const [n1, n2] = await both((db) => db.query('select doc->>$1 as v, $2::int as k from t where id = $3', ['i', null, 'r2']));
  expect(n2).toEqual(n1);
  // And the answers came from named statements, one per distinct text (the plain client has none).
  const named = async (db: PGlite) =>
    (await db.query<{ n: number }>(`select count(*)::int as n from pg_prepared_statements where name like 'stratus_q%'`)).rows[0]!.n;
  expect(await named(fast)).toBe(4);
  expect(await named(plain)).toBe(0);
});

test('text in any script, and a large document, go in and come back as PGlite query gives them', async () => {
  // The Bind message is written into one buffer sized for the worst case: every width of UTF-8 at once.
  const text = `é€😀中 "quoted" \\ back\nslash ${'ü'.repeat(5000)}`;
  const doc = { big: '😀'.repeat(40_000), list: Array.from({ length: 2000 }, (_, i) => `x${i}`) };
  const [a, b] = await both((db) =>
    db.query('insert into t (id, n, ok, doc, tags, at) values ($1, $2, $3, $4, $5, $6) returning *', [
      text,
      -1,
      null,
      doc,
      [text, '', null],
      null,
    ]),
  );
  expect(b).toEqual(a);
  const row = (b as { ok: { rows: { id: string; doc: unknown }[] } }).ok.rows[0]!;
  expect(row.id).toBe(text);
  expect(row.doc).toEqual(doc);
  await both((db) => db.query('delete from t where id = $1', [text]));
});

test("a caller's parsers apply to their types and the client's to the rest, as in PGlite query", async () => {
  await both((db) =>
    db.query('insert into t (id, n, ok, doc, tags, at) values ($1, $2, $3, $4, $5, $6)', ['p1', 77, true, { a: 1 }, ['x'], new Date(0)]),
  );
  // Drizzle's shape: a few types kept as text, the others parsed by the client (bigint, jsonb, arrays).
  const parsers = { 1184: (v: string) => `tz:${v}`, 16: (v: string) => `bool:${v}` };
  for (const rowMode of ['object', 'array'] as const) {
    const [a, b] = await both((db) => db.query('select * from t where id = $1', ['p1'], { rowMode, parsers }));
    expect(b).toEqual(a);
  }
  const [, b] = await both((db) => db.query<Record<string, unknown>>('select * from t where id = $1', ['p1'], { parsers }));
  expect((b as { ok: { rows: Record<string, unknown>[] } }).ok.rows[0]).toMatchObject({
    n: 77,
    ok: 'bool:t',
    doc: { a: 1 },
    tags: ['x'],
    at: expect.stringMatching(/^tz:1970-01-01/),
  });
  // A statement that returns no rows takes parsers too.
  const [u1, u2] = await both((db) => db.query('update t set n = $1 where id = $2', [78, 'p1'], { parsers }));
  expect(u2).toEqual(u1);
});

test('a database error keeps its SQLSTATE, outside and inside a transaction, and rolls back as it would', async () => {
  const [a, b] = await both((db) => db.query('insert into t (id, n) values ($1, $2)', ['dup', 0]));
  expect(b).toMatchObject({ error: '23505' });
  expect((b as { error: string }).error).toBe((a as { error: string }).error);
  // The client still works after the error.
  const [c, d] = await both((db) => db.query('select count(*)::int as n from t where id like $1', ['r%']));
  expect(d).toEqual(c);

  const [e, f] = await both((db) =>
    db.transaction(async (tx) => {
      await tx.query('insert into t (id, n) values ($1, $2)', ['in-tx', 99_000]);
      await tx.query('insert into t (id, n) values ($1, $2)', ['in-tx-2', 0]);
    }),
  );
  expect(f).toMatchObject({ error: '23505' });
  expect((f as { error: string }).error).toBe((e as { error: string }).error);
  const [g, h] = await both((db) => db.query('select id from t where id like $1', ['in-tx%']));
  expect(h).toEqual(g);
  expect((h as { ok: { rows: unknown[] } }).ok.rows).toEqual([]);

  // A committed transaction's writes are there; a syntax error is reported like PGlite reports it.
  await both((db) => db.transaction(async (tx) => void (await tx.query('insert into t (id, n) values ($1, $2)', ['kept', 77_000]))));
  const [k, l] = await both((db) => db.query('select id from t where n = $1', [77_000]));
  expect(l).toEqual(k);
  expect((l as { ok: { rows: unknown[] } }).ok.rows).toEqual([{ id: 'kept' }]);
  const [m, n] = await both((db) => db.query('select nope from t where id = $1', ['kept']));
  expect(n).toMatchObject({ error: '42703' });
  expect(n).toEqual(m);
});

test('queries from concurrent callers and a transaction do not interleave', async () => {
  await fast.query('create table c (k int primary key, v int)');
  await fast.query('insert into c (k, v) values ($1, $2)', [1, 0]);
  const bumps = Array.from({ length: 50 }, (_, i) =>
    i % 5 === 0
      ? fast.transaction(async (tx) => {
          const r = await tx.query<{ v: number }>('select v from c where k = $1', [1]);
          await tx.query('update c set v = $1 where k = $2', [r.rows[0]!.v + 1, 1]);
        })
      : fast.query('update c set v = v + $1 where k = $2', [1, 1]),
  );
  await Promise.all(bumps);
  expect((await fast.query<{ v: number }>('select v from c where k = $1', [1])).rows[0]!.v).toBe(50);
});

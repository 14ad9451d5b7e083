/**
 * The embedded store's one-trip prepared statements (the chat's hot path): parameters and results
 * survive as text (nulls, non-ASCII, quotes), errors come back with their SQLSTATE, and a call
 * never runs inside a transaction another caller has open.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { openStore, type Store } from '../store/db';
import { bindExecuteSync, ProtocolError, readRows } from '../store/pg-protocol';

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await store.db.execute(q)) as unknown as { rows: T[] }).rows;
}

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
  await store.db.execute(sql`create table probe (id text primary key, note text)`);
});
afterAll(async () => {
  await store?.close();
});

const insert = {
  name: 'probe_insert',
  types: ['text', 'text'],
  text: 'insert into probe (id, note) values ($1, $2) returning id, note, length(note)',
} as const;

test('parameters and results round-trip as text, with SQL NULL as null', async () => {
  const note = `O'Brien says "grüezi" 👋 -- ; drop table probe`;
  expect(await store.call(insert, ['a', note])).toEqual([['a', note, String([...note].length)]]);
  expect(await store.call(insert, ['b', null])).toEqual([['b', null, null]]);
  const [row] = await rows<{ note: string }>(sql`select note from probe where id = 'a'`);
  expect(row?.note).toBe(note);
});

test('a database error is thrown with its SQLSTATE and leaves the connection usable', async () => {
  await store.call(insert, ['dup', 'first']);
  await expect(store.call(insert, ['dup', 'second'])).rejects.toMatchObject({ name: 'ProtocolError', code: '23505' });
  expect(await store.call(insert, ['after', 'ok'])).toHaveLength(1);
  expect(await rows(sql`select count(*)::int as n from probe where id = 'dup'`)).toEqual([{ n: 1 }]);
});

test('a call waits for a transaction another caller has open instead of joining it', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const tx = store.db
    .transaction(async (t) => {
      await t.execute(sql`insert into probe (id, note) values ('in-tx', 'x')`);
      await held;
      throw new Error('roll back');
    })
    .catch(() => 'rolled back');
  await new Promise((r) => setTimeout(r, 20));
  const call = store.call(insert, ['outside', 'y']);
  await new Promise((r) => setTimeout(r, 20));
  release();
  expect(await tx).toBe('rolled back');
  await call;
  const ids = (await rows<{ id: string }>(sql`select id from probe where id in ('in-tx', 'outside')`)).map((r) => r.id);
  expect(ids).toEqual(['outside']);
});

test('the wire format: Bind + Execute + Sync, and rows and errors read back', () => {
  const buf = bindExecuteSync('s', ['x', null]);
  expect(String.fromCharCode(buf[0]!)).toBe('B');
  const view = new DataView(buf.buffer);
  const bindLength = view.getInt32(1);
  expect(String.fromCharCode(buf[1 + bindLength]!)).toBe('E');
  expect(String.fromCharCode(buf[buf.length - 5]!)).toBe('S');
  // DataRow with 'hé' and NULL, then CommandComplete, then an ErrorResponse.
  const enc = new TextEncoder();
  const he = enc.encode('hé');
  const row = new Uint8Array([0x44, 0, 0, 0, 4 + 2 + 4 + he.length + 4, 0, 2, 0, 0, 0, he.length, ...he, 0xff, 0xff, 0xff, 0xff]);
  expect(readRows(row)).toEqual([['hé', null]]);
  const fields = [...enc.encode('C23505'), 0, ...enc.encode('Mduplicate key'), 0, 0];
  const err = new Uint8Array([0x45, 0, 0, 0, 4 + fields.length, ...fields]);
  expect(() => readRows(new Uint8Array([...row, ...err]))).toThrow(ProtocolError);
  expect(() => readRows(row.subarray(0, row.length - 2))).toThrow('truncated');
});

test('the PGlite internals the one-trip call relies on are still there (PGlite is pinned to an exact version for them)', () => {
  // store/db.ts runPrepared: if an upgrade renames or drops one of these, this names it before anything breaks quietly.
  for (const name of ['_runExclusiveQuery', '_runExclusiveTransaction', 'execProtocolRawSync', 'syncToFs'])
    expect([name, typeof (PGlite.prototype as unknown as Record<string, unknown>)[name]]).toEqual([name, 'function']);
  const pinned = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
    .dependencies['@electric-sql/pglite'];
  expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
});

/**
 * Prepared statements for every parameterized query on PGlite. PGlite runs a parameterized query
 * as six trips into the engine (Parse, Describe, Bind, Describe, Execute, Sync), parsing and
 * planning the text each time. Here each distinct statement text is parsed once as a named
 * statement (its parameter types and row description kept), and every later call is one trip:
 * Bind, Execute, Sync, in one buffer (pg-protocol.ts). Results are read from the raw response as
 * PGlite's own `parseResults` reads its parsed messages (resultOf), with the same parsers and
 * serializers, so callers (drizzle) see exactly what `query` returns.
 *
 * After five calls PostgreSQL may switch a statement to a generic plan (one for any values). That is
 * cheaper for our lookups, but a plan for `in (subquery)` chose to scan a whole table: write such a
 * lookup as `= (subquery)` (locks.ts conversationOfTask). `plan_cache_mode = force_custom_plan` would avoid it
 * but also re-plans the statements inside the hot path's PL/pgSQL function, and the relay's p99
 * doubled with it.
 *
 * Statements without parameters (migrations, `select 1`), and any beyond MAX_STATEMENTS distinct
 * texts, take PGlite's own path. Locks are PGlite's: a query outside a transaction waits for the
 * transaction lock like `query` does; one inside a transaction only takes the query lock.
 */
import { parse, protocol, type PGlite, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';
import { bindExecuteSync, readResponse } from './pg-protocol';

/** Distinct statement texts kept prepared (the application has a few hundred). */
const MAX_STATEMENTS = 2000;

interface Prepared {
  name: string;
  paramTypes: number[];
  /** The statement's result columns, as a result reports them (none for a statement without rows). */
  fields: Results['fields'];
}

const { serialize } = protocol;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Runs protocol messages and returns the raw response. PGlite's `execProtocolRawSync` is not raw:
 * it copies each chunk of output and also parses every message into an object (kept for a later
 * `execProtocol`); the stream variant hands the chunks to us and parses nothing.
 */
export async function execRaw(client: PGlite, message: Uint8Array): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await client.execProtocolRawStream(message, { syncToFs: false, onRawData: (bytes) => void chunks.push(bytes.slice()) });
  return chunks.length === 1 ? chunks[0]! : concat(chunks);
}

/** Commands whose tag's count is rows changed (PGlite's `parseResults` counts the same). */
const CHANGES = new Set(['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE']);

/** The DatabaseError PGlite's own path would throw for a failed response. */
function databaseError(data: Uint8Array): Error | undefined {
  let error: Error | undefined;
  new protocol.Parser().parse(data, (m) => {
    if (!error && m instanceof protocol.messages.DatabaseError) error = m;
  });
  return error;
}

/**
 * A response read the way PGlite's `parseResults` reads the parsed messages of `query`, from the
 * raw bytes: the same rows (objects, or arrays with `rowMode: 'array'`), each column through the
 * caller's parser for its type or else the client's, the same fields, command, counts and errors.
 * PGlite's path parses every backend message into an object first and merges a copy of all parsers
 * per call; with execRaw, this path takes about a fifth less time per transaction of four
 * statements (an interleaved micro-benchmark against the previous path, README).
 */
function resultOf<T>(data: Uint8Array, st: Prepared, client: PGlite, options: QueryOptions | undefined): Results<T> {
  const r = readResponse(data);
  if (r.error) throw databaseError(data) ?? r.error;
  if (r.tag === undefined) return { affectedRows: 0, rows: [], fields: [] };
  const { fields } = st;
  const parsers = fields.map((f) => options?.parsers?.[f.dataTypeID] ?? client.parsers[f.dataTypeID]);
  const value = (v: string | null, i: number) => (v === null ? null : parsers[i] ? parsers[i](v, fields[i]!.dataTypeID) : v);
  const rows =
    options?.rowMode === 'array'
      ? r.rows.map((raw) => raw.map(value))
      : r.rows.map((raw) => {
          const row: Record<string, unknown> = {};
          for (let i = 0; i < raw.length; i++) row[fields[i]!.name] = value(raw[i]!, i);
          return row;
        });
  const parts = r.tag.split(' ');
  const command = parts[0]!;
  const count = parseInt(parts[parts.length - 1]!, 10);
  return {
    rows: rows as T[],
    fields,
    command,
    affectedRows: CHANGES.has(command) ? count : 0,
    ...(Number.isNaN(count) ? {} : { rowCount: count }),
  } as Results<T>;
}

/**
 * How long a transaction runs before it lets Node's event loop turn. PGlite runs PostgreSQL in this
 * thread and answers with promises alone, never I/O, so a long transaction (a group commit of 50
 * chat starts, a distribution pass) kept the loop from turning for its whole length, and Node
 * accepts one new connection per turn (libuv 1.45: no accept loop). In a burst of customers each
 * new connection then waited a turn of 150-200 ms, and some starts reached the server 1.3-2.4 s
 * after they were sent. Letting the loop turn every few milliseconds accepts and reads them while
 * the transaction runs (they queue for the store as before); a short transaction (a message, a
 * job) never waits, so the relay's path is unchanged.
 */
const TURN_EVERY_MS = 5;

/** Replaces `client.query` and the `query` of every transaction it opens with the prepared path. */
export function usePreparedStatements(client: PGlite): void {
  const statements = new Map<string, Prepared>();
  let next = 0;
  // Internal PGlite locks (also used by store/db.ts's runPrepared): transaction, then query.
  const locks = client as unknown as {
    _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
    _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  };

  const exec = async (message: Uint8Array) => (await client.execProtocol(message, { syncToFs: false })).messages;

  /** Parses and describes a new statement text (under the query lock); undefined past MAX_STATEMENTS. */
  const prepare = async (text: string): Promise<Prepared | undefined> => {
    if (statements.size >= MAX_STATEMENTS) return undefined;
    const name = `stratus_q${++next}`;
    const messages = await exec(concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]));
    const rowDescription = messages.find((m) => m.name === 'rowDescription') as
      { fields?: { name: string; dataTypeID: number }[] } | undefined;
    const st: Prepared = {
      name,
      paramTypes: parse.parseDescribeStatementResults(messages),
      fields: (rowDescription?.fields ?? []).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    };
    statements.set(text, st);
    return st;
  };

  /** Under the query lock: prepares the text if it is new, then binds and executes it. */
  const run = async <T>(text: string, params: unknown[], options: QueryOptions | undefined): Promise<Results<T> | undefined> => {
    const st = statements.get(text) ?? (await prepare(text));
    if (!st) return undefined;
    const values = params.map((p, i) => {
      if (p === null || p === undefined) return null;
      const oid = st.paramTypes[i]!;
      const s = options?.serializers?.[oid] ?? client.serializers[oid];
      return s ? s(p) : String(p);
    });
    return resultOf<T>(await execRaw(client, bindExecuteSync(st.name, values)), st, client, options);
  };

  /** Whether `query` should take PGlite's own path. */
  const plain = (params: unknown[] | undefined, options: QueryOptions | undefined) =>
    !params || params.length === 0 || options?.blob !== undefined || options?.paramTypes !== undefined;

  const query = client.query.bind(client);
  client.query = async <T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> => {
    if (plain(params, options)) return query<T>(text, params, options);
    const r = await locks._runExclusiveTransaction(() => locks._runExclusiveQuery(() => run<T>(text, params!, options)));
    await client.syncToFs();
    return r ?? query<T>(text, params, options);
  };

  const transaction = client.transaction.bind(client);
  client.transaction = <T>(callback: (tx: Transaction) => Promise<T>): Promise<T> =>
    transaction((tx) => {
      const txQuery = tx.query.bind(tx);
      let since = performance.now();
      tx.query = async <R>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<R>> => {
        if (plain(params, options) || tx.closed) return txQuery<R>(text, params, options);
        if (performance.now() - since > TURN_EVERY_MS) {
          // The transaction keeps its locks meanwhile: other queries wait for it as before.
          await new Promise<void>((r) => setImmediate(r));
          since = performance.now();
        }
        const r = await locks._runExclusiveQuery(() => run<R>(text, params!, options));
        return r ?? txQuery<R>(text, params, options);
      };
      return callback(tx);
    });
}

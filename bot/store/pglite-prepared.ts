/**
 * Prepared statements for every parameterized query on PGlite. PGlite runs a parameterized query
 * as six trips into the engine (Parse, Describe, Bind, Describe, Execute, Sync), parsing and
 * planning the text each time. Here each distinct statement text is parsed once as a named
 * statement (its parameter types and row description kept), and every later call is one trip:
 * Bind, Execute, Sync. Results are built by PGlite's own `parseResults` from the same messages,
 * with the same parsers and serializers, so callers (drizzle) see exactly what `query` returns.
 *
 * After five calls PostgreSQL may switch a statement to a generic plan (one for any values). That is
 * cheaper for our lookups, but a plan for `in (subquery)` chose to scan a whole table: write such a
 * lookup as `= (subquery)` (repo.ts lockPair). `plan_cache_mode = force_custom_plan` would avoid it
 * but also re-plans the statements inside the hot path's PL/pgSQL function, and the relay's p99
 * doubled with it.
 *
 * Statements without parameters (migrations, `select 1`), and any beyond MAX_STATEMENTS distinct
 * texts, take PGlite's own path. Locks are PGlite's: a query outside a transaction waits for the
 * transaction lock like `query` does; one inside a transaction only takes the query lock.
 */
import { parse, protocol, type PGlite, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';

/** Distinct statement texts kept prepared (the application has a few hundred). */
const MAX_STATEMENTS = 2000;

type BackendMessage = Awaited<ReturnType<PGlite['execProtocol']>>['messages'][number];

interface Prepared {
  name: string;
  paramTypes: number[];
  /** The statement's RowDescription (absent for a statement that returns no rows). */
  rowDescription?: BackendMessage;
  /** The distinct type OIDs of its result columns. */
  resultTypes: number[];
}

type Parsers = PGlite['parsers'];

/**
 * The parsers `parseResults` needs for a statement's columns: the caller's where it gives one,
 * else the client's. PGlite's `parseResults` merges a caller's parsers into a copy of all of the
 * client's (several hundred types) on every call, and drizzle passes parsers with every query:
 * that copy was 17% of the server's CPU in a burst of chat starts. Same lookups, same result.
 */
function columnParsers(st: Prepared, client: PGlite, own: NonNullable<QueryOptions['parsers']>): Parsers {
  const out: Parsers = {};
  for (const oid of st.resultTypes) {
    const p = own[oid] ?? client.parsers[oid];
    if (p) out[oid] = p;
  }
  return out;
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
    const rowDescription = messages.find((m) => m.name === 'rowDescription');
    const fields = (rowDescription as { fields?: { dataTypeID: number }[] } | undefined)?.fields ?? [];
    const st: Prepared = {
      name,
      paramTypes: parse.parseDescribeStatementResults(messages),
      rowDescription,
      resultTypes: [...new Set(fields.map((f) => f.dataTypeID))],
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
    const messages = await exec(concat([serialize.bind({ statement: st.name, values }), serialize.execute({}), serialize.sync()]));
    const rows = st.rowDescription ? [st.rowDescription, ...messages] : messages;
    if (!options?.parsers) return parse.parseResults(rows, client.parsers, options)[0] as Results<T>;
    return parse.parseResults(rows, columnParsers(st, client, options.parsers), { ...options, parsers: undefined })[0] as Results<T>;
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
      tx.query = async <R>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<R>> => {
        if (plain(params, options) || tx.closed) return txQuery<R>(text, params, options);
        const r = await locks._runExclusiveQuery(() => run<R>(text, params!, options));
        return r ?? txQuery<R>(text, params, options);
      };
      return callback(tx);
    });
}

/**
 * Statements drizzle builds once. Building a query (its SQL object tree, then text and parameters)
 * costs drizzle 60 to 150 µs per call for our inserts and updates, a quarter of the server's CPU in
 * a burst of chat starts; the database then runs the same text every time. A compiled statement is
 * built on first use with named placeholders (`$('taskId')`) and kept; each call only fills the
 * placeholders (drizzle's own prepared-query path: values still go through each column's encoder,
 * jsonb as JSON, and results through its row mapping) and runs it on the caller's connection: the
 * transaction's when `q` is one, the pool's otherwise. On PostgreSQL the statement is also a named
 * prepared statement, parsed once per connection.
 *
 * Only for statements whose shape does not depend on the values (a fixed column list, no `in` list);
 * the rest are built per call as before.
 */
import { is, Param, Placeholder, sql, type Column, type SQL } from 'drizzle-orm';
import type { PgPreparedQuery, PreparedQueryConfig } from 'drizzle-orm/pg-core';
import type { Q } from './db';

/** The placeholder for the value `name` of a statement's values. */
export interface Slot<V> {
  <K extends keyof V & string>(name: K): Placeholder<K, V[K]>;
  /** For an update's `set`, which takes no placeholder: the value as `column` encodes it (jsonb as JSON). */
  <K extends keyof V & string>(name: K, column: Column): SQL;
}

const slot = (name: string, column?: Column) => (column ? sql`${new Param(sql.placeholder(name), column)}` : sql.placeholder(name));

/** `column = any(...)` of a JSON array of ids: one text for any number, and an index scan per id even in a generic plan. */
export const idsIn = (column: unknown, json: unknown) => sql`${column} = any(array(select jsonb_array_elements_text(${json}::jsonb)))`;

type Prepared<R> = PgPreparedQuery<PreparedQueryConfig & { execute: R }>;

/** What drizzle keeps of a query's connection: its session, whose client runs the statement. */
interface WithSession {
  session: { client: unknown; constructor: unknown };
}

let count = 0;

/**
 * The statement's parameters with null (and undefined) passed through as SQL NULL. drizzle's
 * prepared path hands every placeholder value to its column's encoder, null included, and jsonb's
 * encoder turns null into the JSON text `null` (a JSON null, not SQL NULL: `workflow is null` then
 * fails); a query built per call passes null through. This keeps the two alike.
 */
function nullsAsNull(params: unknown[]): unknown[] {
  return params.map((p) => {
    if (!is(p, Param) || !is(p.value, Placeholder)) return p;
    const { encoder } = p;
    return new Param(p.value, { mapToDriverValue: (v: unknown) => (v === null || v === undefined ? null : encoder.mapToDriverValue(v)) });
  });
}

/**
 * A statement built by `build` on first use and run with `values` on `q`'s connection. `build`
 * must give every value through `$` (a literal would be frozen into the statement).
 */
export function compiled<V extends Record<string, unknown>, R>(
  build: (q: Q, $: Slot<V>) => { prepare(name: string): Prepared<R> },
): (q: Q, values: V) => Promise<R> {
  const name = `stratus_c${++count}`;
  // Per driver (its session class): each calls its client its own way. A server uses one; tests both.
  const prepared = new Map<unknown, Prepared<R>>();
  return (q, values) => {
    const session = (q as unknown as WithSession).session;
    let p = prepared.get(session.constructor);
    if (!p) {
      p = build(q, slot as Slot<V>).prepare(name);
      const withParams = p as unknown as { params: unknown[] };
      withParams.params = nullsAsNull(withParams.params);
      prepared.set(session.constructor, p);
    }
    // The same statement on this call's connection: a copy that differs only in its client.
    const run = Object.create(p) as Prepared<R> & { client: unknown };
    run.client = session.client;
    return run.execute(values);
  };
}

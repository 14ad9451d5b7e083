/**
 * Opens the store: PGlite with its data folder on disk by default, PostgreSQL through `pg` when
 * DATABASE_URL is set. Both speak the same SQL and run the same generated migrations.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { bindExecuteSync, readRows, simpleQuery } from './pg-protocol';
import * as schema from './schema';
import { recordSqlStats } from './sql-stats';
import { execRaw, usePreparedStatements } from './pglite-prepared';
import { analyzeGrownTables, keepStatistics } from './pglite-maintenance';

export type Schema = typeof schema;
/** The drizzle database, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle (same query API as Db). */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either: functions that only query take this. */
export type Q = Db | Tx;

export interface Store {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** LISTEN on a channel (PostgreSQL only; PGlite is one process and needs none). */
  listen?(channel: string, onNotify: (payload: string) => void): Promise<void>;
  notify(channel: string, payload: string): Promise<void>;
  /**
   * Runs a named prepared statement (prepared on first use per connection) in one trip, without
   * the ORM's per-call work: the chat's hot path. Text parameters, text results, errors with their
   * SQLSTATE (`code`), outside any open transaction. One adapter per store: on PGlite the wire
   * messages go straight into the engine (0.8 ms -> 0.55 ms), on PostgreSQL `pg`'s named statements.
   */
  call(statement: PreparedStatement, params: readonly (string | null)[]): Promise<(string | null)[][]>;
  /** True when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface PreparedStatement {
  name: string;
  /** Parameter types, in order, e.g. `['text', 'bigint']` (PGlite's PREPARE declares them). */
  types: readonly string[];
  /** The statement, with $1... for the parameters, cast where PostgreSQL could not infer the type. */
  text: string;
}

const migrationsFolder = join(__dirname, 'migrations');
/** Advisory lock key that serializes migrations across instances starting together. */
const MIGRATION_LOCK = 727_001;

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data folder; `memory://` for an in-memory database (tests). */
  dataDir: string;
  /** PGlite only: write per-statement statistics to this file at exit (sql-stats.ts). */
  sqlStatsFile?: string;
}

/** Opens and migrates the store. */
export async function openStore(opts: OpenOptions): Promise<Store> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
  return openPglite(opts.dataDir, opts.sqlStatsFile);
}

async function openPglite(dataDir: string, sqlStatsFile?: string): Promise<Store> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const client = inMemory ? new PGlite() : new PGlite(join(dataDir, 'pglite'));
  await client.waitReady;
  // A new 16 MB WAL segment is created without writing zeros through it first: on PGlite the write
  // runs in the server's thread, and at 1,000 messages/s (1.4 kB of WAL each) it stalled a message
  // for 6 to 10 ms every 11,000 messages. The setting exists for file systems that gain nothing
  // from the zeros; PostgreSQL reads an unwritten part of a segment as zeros either way.
  await client.exec('set wal_init_zero = off');
  usePreparedStatements(client);
  if (sqlStatsFile) recordSqlStats(client, sqlStatsFile);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  await migratePglite(db as never, { migrationsFolder });
  // No autovacuum on PGlite: statistics at open, then as tables grow (pglite-maintenance.ts).
  await analyzeGrownTables(client);
  const statistics = keepStatistics(client);
  let closed = false;
  const prepared = new Set<string>();
  return {
    db,
    kind: 'pglite',
    notify: async () => undefined,
    call: (statement, params) => runPrepared(client, prepared, statement, params),
    ping: async () => {
      if (closed) return false;
      try {
        await client.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await statistics.stop();
      await client.close();
    },
  };
}

/**
 * PGlite is one connection: its query lock keeps this call from interleaving with another query's
 * protocol steps, and its transaction lock keeps it out of a transaction another caller has open.
 */
async function runPrepared(
  client: PGlite,
  prepared: Set<string>,
  statement: PreparedStatement,
  params: readonly (string | null)[],
): Promise<(string | null)[][]> {
  return client._runExclusiveTransaction(() =>
    client._runExclusiveQuery(async () => {
      if (!prepared.has(statement.name)) {
        if (!/^[a-z_][a-z0-9_]*$/.test(statement.name) || !statement.types.every((t) => /^[a-z ]+$/.test(t)))
          throw new Error(`bad prepared statement ${statement.name}`);
        readRows(await execRaw(client, simpleQuery(`PREPARE ${statement.name} (${statement.types.join(', ')}) AS ${statement.text}`)));
        prepared.add(statement.name);
      }
      const data = await execRaw(client, bindExecuteSync(statement.name, params));
      await client.syncToFs();
      return readRows(data);
    }),
  );
}

async function openPostgres(databaseUrl: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 5000 });
  // A pool error (server restart) must not crash the process: requests get 503 until it answers again.
  pool.on('error', (err) => console.error(`[store] idle PostgreSQL connection failed: ${err.message}`));
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  const lockClient = await pool.connect();
  try {
    await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(db as never, { migrationsFolder });
  } finally {
    await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    lockClient.release();
  }
  let listener: pg.Client | undefined;
  let closed = false;
  return {
    db,
    kind: 'postgres',
    async call(statement, params) {
      const res = await pool.query({ name: statement.name, text: statement.text, values: [...params], rowMode: 'array' });
      return (res.rows as unknown[][]).map((r) => r.map((v) => (v === null || v === undefined ? null : String(v))));
    },
    async listen(channel, onNotify) {
      listener = new pg.Client({ connectionString: databaseUrl });
      listener.on('error', (err) => console.error(`[store] LISTEN connection failed: ${err.message}; polling continues`));
      listener.on('notification', (n) => {
        if (n.channel === channel) onNotify(n.payload ?? '');
      });
      await listener.connect();
      await listener.query(`LISTEN ${channel}`);
    },
    async notify(channel, payload) {
      await db.execute(sql`select pg_notify(${channel}, ${payload})`);
    },
    ping: async () => {
      if (closed) return false;
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await listener?.end().catch(() => undefined);
      await pool.end();
    },
  };
}

/**
 * PGlite runs PostgreSQL without its background workers, so nothing ever runs autovacuum: this
 * does its ANALYZE, and its VACUUM: at once for the tables rows pass through (VACUUMED_TABLES,
 * below), when the database is quiet for the others. Without ANALYZE the planner keeps
 * planning with no statistics. Prepared statements (every query on PGlite, pglite-prepared.ts) and
 * the PL/pgSQL hot path switch to a generic plan after a few runs, and without statistics a
 * generic plan for `tenant_id = $1 and id = $2` may take any index that starts with tenant_id over
 * the primary key: a task looked up by id read every task of its tenant (0.2 ms at 1,000 tasks,
 * growing with the table). So every table is analyzed at open, then each table that has doubled
 * in size since its last ANALYZE. ANALYZE
 * invalidates the cached plans that read the table, so they are planned again with statistics.
 *
 * Unlike autovacuum it runs on the only connection, so every query waits for it: it samples 10
 * rows per statistics bucket instead of 100 (events at 30,000 rows: 19 ms instead of 217 ms; our
 * queries look rows up by key and need the sizes and distinct counts, not fine histograms), and a
 * table is analyzed again when it has doubled rather than at autovacuum's 10% (the planner scales
 * the last statistics to the table's current size in between), so a table is analyzed a few times
 * in its life, not every few seconds under load.
 */
import type { PGlite } from '@electric-sql/pglite';
import { createLogger } from '../util/log';
import { Periodic } from '../util/periodic';

/** Pages a table must have grown by at least (a tiny table's doubling is not worth a turn). */
const MIN_GROWTH_PAGES = 4;
/** The statistics target for these ANALYZEs (PostgreSQL's default is 100). */
const STATISTICS_TARGET = 10;
/** How often the tables' sizes are compared with their last ANALYZE. */
export const ANALYZE_CHECK_MS = 2_000;

interface TableSize {
  name: string;
  /** Pages at the last ANALYZE. */
  analyzedPages: number;
  /** Never analyzed (nor vacuumed). */
  never: boolean;
  pages: number;
}

/** Table names as a statement's list of quoted identifiers (they come from the catalog, but a name is still an identifier). */
const tableList = (names: readonly string[]) => names.map((n) => `"${n.replaceAll('"', '""')}"`).join(', ');

/** Tables whose size has outgrown their statistics: never analyzed, or doubled (by MIN_GROWTH_PAGES at least) since. */
export function grownTables(sizes: readonly TableSize[]): string[] {
  return sizes.filter((t) => t.never || t.pages >= t.analyzedPages + Math.max(MIN_GROWTH_PAGES, t.analyzedPages)).map((t) => t.name);
}

/** ANALYZEs the tables that need it; answers their names. Runs between transactions (PGlite's own lock). */
export async function analyzeGrownTables(client: PGlite): Promise<string[]> {
  const { rows } = await client.query<{ name: string; analyzed_pages: number; never: boolean; pages: number }>(
    `select c.relname as name, c.relpages as analyzed_pages, c.reltuples < 0 as never,
            (pg_relation_size(c.oid) / current_setting('block_size')::int)::int as pages
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'`,
  );
  const names = grownTables(rows.map((r) => ({ name: r.name, analyzedPages: r.analyzed_pages, never: r.never, pages: r.pages })));
  if (names.length)
    await client.exec(`set default_statistics_target = ${STATISTICS_TARGET}; analyze ${tableList(names)}; reset default_statistics_target`);
  return names;
}

/**
 * The tables rows pass through: a timer job, an offer, a Teams send and a seen inbound id each leave
 * their table soon after they arrive. Without VACUUM such a table never reuses their space:
 * PostgreSQL finds free space through the map VACUUM keeps, so every insert goes to the table's end
 * (100,000 job-like rows inserted and deleted, at most 5,000 alive at once: 8 MB and growing, where
 * one 20 ms VACUUM brings it back to what is alive), and the job poller's index scans walk the dead
 * entries. Their live rows are few, so a VACUUM of one takes a few milliseconds. The other tables
 * wait for a quiet database (Quietness, below): a VACUUM of tasks or reporting sessions during a
 * burst of chat starts took 67 to 111 ms on the only connection. They need it less often (their
 * rows keep a few old versions each), but without it the space of what retention deletes
 * (messages, events, sessions) and the old versions of updated rows would never be reused.
 */
export const VACUUMED_TABLES: ReadonlySet<string> = new Set(['jobs', 'task_offers', 'teams_queue', 'inbound_seen']);

/** Rows written (inserted, updated, deleted) in one turn at most for the database to count as quiet. */
export const QUIET_ROWS = 50;
/** Quiet turns in a row before a table other than VACUUMED_TABLES is vacuumed (6 s at the 2 s turn). */
export const QUIET_TURNS = 3;

/**
 * Autovacuum's own rule: more dead rows than 50 plus a fifth of the live ones. Always for the
 * tables rows pass through; for any other table only when the database has been `quiet`, and one
 * such table a turn (the one with the most dead rows): its VACUUM holds the only connection for as
 * long as it runs (tens to hundreds of milliseconds), which a quiet server does not notice, but a
 * burst of chat starts would.
 */
export function tablesToVacuum(tables: readonly { name: string; live: number; dead: number }[], quiet = false): string[] {
  const due = tables.filter((t) => t.dead > 50 + 0.2 * t.live);
  const names = due.filter((t) => VACUUMED_TABLES.has(t.name)).map((t) => t.name);
  if (!quiet) return names;
  const [other] = due.filter((t) => !VACUUMED_TABLES.has(t.name)).sort((a, b) => b.dead - a.dead);
  return other ? [...names, other.name] : names;
}

/** Counts the turns in a row that wrote at most QUIET_ROWS rows, from the database's running total of rows written. */
export class Quietness {
  private last?: number;
  private turns = 0;

  /** Takes this turn's total; answers whether the database has been quiet for QUIET_TURNS turns. */
  turn(rowsWritten: number): boolean {
    this.turns = this.last !== undefined && rowsWritten - this.last <= QUIET_ROWS ? this.turns + 1 : 0;
    this.last = rowsWritten;
    return this.turns >= QUIET_TURNS;
  }
}

/**
 * VACUUMs the tables that need it (tablesToVacuum); answers their names. Runs between transactions
 * (PGlite's own lock). `quietness`, when given, decides whether other tables may be vacuumed too.
 */
export async function vacuumDeadTables(client: PGlite, quietness?: Quietness): Promise<string[]> {
  // PGlite's backend has no idle loop to report its row counts: ask for them first.
  await client.query('select pg_stat_force_next_flush()');
  const { rows } = await client.query<{ name: string; live: string; dead: string }>(
    `select relname as name, n_live_tup as live, n_dead_tup as dead from pg_stat_user_tables where schemaname = 'public'`,
  );
  let quiet = false;
  if (quietness) {
    const { rows: written } = await client.query<{ n: string }>(
      `select tup_inserted + tup_updated + tup_deleted as n from pg_stat_database where datname = current_database()`,
    );
    quiet = quietness.turn(Number(written[0]?.n ?? 0));
  }
  const names = tablesToVacuum(
    rows.map((r) => ({ name: r.name, live: Number(r.live), dead: Number(r.dead) })),
    quiet,
  );
  // VACUUM runs outside a transaction block: one statement of its own.
  if (names.length) await client.exec(`vacuum ${tableList(names)}`);
  return names;
}

/** Checks every ANALYZE_CHECK_MS until stopped (a run still going skips a turn); a failure is logged and the next turn tries again. */
export function keepStatistics(client: PGlite, everyMs = ANALYZE_CHECK_MS): { stop(): Promise<void> } {
  const quietness = new Quietness();
  const job = new Periodic('[store] VACUUM and ANALYZE', createLogger('warn'), everyMs, async () => {
    await vacuumDeadTables(client, quietness);
    await analyzeGrownTables(client);
  });
  job.start();
  return job;
}

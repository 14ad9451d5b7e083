/**
 * KPIs over a large history: loads SESSIONS reporting sessions (default one million) of one tenant
 * spread evenly over MONTHS months (default 1: the whole million in the month asked about, the
 * hardest case), 20 services, 200 agents, three channels, every outcome, through the real
 * migrations, with the daily sums the server keeps, and the real KPI query (bot/store/kpis.ts);
 * then times a month of KPIs grouped by day and by agent, RUNS times each (the median and the slowest are printed). Target: under 500 ms.
 * Runs on the embedded default, and on PostgreSQL too when DATABASE_URL is set (a fresh database
 * beside it, dropped after). The last line is one JSON object.
 *
 *   npm run bench:reporting
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:reporting
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type { KpiGroupBy } from '@stratus/shared/contract/supervisor';
import { openStore, type Store } from '../bot/store/db';
import { kpiSums } from '../bot/store/kpis';
import { freshDatabase } from '../bot/test/harness';

const SESSIONS = Number(process.env.SESSIONS ?? 1_000_000);
const MONTHS = Number(process.env.MONTHS ?? 1);
const RUNS = Number(process.env.RUNS ?? 5);
const TARGET_MS = 500;
const DAY = 86_400_000;
/**
 * The month asked about, as the Supervisor page asks for it: from local midnight in a UTC+1 time
 * zone (30 November, 23:00 UTC) to "now", 14:30 UTC on 31 December, so that the partial first and
 * last days are read from the sessions themselves. The history ends with December 2026.
 */
const MONTH_FROM = Date.UTC(2026, 10, 30, 23);
const MONTH_TO = Date.UTC(2026, 11, 31, 14, 30);
const HISTORY_FROM = Date.UTC(2027, 0, 1) - MONTHS * 31 * DAY;

/** Inserts the history in batches of generate_series: realistic rows (typed columns and the JSON document). */
async function load(store: Store): Promise<number> {
  const t0 = performance.now();
  const step = (MONTHS * 31 * DAY) / SESSIONS;
  const BATCH = 100_000;
  for (let from = 0; from < SESSIONS; from += BATCH) {
    const to = Math.min(SESSIONS, from + BATCH) - 1;
    await store.db.execute(sql`
      insert into reporting_sessions (task_id, tenant_id, service_id, channel, outcome, created_at, user_id, queued_at, accepted_at, queue_ms, handling_ms, csat_rating, data)
      select 't' || i, 'bench', s.service_id, s.channel, s.outcome, s.created_at,
        case when s.accepted then 'u' || (i % 200) end,
        case when s.outcome <> 'closedHours' then s.created_at + 2000 end,
        case when s.accepted then s.created_at + 2000 + s.wait end,
        case when s.outcome <> 'closedHours' then s.wait end,
        case when s.accepted then 60000 + (i * 7919) % 900000 end,
        case when s.accepted and i % 5 = 0 then 1 + (i % 5 + i / 5) % 5 end,
        jsonb_build_object(
          'taskId', 't' || i, 'tenantId', 'bench', 'conversationId', 'c' || i, 'serviceId', s.service_id, 'channel', s.channel,
          'direct', false, 'offeredUserIds', jsonb_build_array('u' || (i % 200)), 'createdAt', s.created_at,
          'queuedAt', s.created_at + 2000, 'offers', 1, 'declines', 0, 'misses', 0, 'outcome', s.outcome, 'endedBy', 'agent')
      from generate_series(${from}::bigint, ${to}::bigint) as i,
      lateral (select
        's' || (i % 20) as service_id,
        (array['interact', 'whatsapp', 'sms'])[1 + i % 3] as channel,
        (array['handled', 'handled', 'handled', 'handled', 'handled', 'handled', 'abandoned', 'missed', 'declined', 'transferred',
               'timedOut', 'closedHours', 'nobodyAvailable', 'handled', 'inactive', 'handled'])[1 + (i * 31) % 16] as outcome,
        ${HISTORY_FROM}::bigint + (i * ${step}::float8)::bigint as created_at,
        ((i * 104729) % 90000)::bigint as wait) s0,
      lateral (select s0.*, s0.outcome in ('handled', 'transferred', 'inactive') as accepted) s`);
  }
  // The daily sums the server keeps as each session ends (bot/store/kpis.ts, addToDaily), built
  // here in one statement with the same definitions as the migration that introduced them.
  await store.db.execute(sql`
    insert into reporting_daily
    select tenant_id, (created_at / 86400000)::int, service_id, channel, coalesce(user_id, ''), count(*),
      count(*) filter (where queued_at is not null), count(*) filter (where accepted_at is not null),
      count(*) filter (where outcome = 'handled'), count(*) filter (where outcome = 'abandoned'),
      count(*) filter (where outcome = 'missed'), count(*) filter (where outcome = 'declined'),
      count(*) filter (where outcome = 'transferred'), count(*) filter (where outcome = 'failed'),
      count(*) filter (where outcome = 'timedOut'), count(*) filter (where outcome = 'inactive'),
      count(*) filter (where outcome = 'closedHours'), count(*) filter (where outcome = 'nobodyAvailable'),
      count(*) filter (where accepted_at - queued_at <= 20000),
      count(*) filter (where outcome = 'abandoned' and queued_at is not null and coalesce(queue_ms, 0) <= 20000),
      count(queue_ms) filter (where queued_at is not null), coalesce(sum(queue_ms) filter (where queued_at is not null), 0),
      max(queue_ms) filter (where queued_at is not null), count(handling_ms) filter (where accepted_at is not null),
      coalesce(sum(handling_ms) filter (where accepted_at is not null), 0), count(csat_rating), coalesce(sum(csat_rating), 0)
    from reporting_sessions where tenant_id = 'bench' and outcome is not null group by 1, 2, 3, 4, 5`);
  await store.db.execute(sql`analyze`);
  return performance.now() - t0;
}

async function time(store: Store, groupBy: KpiGroupBy): Promise<{ median: number; max: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = await kpiSums(store.db, groupBy, {
      tenantId: 'bench',
      fromMs: MONTH_FROM,
      toMs: MONTH_TO,
      thresholdMs: new Map(Array.from({ length: 20 }, (_, s) => [`s${s}`, (s % 2 ? 20 : 30) * 1000])),
      defaultMs: 20_000,
    });
    times.push(performance.now() - t0);
    rows = r.length;
    if (r.reduce((n, x) => n + x.sessions, 0) === 0) throw new Error('the month read no sessions');
  }
  times.sort((a, b) => a - b);
  return { median: Math.round(times[Math.floor(times.length / 2)]!), max: Math.round(times.at(-1)!), rows };
}

async function bench(kind: string, store: Store) {
  const loadMs = await load(store);
  const inMonth = await store.db.execute(
    sql`select count(*)::int as n from reporting_sessions where tenant_id = 'bench' and created_at between ${MONTH_FROM} and ${MONTH_TO}`,
  );
  const sessionsInMonth = (inMonth as unknown as { rows: { n: number }[] }).rows[0]!.n;
  const byDay = await time(store, 'day');
  const byAgent = await time(store, 'agent');
  const r = {
    store: kind,
    sessions: SESSIONS,
    sessions_in_month: sessionsInMonth,
    load_s: Math.round(loadMs / 100) / 10,
    month_by_day_ms: byDay.median,
    month_by_day_max_ms: byDay.max,
    month_by_agent_ms: byAgent.median,
    month_by_agent_max_ms: byAgent.max,
    on_target: byDay.max < TARGET_MS && byAgent.max < TARGET_MS,
  };
  console.log(
    `${kind}: ${SESSIONS} sessions (${sessionsInMonth} in the month) loaded in ${r.load_s} s; ` +
      `a month by day ${byDay.median} ms (slowest ${byDay.max}, ${byDay.rows} rows), by agent ${byAgent.median} ms (slowest ${byAgent.max}, ${byAgent.rows} rows)`,
  );
  return r;
}

async function main() {
  const results = [];
  {
    const store = await openStore({ dataDir: 'memory://' });
    results.push(await bench('pglite', store));
    await store.close();
  }
  if (process.env.DATABASE_URL) {
    const db = await freshDatabase(process.env.DATABASE_URL);
    const store = await openStore({ dataDir: 'memory://', databaseUrl: db.url });
    try {
      results.push(await bench('postgres', store));
    } finally {
      await store.close();
      await db.drop();
    }
  }
  console.log(JSON.stringify({ bench: 'reporting', target_ms: TARGET_MS, results }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

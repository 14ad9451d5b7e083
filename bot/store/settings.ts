/** Row access for server-wide settings (`settings`: key and value). */
import { eq, sql } from 'drizzle-orm';
import type { Q } from './db';
import { settings } from './schema';

/** The setting's value, if it is set. */
export async function readSetting(q: Q, key: string): Promise<string | undefined> {
  const [row] = await q.select().from(settings).where(eq(settings.key, key));
  return row?.value;
}

/** Sets the setting unless it is set already (another instance may have set it first). */
export async function addSettingIfAbsent(q: Q, key: string, value: string): Promise<void> {
  await q.insert(settings).values({ key, value }).onConflictDoNothing();
}

/**
 * Takes or renews a lease held in a setting (`holder|until`): true when `holder` has it until
 * `now + ttlMs`. One instance of many does a periodic job (the presence sync) while it lives.
 */
export async function takeLease(q: Q, key: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
  const value = `${holder}|${now + ttlMs}`;
  const r = await q.execute(sql`
    insert into settings (key, value) values (${key}, ${value})
    on conflict (key) do update set value = excluded.value
    where split_part(settings.value, '|', 1) = ${holder} or split_part(settings.value, '|', 2)::bigint < ${now}
    returning key`);
  return (r as unknown as { rows: unknown[] }).rows.length > 0;
}

/** When Teams presence of the tenant's agents was last read from Graph. */
export async function setPresencePolledAt(q: Q, tenantId: string, at: number): Promise<void> {
  await q
    .insert(settings)
    .values({ key: `presence_polled:${tenantId}`, value: String(at) })
    .onConflictDoUpdate({ target: settings.key, set: { value: String(at) } });
}

/** When Teams presence of the tenant's agents was last read (undefined: never, Graph is not used). */
export async function presencePolledAt(q: Q, tenantId: string): Promise<number | undefined> {
  const v = await readSetting(q, `presence_polled:${tenantId}`);
  return v === undefined ? undefined : Number(v);
}

/** Sets the setting, replacing any value. */
export async function writeSetting(q: Q, key: string, value: string): Promise<void> {
  await q.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } });
}

/** Removes the setting, if it is set. */
export async function deleteSetting(q: Q, key: string): Promise<void> {
  await q.delete(settings).where(eq(settings.key, key));
}

/** Every setting whose key starts with `prefix` (compared as text, so `%` and `_` in it mean themselves). */
export async function settingsWithPrefix(q: Q, prefix: string): Promise<Map<string, string>> {
  const rows = await q
    .select()
    .from(settings)
    .where(sql`substr(${settings.key}, 1, ${prefix.length}) = ${prefix}`);
  return new Map(rows.map((r) => [r.key, r.value]));
}

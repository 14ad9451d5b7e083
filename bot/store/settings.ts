/** Row access for server-wide settings (`settings`: key and value). */
import { eq } from 'drizzle-orm';
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

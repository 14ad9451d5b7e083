/**
 * The embedded store starts a new WAL segment without writing 16 MB of zeros through it first
 * (db.ts, wal_init_zero): that write ran in the server's thread and stalled the chat's hot path.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openStore } from './db';

test('a new WAL segment is created sparse, not written through with zeros', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-wal-'));
  const store = await openStore({ dataDir: dir });
  try {
    const wal = join(dir, 'pglite', 'pg_wal');
    const before = new Set(readdirSync(wal));
    await store.db.execute(sql.raw('select pg_switch_wal()'));
    await store.db.execute(sql.raw('create table after_switch (x int)'));
    const created = readdirSync(wal).filter((f) => !before.has(f) && statSync(join(wal, f)).isFile());
    expect(created).toHaveLength(1);
    const segment = statSync(join(wal, created[0]!));
    expect(segment.size).toBe(16 * 1024 * 1024);
    // Blocks on disk: a few pages of records, not the segment's 16 MB.
    expect(segment.blocks * 512).toBeLessThan(1024 * 1024);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Loads the tenant configuration file (or the demo tenant) and imports it into the store:
 * idempotent, so restarting with the same file changes nothing, and run-time agent state
 * (duty, Active flags, RONA) survives restarts.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { and, eq, notInArray } from 'drizzle-orm';
import { parseTenant } from '@stratus/shared/tenant/validate';
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { formatProblem } from '@stratus/shared/util/problems';
import type { Db } from '../store/db';
import { agents, agentServices, tenants } from '../store/schema';

export class TenantConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid tenant configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Reads `{tenants:[...]}` (or a single tenant object) from the file; every problem is reported. */
export function readTenantFile(path: string | undefined): TenantConfig[] {
  if (!path) return [demoTenant()];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new TenantConfigError([`${path}: ${e instanceof Error ? e.message : String(e)}`]);
  }
  return parseTenantList(json);
}

/** Parses and validates a list of tenants; throws TenantConfigError listing every problem. */
export function parseTenantList(json: unknown): TenantConfig[] {
  const list: unknown[] = json && typeof json === 'object' && Array.isArray((json as { tenants?: unknown }).tenants)
    ? (json as { tenants: unknown[] }).tenants
    : [json];
  const problems: string[] = [];
  const out: TenantConfig[] = [];
  list.forEach((raw, i) => {
    const r = parseTenant(raw);
    if (r.ok) out.push(r.tenant);
    else problems.push(...r.problems.map((p) => `tenants[${i}].${formatProblem(p)}`));
  });
  const ids = out.map((t) => t.id);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) problems.push(`tenants[${i}].id: duplicate tenant id "${id}"`);
  });
  if (problems.length) throw new TenantConfigError(problems);
  return out;
}

/** Imports tenants into the store: config rows, agent rows and Active flags for new members. */
export async function importTenants(db: Db, list: TenantConfig[], now: number): Promise<void> {
  for (const t of list) {
    const hash = createHash('sha256').update(JSON.stringify(t)).digest('hex');
    await db.transaction(async (tx) => {
      const [existing] = await tx.select({ hash: tenants.configHash }).from(tenants).where(eq(tenants.id, t.id));
      if (existing?.hash === hash) return;
      await tx.insert(tenants).values({ id: t.id, config: t, configHash: hash, importedAt: now })
        .onConflictDoUpdate({ target: tenants.id, set: { config: t, configHash: hash, importedAt: now } });
      for (const u of t.users) {
        await tx.insert(agents).values({ tenantId: t.id, userId: u.id, presence: u.presence, inBlockingCall: u.inBlockingCall ?? false, onDuty: u.onDuty, lastIdleAt: now })
          .onConflictDoNothing();
      }
      const userIds = t.users.map((u) => u.id);
      if (userIds.length) await tx.delete(agents).where(and(eq(agents.tenantId, t.id), notInArray(agents.userId, userIds)));
      for (const s of t.services) {
        for (const m of s.members) {
          await tx.insert(agentServices).values({ tenantId: t.id, userId: m.userId, serviceId: s.id, active: m.active }).onConflictDoNothing();
        }
      }
    });
  }
}

/**
 * Row access for tenant configuration: the live revision of each tenant, every revision, the
 * audit log, and the agent rows and Active flags a configuration implies. Stored configurations
 * hold sealed secrets (tenants/secrets.ts); nothing here opens them.
 */
import { and, desc, eq, lt, notInArray, sql } from 'drizzle-orm';
import type { AuditChange } from '@stratus/shared/contract/admin';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import type { Q, Tx } from './db';
import { agents, agentServices, auditLog, tasks, tenantRevisions, tenants } from './schema';

/** Lock key serializing configuration writes of every tenant (codes and senders are unique across tenants). */
const CONFIG_LOCK = 727_013;

/** A tenant's live configuration as stored (secrets sealed). */
export interface StoredTenant {
  id: string;
  config: TenantConfig;
  revision: number;
  /** Hash of the tenant as last imported from the file. */
  sourceHash: string;
  updatedAt: number;
}

const storedColumns = {
  id: tenants.id,
  config: tenants.config,
  revision: tenants.revision,
  sourceHash: tenants.configHash,
  updatedAt: tenants.importedAt,
};

/**
 * Serializes configuration writes until commit: a write checks other tenants' codes and senders,
 * so two writes must not both pass that check against the same old state.
 */
export async function lockConfigWrites(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CONFIG_LOCK})`);
}

/** Every tenant's live configuration. */
export async function storedTenants(q: Q): Promise<StoredTenant[]> {
  const rows = await q.select(storedColumns).from(tenants).orderBy(tenants.id);
  return rows.map((r) => ({ ...r, config: r.config as TenantConfig }));
}

/** Each tenant's live revision number (the periodic check behind the events). */
export async function storedRevisions(q: Q): Promise<{ id: string; revision: number }[]> {
  return q.select({ id: tenants.id, revision: tenants.revision }).from(tenants);
}

/** One tenant's live configuration. */
export async function storedTenant(q: Q, tenantId: string): Promise<StoredTenant | undefined> {
  const [r] = await q.select(storedColumns).from(tenants).where(eq(tenants.id, tenantId));
  return r && { ...r, config: r.config as TenantConfig };
}

/** The configuration of one revision (running workflows keep the definition they started with). */
export async function revisionConfig(q: Q, tenantId: string, revision: number): Promise<TenantConfig | undefined> {
  const [r] = await q
    .select({ config: tenantRevisions.config })
    .from(tenantRevisions)
    .where(and(eq(tenantRevisions.tenantId, tenantId), eq(tenantRevisions.revision, revision)));
  return r?.config as TenantConfig | undefined;
}

/**
 * Makes `config` the tenant's live configuration as revision `revision` (the caller holds the
 * config lock and checked the revision it replaces). `sourceHash` changes only on a file import.
 */
export async function writeRevision(
  tx: Tx,
  r: { config: TenantConfig; revision: number; source: 'import' | 'api'; actor: string; sourceHash?: string; now: number },
): Promise<void> {
  const id = r.config.id;
  await tx
    .insert(tenantRevisions)
    .values({ tenantId: id, revision: r.revision, config: r.config, source: r.source, actor: r.actor, createdAt: r.now });
  const set = { config: r.config, revision: r.revision, importedAt: r.now, ...(r.sourceHash ? { configHash: r.sourceHash } : {}) };
  await tx
    .insert(tenants)
    .values({ id, config: r.config, revision: r.revision, importedAt: r.now, configHash: r.sourceHash ?? '' })
    .onConflictDoUpdate({ target: tenants.id, set });
}

/** Remembers the file's hash of a tenant whose configuration the file did not change. */
export async function rememberSourceHash(tx: Tx, tenantId: string, hash: string): Promise<void> {
  await tx.update(tenants).set({ configHash: hash }).where(eq(tenants.id, tenantId));
}

/** Replaces a stored configuration in place (sealing secrets stored in clear by older versions). */
export async function resealRevisions(tx: Tx, tenantId: string, seal: (c: TenantConfig) => TenantConfig): Promise<void> {
  const rows = await tx
    .select({ revision: tenantRevisions.revision, config: tenantRevisions.config })
    .from(tenantRevisions)
    .where(eq(tenantRevisions.tenantId, tenantId));
  for (const r of rows)
    await tx
      .update(tenantRevisions)
      .set({ config: seal(r.config as TenantConfig) })
      .where(and(eq(tenantRevisions.tenantId, tenantId), eq(tenantRevisions.revision, r.revision)));
  const [live] = await tx.select({ config: tenants.config }).from(tenants).where(eq(tenants.id, tenantId));
  if (live)
    await tx
      .update(tenants)
      .set({ config: seal(live.config as TenantConfig) })
      .where(eq(tenants.id, tenantId));
}

/** How many of the service's tasks are not ended (a service with open chats is not deleted). */
export async function openTaskCount(q: Q, tenantId: string, serviceId: string): Promise<number> {
  const [r] = await q
    .select({ n: sql<number>`count(*)::int` })
    .from(tasks)
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.serviceId, serviceId), sql`${tasks.state} <> 'ended'`));
  return Number(r?.n ?? 0);
}

/** One audit entry as stored. */
export interface AuditRow {
  id: number;
  tenantId: string;
  at: number;
  actor: string;
  actorName: string | null;
  action: string;
  target: string;
  revision: number | null;
  summary: string;
  changes: AuditChange[];
}

/** Records who changed what (the caller masks secrets). */
export async function appendAudit(q: Q, e: Omit<AuditRow, 'id'>): Promise<void> {
  await q.insert(auditLog).values(e);
}

/** The tenant's audit entries, newest first, before the id `before` when given. */
export async function auditEntries(q: Q, tenantId: string, limit: number, before?: number): Promise<AuditRow[]> {
  const rows = await q
    .select()
    .from(auditLog)
    .where(before === undefined ? eq(auditLog.tenantId, tenantId) : and(eq(auditLog.tenantId, tenantId), lt(auditLog.id, before)))
    .orderBy(desc(auditLog.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, changes: r.changes as AuditChange[] }));
}

/** The run-time agent fields a tenant file sets. */
export interface AgentFileFields {
  presence: string;
  inBlockingCall: boolean;
  onDuty: boolean;
}

/**
 * Creates the agent's row from the file; an existing row gets only the `overwrite` fields (none:
 * left as it is).
 */
export async function importAgent(
  tx: Tx,
  tenantId: string,
  userId: string,
  row: AgentFileFields,
  overwrite: Partial<AgentFileFields>,
  now: number,
): Promise<void> {
  const insert = tx.insert(agents).values({ tenantId, userId, ...row, lastIdleAt: now });
  await (Object.keys(overwrite).length
    ? insert.onConflictDoUpdate({ target: [agents.tenantId, agents.userId], set: overwrite })
    : insert.onConflictDoNothing());
}

/** Removes the tenant's agent rows of users not in `userIds` (nothing when the list is empty). */
export async function deleteAgentsNotIn(tx: Tx, tenantId: string, userIds: string[]): Promise<void> {
  if (userIds.length) await tx.delete(agents).where(and(eq(agents.tenantId, tenantId), notInArray(agents.userId, userIds)));
}

/** Creates a member's Active flag for a service; an existing flag is set only when `overwrite`. */
export async function importActiveFlag(
  tx: Tx,
  tenantId: string,
  userId: string,
  serviceId: string,
  active: boolean,
  overwrite: boolean,
): Promise<void> {
  const insert = tx.insert(agentServices).values({ tenantId, userId, serviceId, active });
  await (overwrite
    ? insert.onConflictDoUpdate({
        target: [agentServices.tenantId, agentServices.userId, agentServices.serviceId],
        set: { active },
      })
    : insert.onConflictDoNothing());
}

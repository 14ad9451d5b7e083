/** Row access for the tenant import: tenant configurations, agent rows and Active flags. */
import { and, eq, notInArray } from 'drizzle-orm';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import type { Tx } from './db';
import { agents, agentServices, tenants } from './schema';

/** The run-time agent fields a tenant file sets. */
export interface AgentFileFields {
  presence: string;
  inBlockingCall: boolean;
  onDuty: boolean;
}

/** The tenant's last imported configuration and its hash, if it was imported before. */
export async function importedTenantConfig(tx: Tx, tenantId: string): Promise<{ hash: string; config: TenantConfig } | undefined> {
  const [existing] = await tx.select({ hash: tenants.configHash, config: tenants.config }).from(tenants).where(eq(tenants.id, tenantId));
  return existing && { hash: existing.hash, config: existing.config as TenantConfig };
}

/** Stores the tenant's configuration as imported now. */
export async function saveTenantConfig(tx: Tx, config: TenantConfig, hash: string, now: number): Promise<void> {
  await tx
    .insert(tenants)
    .values({ id: config.id, config, configHash: hash, importedAt: now })
    .onConflictDoUpdate({ target: tenants.id, set: { config, configHash: hash, importedAt: now } });
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

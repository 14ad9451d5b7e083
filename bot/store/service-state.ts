/** Per-service run-time state: the accept history behind the estimated wait, the distribution policy's state. */
import { and, eq } from 'drizzle-orm';
import type { Q, Tx } from './db';
import { serviceState } from './schema';

/** The service's accept times, its row locked for update (LOCK ORDER, locks.ts: service_state rows). */
export async function lockWaitHistory(tx: Tx, tenantId: string, serviceId: string): Promise<number[]> {
  const [st] = await tx
    .select({ waitHistory: serviceState.waitHistory })
    .from(serviceState)
    .where(and(eq(serviceState.tenantId, tenantId), eq(serviceState.serviceId, serviceId)))
    .for('update');
  return (st?.waitHistory as number[] | undefined) ?? [];
}

/** The service's accept times, without a lock (the customer's estimated wait). */
export async function waitHistory(q: Q, tenantId: string, serviceId: string): Promise<number[]> {
  const [st] = await q
    .select({ waitHistory: serviceState.waitHistory })
    .from(serviceState)
    .where(and(eq(serviceState.tenantId, tenantId), eq(serviceState.serviceId, serviceId)));
  return (st?.waitHistory as number[] | undefined) ?? [];
}

export async function saveWaitHistory(tx: Tx, tenantId: string, serviceId: string, history: number[]): Promise<void> {
  await tx
    .insert(serviceState)
    .values({ tenantId, serviceId, policyState: {}, waitHistory: history })
    .onConflictDoUpdate({ target: [serviceState.tenantId, serviceState.serviceId], set: { waitHistory: history } });
}

/** The service's row: the distribution policy's state and the accept history (no lock: a pass holds the tenant's lock). */
export async function serviceStateOf(
  q: Q,
  tenantId: string,
  serviceId: string,
): Promise<{ policyState: unknown; waitHistory: number[] } | undefined> {
  const [st] = await q
    .select()
    .from(serviceState)
    .where(and(eq(serviceState.tenantId, tenantId), eq(serviceState.serviceId, serviceId)));
  return st && { policyState: st.policyState, waitHistory: (st.waitHistory as number[] | undefined) ?? [] };
}

export async function savePolicyState(tx: Tx, tenantId: string, serviceId: string, policyState: unknown): Promise<void> {
  await tx
    .insert(serviceState)
    .values({ tenantId, serviceId, policyState })
    .onConflictDoUpdate({ target: [serviceState.tenantId, serviceState.serviceId], set: { policyState } });
}

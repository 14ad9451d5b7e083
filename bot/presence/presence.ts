/**
 * An agent's Teams presence taking effect: the agent row, the availability figures, a
 * distribution pass, the agent's own tab, and, for an agent who can no longer take chats
 * (Offline, Do not disturb, past Be right back, in a call), every open offer redirected at once.
 */
import { expireOffer } from '@stratus/shared/task/transitions';
import type { Presence } from '@stratus/shared/tenant/model';
import { emitMe } from '../agents/agent-actions';
import type { Runtime } from '../runtime/runtime';
import { inTx } from '../runtime/uow';
import { offeredTaskIds, setPresence } from '../store/agents';
import { lockTaskAndConversation } from '../store/locks';
import { saveTask } from '../tasks/task-store';

/** Presences in which an open offer is not left waiting for its timeout. */
const GONE: ReadonlySet<Presence> = new Set(['offline', 'doNotDisturb']);

/** Applies one agent's presence; true when it changed. */
export async function applyPresence(
  rt: Runtime,
  tenantId: string,
  userId: string,
  p: { presence: Presence; inBlockingCall: boolean },
): Promise<boolean> {
  const user = rt.tenants.user(tenantId, userId);
  if (!user) return false;
  const changed = await inTx(rt, async (u) => {
    if (!(await setPresence(u.tx, tenantId, userId, p, u.now))) return false;
    u.distribute(tenantId);
    u.after(() => rt.availability.forget(tenantId));
    await emitMe(u, { tenantId, userId, upn: user.upn });
    return true;
  });
  if (changed && (GONE.has(p.presence) || p.inBlockingCall)) await redirectOffers(rt, tenantId, userId);
  return changed;
}

/** Takes back the agent's open offers (each in its own transaction, task lock first: LOCK ORDER). */
async function redirectOffers(rt: Runtime, tenantId: string, userId: string): Promise<void> {
  for (const taskId of await offeredTaskIds(rt.store.db, tenantId, userId)) {
    await inTx(rt, async (u) => {
      const row = (await lockTaskAndConversation(u.tx, tenantId, taskId))?.row;
      if (!row || row.task.state !== 'offered' || !row.task.offers.some((o) => o.userId === userId)) return;
      const r = expireOffer(row.task, userId, u.now);
      await saveTask(u, r.task, r.events, row.workflow);
      u.distribute(tenantId);
    });
  }
}

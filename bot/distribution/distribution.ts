/**
 * Distribution passes: under a per-tenant advisory lock (so two instances never offer the same
 * agent beyond capacity or a task twice), load the tenant's waiting tasks and agents, let the
 * pure planner decide, and apply its offers. Passes are coalesced per tenant; a periodic pass
 * is the safety net for a lost kick (a crash between commit and kick, another instance's change).
 *
 * Locks follow LOCK ORDER (locks.ts): each offered task is locked with its conversation first and
 * re-checked (the plan was made from rows read without locks); a conversation another transaction
 * holds is skipped (SKIP LOCKED) and the pass runs again after commit, so a pass never waits while
 * holding other chats' locks. Agents and service_state rows are written last.
 */
import { serviceOrder } from '@stratus/shared/distribution/order';
import { planDistribution, type PolicyState } from '@stratus/shared/distribution/planner';
import { estimateWaitSec, queuePositions } from '@stratus/shared/distribution/queue-position';
import { offer } from '@stratus/shared/task/transitions';
import type { Task } from '@stratus/shared/task/types';
import { DEFAULT_DISTRIBUTION, type ServiceConfig, type TenantConfig, type UserConfig } from '@stratus/shared/tenant/model';
import { setLastOffered } from '../store/agents';
import { savePolicyState, serviceStateOf } from '../store/service-state';
import { errorMessage } from '../util/log';
import { agentsWithRoom } from '../store/agents';
import { deferOfferWrites, flushOfferWrites } from '../store/offer-writes';
import { offeredEntries, tasksInStates, type OfferedEntry, type TaskRow } from '../store/repo';
import { lockDistribution, tryLockTasksAndConversations } from '../store/locks';
import type { AgentRuntime } from '@stratus/shared/distribution/agent';
import type { Runtime } from '../runtime/runtime';
import { saveTask } from '../tasks/task-store';
import { inTx, type Uow } from '../runtime/uow';
import { events } from '@stratus/shared/contract/events';

/** Pseudo service of a direct chat to one user: only that user, default distribution settings. */
export function directService(user: UserConfig): ServiceConfig {
  return {
    id: `direct:${user.id}`,
    name: `Direct chat with ${user.displayName}`,
    licenses: ['contactCenter', 'interact'],
    members: [{ userId: user.id, active: true }],
    im: { enabled: true, workflowId: '', distribution: { ...DEFAULT_DISTRIBUTION } },
    openingHours: { timeZone: 'UTC', weekly: [], exceptions: [] },
  };
}

/**
 * Offers one pass makes on the embedded store: the rest of the queue is planned by the next pass,
 * right after. A pass is one transaction, and on PGlite's one connection every other write (a
 * customer's message included) waits for it: an uncapped pass in a burst of 500 chats held it for
 * over a second, and the first offers reached agents only with the last. 50 holds it about as long
 * as a group commit of 50 chat starts (START_BATCH_MAX, app.ts), so in a burst starts and offers
 * take turns at one pace; with 25 the offers fell behind the starts (bench:starts, README). On
 * PostgreSQL other requests do not wait for a pass, and each pass re-reads the queue, so a pass
 * there offers all it can (capped, a burst's last offers came about a second later).
 */
export const MAX_OFFERS_PER_PASS = 50;

/** One pass over a tenant. Returns the number of offers made. */
export async function distributeTenant(rt: Runtime, tenantId: string, sent: SentPositions = new SentPositions()): Promise<number> {
  const tenant = rt.tenants.tenant(tenantId);
  if (!tenant) return 0;
  return inTx(rt, async (u) => {
    await lockDistribution(u.tx, tenantId);
    // The pass's offers are written together after it planned them all (offer-writes.ts).
    deferOfferWrites(u.tx);
    // Queued chats in full (they are planned); offered ones narrow (they only count for positions).
    const queued = await tasksInStates(u.tx, tenantId, ['queued']);
    const offered = await offeredEntries(u.tx, tenantId);
    if (queued.length === 0 && offered.length === 0) {
      u.after(() => sent.replace(tenantId, new Map()));
      return 0;
    }
    // Only agents with room under the most generous limit can be offered anything in this pass.
    const maxLoad = Math.max(DEFAULT_DISTRIBUTION.maxConcurrentIm, ...tenant.services.map((x) => x.im.distribution.maxConcurrentIm));
    const agentsById = queued.length > 0 ? await agentsWithRoom(u.tx, tenantId, maxLoad) : new Map<string, AgentRuntime>();
    const users = new Map(tenant.users.map((x) => [x.id, x] as const));
    const byService = new Map<string, Waiting>();
    const waitingOf = (serviceId: string) => {
      let w = byService.get(serviceId);
      if (!w) byService.set(serviceId, (w = { queued: [], offered: [] }));
      return w;
    };
    for (const r of queued) waitingOf(r.task.serviceId).queued.push(r);
    for (const e of offered) waitingOf(e.serviceId).offered.push(e);
    let offers = 0;
    const writes: PassWrites = {
      offeredUsers: new Set(),
      policyStates: new Map(),
      positions: new Map(),
      sent,
      skipped: false,
      offersLeft: rt.store.kind === 'pglite' ? MAX_OFFERS_PER_PASS : Number.POSITIVE_INFINITY,
    };
    // Queues in the order their next tasks would be served, so a shared agent gets the most urgent chat.
    const order = serviceOrder(new Map([...byService].map(([id, w]) => [id, [...w.queued.map((r) => r.task), ...w.offered]])));
    for (const serviceId of order) {
      const waiting = byService.get(serviceId)!;
      const service = serviceFor(tenant, serviceId);
      if (!service) continue;
      let agentsFor = agentsById;
      if (serviceId.startsWith('direct:')) {
        // A direct chat needs no Active flag: the user's own code reaches them whenever they are available.
        const userId = serviceId.slice('direct:'.length);
        const a = agentsById.get(userId);
        if (a) agentsFor = new Map([...agentsById, [userId, { ...a, activeServiceIds: [...a.activeServiceIds, serviceId] }]]);
      }
      offers += await planService(u, tenant, service, waiting, users, agentsFor, writes);
    }
    await flushOfferWrites(u.tx);
    // Rows after the tasks' in the lock order: agents (sorted, so two passes agree), then service_state.
    await setLastOffered(u.tx, tenant.id, [...writes.offeredUsers].sort(), u.now);
    for (const [serviceId, policyState] of [...writes.policyStates].sort(([x], [y]) => x.localeCompare(y))) {
      await savePolicyState(u.tx, tenant.id, serviceId, policyState);
    }
    // A chat that was busy, or past this pass's offers, is offered by the next pass (the Distributor runs it after this one).
    if (writes.skipped || writes.offersLeft === 0) u.distribute(tenantId);
    // Every waiting task of the tenant was in this pass: what is remembered is exactly its queue.
    u.after(() => sent.replace(tenantId, writes.positions));
    return offers;
  });
}

/** A service's waiting chats in a pass. */
interface Waiting {
  queued: TaskRow[];
  offered: OfferedEntry[];
}

/** What a pass writes after its offers, and what it tells the Distributor after commit. */
interface PassWrites {
  offeredUsers: Set<string>;
  policyStates: Map<string, PolicyState>;
  /** Every queued task's position after this pass. */
  positions: Map<string, number>;
  /** What customers were last told (positions are sent only when they change). */
  sent: SentPositions;
  skipped: boolean;
  /** Offers this pass may still plan (MAX_OFFERS_PER_PASS). */
  offersLeft: number;
}

function serviceFor(tenant: TenantConfig, serviceId: string): ServiceConfig | undefined {
  if (serviceId.startsWith('direct:')) {
    const user = tenant.users.find((x) => `direct:${x.id}` === serviceId);
    return user && directService(user);
  }
  return tenant.services.find((s) => s.id === serviceId);
}

async function planService(
  u: Uow,
  tenant: TenantConfig,
  service: ServiceConfig,
  waiting: Waiting,
  users: Map<string, UserConfig>,
  agentsById: Map<string, AgentRuntime>,
  writes: PassWrites,
): Promise<number> {
  const st = await serviceStateOf(u.tx, tenant.id, service.id);
  const policyState = (st?.policyState ?? {}) as PolicyState;
  const list = waiting.queued;
  const queued = list.map((r) => r.task);
  let made = 0;
  if (queued.length > 0) {
    // A Queue activity may override the distribution type and offer timeout per task; tasks are planned under the
    // settings of their own override, grouped so one policy run sees every task it orders.
    const groups = new Map<string, Task[]>();
    for (const t of queued) {
      const key = `${t.distribution?.type ?? service.im.distribution.type}/${t.distribution?.offerTimeoutSec ?? service.im.distribution.offerTimeoutSec}`;
      groups.set(key, [...(groups.get(key) ?? []), t]);
    }
    let state = policyState;
    for (const [key, group] of groups) {
      if (writes.offersLeft === 0) break;
      const [type, timeout] = key.split('/') as [ServiceConfig['im']['distribution']['type'], string];
      const svc: ServiceConfig = {
        ...service,
        im: { ...service.im, distribution: { ...service.im.distribution, type, offerTimeoutSec: Number(timeout) } },
      };
      const plan = planDistribution({
        service: svc,
        users,
        agents: agentsById,
        tasks: group,
        policyState: state,
        now: u.now,
        maxOffers: writes.offersLeft,
      });
      state = plan.policyState;
      const rowsById = new Map(list.map((r) => [r.task.id, r] as const));
      const planned = plan.offers.filter((o) => rowsById.has(o.taskId) && o.userIds.length > 0);
      // Planned from an unlocked read: lock them all (conversations first) and offer only a task still queued.
      const lockedById = await tryLockTasksAndConversations(
        u.tx,
        tenant.id,
        planned.map((o) => o.taskId),
      );
      writes.offersLeft -= plan.offers.length;
      for (const o of planned) {
        const row = rowsById.get(o.taskId)!;
        const locked = lockedById.get(o.taskId);
        if (locked === 'locked') writes.skipped = true;
        if (!locked || locked === 'locked' || locked.row.task.state !== 'queued') continue;
        const t = offer(locked.row.task, o.userIds, Number(timeout) * 1000, u.now);
        row.task = t.task;
        await saveTask(u, t.task, t.events, locked.row.workflow, false, { ...locked.conv, firstCustomerText: locked.firstCustomerText });
        for (const userId of o.userIds) {
          const a = agentsById.get(userId);
          if (a) agentsById.set(userId, { ...a, imLoad: a.imLoad + 1, lastOfferedAt: u.now });
          writes.offeredUsers.add(userId);
        }
        made += 1;
      }
    }
    writes.policyStates.set(service.id, state);
  }
  // Tell waiting customers their place when it changed.
  const entries = [...list.map((r) => r.task), ...waiting.offered];
  const positions = queuePositions(entries);
  for (const t of entries) {
    const position = positions.get(t.id);
    if (position === undefined) continue;
    writes.positions.set(t.id, position);
    if (writes.sent.get(tenant.id, t.id) === position) continue;
    const estimatedWaitSec = estimateWaitSec(position, st?.waitHistory ?? [], u.now);
    u.emit(
      events.customerState(tenant.id, t.conversationId, {
        state: 'queued',
        position,
        ...(estimatedWaitSec !== undefined ? { estimatedWaitSec } : {}),
      }),
    );
  }
  return made;
}

/**
 * The queue position last sent per waiting task, per tenant, on this instance (a repeat after a
 * restart or on another instance is harmless). Replaced whole after each pass of a tenant, so it
 * holds the tenant's current queue and nothing that has left it.
 */
export class SentPositions {
  private readonly byTenant = new Map<string, Map<string, number>>();

  get(tenantId: string, taskId: string): number | undefined {
    return this.byTenant.get(tenantId)?.get(taskId);
  }

  replace(tenantId: string, positions: Map<string, number>): void {
    if (positions.size === 0) this.byTenant.delete(tenantId);
    else this.byTenant.set(tenantId, positions);
  }

  /** Tasks remembered, over all tenants. */
  get size(): number {
    let n = 0;
    for (const m of this.byTenant.values()) n += m.size;
    return n;
  }
}

/** The longest a pass waits after the previous one (see Distributor.request). */
const MAX_GAP_MS = 50;

/** Coalesces distribution requests per tenant and runs a periodic safety pass. */
export class Distributor {
  private readonly pending = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  /** Owned here so it lives as long as the distributor, bounded by the waiting tasks. */
  readonly sentPositions = new SentPositions();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** How long each tenant's last pass took and when it ended (the spacing of the next one). */
  private readonly lastPass = new Map<string, { took: number; endedAt: number }>();

  constructor(
    private readonly rt: () => Runtime,
    private readonly periodMs = 2000,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      for (const t of this.rt().tenants.tenants) this.request(t.id);
    }, this.periodMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.running.values()]);
  }

  request(tenantId: string): void {
    if (this.stopped) return;
    if (this.running.has(tenantId)) {
      this.pending.add(tenantId);
      return;
    }
    const p = (async () => {
      // After a pass, the next one waits as long as that one took (at most MAX_GAP_MS): a burst of
      // new chats is then planned a batch per pass, and passes (each reads every waiting chat and
      // agent) take at most about half of the store's time, whatever the load. A pass after a
      // quiet spell starts at once.
      const last = this.lastPass.get(tenantId);
      const gap = last ? Math.min(MAX_GAP_MS, last.took - (Date.now() - last.endedAt)) : 0;
      if (gap > 0) await new Promise<void>((r) => setTimeout(r, gap));
      else await new Promise<void>((r) => setImmediate(r));
      const began = Date.now();
      try {
        await distributeTenant(this.rt(), tenantId, this.sentPositions);
      } catch (e) {
        if (!this.stopped) this.rt().log.warn('distribution pass failed; the next pass retries', { tenantId, error: errorMessage(e) });
      }
      this.lastPass.set(tenantId, { took: Date.now() - began, endedAt: Date.now() });
    })().finally(() => {
      this.running.delete(tenantId);
      if (this.pending.delete(tenantId)) this.request(tenantId);
    });
    this.running.set(tenantId, p);
  }

  /** Resolves when no pass is running or pending (tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }
}

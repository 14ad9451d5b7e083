/**
 * The agents board and the list of watched services: what each member of the watched services
 * is doing now (duty, Active, presence, RONA, wrap-up, chats against capacity, since when).
 */
import type { SupervisorAgent, SupervisorAgentState, SupervisorServices } from '@stratus/shared/contract/supervisor';
import type { AgentRuntime } from '@stratus/shared/distribution/agent';
import { reachability } from '@stratus/shared/distribution/eligibility';
import { mayServiceUseIm } from '@stratus/shared/licensing/service';
import { DEFAULT_SERVICE_LEVEL_SEC, type ServiceConfig, type UserConfig } from '@stratus/shared/tenant/model';
import { isAdmin } from '../admin/roles';
import type { Runtime } from '../runtime/runtime';
import { loadAgents } from '../store/agents';
import { tasksInStates } from '../store/repo';
import { watchedServices, type Viewer } from './supervisor';

/** The services the caller watches (403 when none). */
export function supervisorServices(rt: Runtime, v: Viewer): SupervisorServices {
  const ids = new Set(watchedServices(rt, v));
  const tenant = rt.tenants.tenant(v.tenantId);
  return {
    admin: isAdmin(tenant, v.userId),
    services: (tenant?.services ?? [])
      .filter((s) => ids.has(s.id))
      .map((s) => ({
        id: s.id,
        name: s.name,
        serviceLevelSec: s.im.serviceLevelSec ?? DEFAULT_SERVICE_LEVEL_SEC,
        imEnabled: mayServiceUseIm(s).allowed,
      })),
  };
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** One agent's state on the board, and since when as far as Stratus knows. */
function stateOf(
  user: UserConfig,
  a: AgentRuntime,
  mine: readonly ServiceConfig[],
  sessions: number,
  capacity: number,
  firstAcceptedAt: number | undefined,
  now: number,
): { state: SupervisorAgentState; since?: number } {
  if (!a.onDuty) return { state: 'offDuty' };
  if (a.ronaUntil !== undefined && a.ronaUntil > now) return { state: 'rona' };
  if (a.wrapUpUntil !== undefined && a.wrapUpUntil > now) return { state: 'wrapUp' };
  // Reachable for none of the watched services (presence, a call, not Active): unavailable.
  if (!mine.some((s) => reachability(user, a, s, now).allowed))
    return { state: 'unavailable', ...(a.presenceSince ? { since: a.presenceSince } : {}) };
  if (a.imLoad >= capacity) return { state: 'full', ...(firstAcceptedAt ? { since: firstAcceptedAt } : {}) };
  if (sessions > 0) return { state: 'busy', ...(firstAcceptedAt ? { since: firstAcceptedAt } : {}) };
  return { state: 'available', since: Math.max(a.lastIdleAt, a.presenceSince ?? 0) };
}

/** Every member of the watched services, by name. */
export async function supervisorAgents(rt: Runtime, v: Viewer, service?: string): Promise<{ agents: SupervisorAgent[] }> {
  const ids = new Set(watchedServices(rt, v, service));
  const tenant = rt.tenants.tenant(v.tenantId);
  if (!tenant) return { agents: [] };
  const watched = tenant.services.filter((s) => ids.has(s.id));
  const runtime = await loadAgents(rt.store.db, tenant);
  const connected = (await tasksInStates(rt.store.db, v.tenantId, ['connected'])).map((r) => r.task);
  const now = rt.clock.now();
  const out: SupervisorAgent[] = [];
  const members = new Set(watched.flatMap((s) => s.members.map((m) => m.userId)));
  for (const userId of members) {
    const user = rt.tenants.user(v.tenantId, userId);
    if (!user) continue;
    const mine = watched.filter((s) => s.members.some((m) => m.userId === userId));
    const a: AgentRuntime = runtime.get(userId) ?? {
      userId,
      presence: user.presence,
      inBlockingCall: user.inBlockingCall ?? false,
      onDuty: user.onDuty,
      activeServiceIds: [],
      imLoad: 0,
      lastIdleAt: 0,
    };
    const theirs = connected.filter((t) => t.userId === userId);
    const capacity = Math.max(...mine.map((s) => s.im.distribution.maxConcurrentIm));
    const firstAcceptedAt = theirs.reduce<number | undefined>(
      (m, t) => (t.acceptedAt !== undefined && (m === undefined || t.acceptedAt < m) ? t.acceptedAt : m),
      undefined,
    );
    const st = stateOf(user, a, mine, theirs.length, capacity, firstAcceptedAt, now);
    out.push({
      userId,
      displayName: user.displayName,
      services: mine.map((s) => ({ id: s.id, active: a.activeServiceIds.includes(s.id) })),
      onDuty: a.onDuty,
      presence: a.presence,
      ...(a.inBlockingCall ? { inBlockingCall: true } : {}),
      ...(a.ronaUntil !== undefined && a.ronaUntil > now ? { ronaUntil: iso(a.ronaUntil) } : {}),
      ...(a.wrapUpUntil !== undefined && a.wrapUpUntil > now ? { wrapUpUntil: iso(a.wrapUpUntil) } : {}),
      sessions: theirs.length,
      capacity,
      offers: Math.max(0, a.imLoad - theirs.length),
      state: st.state,
      ...(st.since ? { stateSince: iso(st.since) } : {}),
    });
  }
  out.sort((x, y) => x.displayName.localeCompare(y.displayName));
  return { agents: out };
}

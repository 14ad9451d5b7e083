/** Agents' run-time rows (presence, duty, RONA, Active services, load), as the domain reads them. */
import { and, eq, lte, sql } from 'drizzle-orm';
import type { AgentRuntime } from '@stratus/shared/distribution/agent';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import type { Q, Tx } from './db';
import { agents, agentServices, taskOffers } from './schema';

/** All agents of a tenant with their Active services and open IM load. */
export async function loadAgents(q: Q, tenant: TenantConfig): Promise<Map<string, AgentRuntime>> {
  return agentsWithRoom(q, tenant.id);
}

/**
 * The tenant's agents with their Active services and open IM load (connected chats plus open
 * offers), in one statement; with `maxLoad`, only those whose load is below it. A distribution pass
 * passes the largest limit any service sets: agents at it cannot be offered anything, so a busy
 * floor costs a pass nothing for them.
 */
export async function agentsWithRoom(q: Q, tenantId: string, maxLoad?: number): Promise<Map<string, AgentRuntime>> {
  // One row holding every agent as a JSON array: parsing 500 rows of eleven columns took the
  // driver 5.7 ms, this 2.3 ms (PGlite); the flags are joined, not read by a subquery per agent.
  const res = await q.execute(sql`
    select coalesce(json_agg(json_build_array(a.user_id, a.presence, a.presence_since, a.in_blocking_call, a.on_duty,
      a.rona_until, a.wrap_up_until, a.last_idle_at, a.last_offered_at, coalesce(l.n, 0), coalesce(s.active, '{}'))), '[]') as agents
    from agents a
    left join (
      select user_id, array_agg(service_id order by service_id) as active from agent_services
      where tenant_id = ${tenantId} and active group by user_id
    ) s on s.user_id = a.user_id
    left join (
      select user_id, sum(n)::int as n from (
        select user_id, count(*) as n from tasks where tenant_id = ${tenantId} and state = 'connected' and user_id is not null group by user_id
        union all
        select user_id, count(*) as n from task_offers where tenant_id = ${tenantId} group by user_id
      ) x group by user_id
    ) l on l.user_id = a.user_id
    where a.tenant_id = ${tenantId}${maxLoad === undefined ? sql`` : sql` and coalesce(l.n, 0) < ${maxLoad}`}`);
  const [row] = (res as unknown as { rows: { agents: unknown }[] }).rows;
  const list = (typeof row?.agents === 'string' ? JSON.parse(row.agents) : row?.agents) as AgentTuple[];
  const out = new Map<string, AgentRuntime>();
  for (const [
    userId,
    presence,
    presenceSince,
    inBlockingCall,
    onDuty,
    ronaUntil,
    wrapUpUntil,
    lastIdleAt,
    lastOfferedAt,
    load,
    active,
  ] of list) {
    out.set(userId, {
      userId,
      presence,
      ...(presenceSince !== null ? { presenceSince } : {}),
      inBlockingCall,
      onDuty,
      ...(ronaUntil !== null ? { ronaUntil } : {}),
      ...(wrapUpUntil !== null ? { wrapUpUntil } : {}),
      activeServiceIds: active,
      imLoad: load,
      lastIdleAt,
      ...(lastOfferedAt !== null ? { lastOfferedAt } : {}),
    });
  }
  return out;
}

/** An agent as agentsWithRoom's JSON gives it (times in ms, null where unset). */
type AgentTuple = [
  userId: string,
  presence: AgentRuntime['presence'],
  presenceSince: number | null,
  inBlockingCall: boolean,
  onDuty: boolean,
  ronaUntil: number | null,
  wrapUpUntil: number | null,
  lastIdleAt: number,
  lastOfferedAt: number | null,
  load: number,
  active: string[],
];

/** Presence as Teams last gave it, per agent of the tenant (the presence sync compares with it). */
export async function presenceRows(
  q: Q,
  tenantId: string,
): Promise<Map<string, { presence: string; inBlockingCall: boolean; presenceCheckedAt: number | null }>> {
  const rows = await q
    .select({
      userId: agents.userId,
      presence: agents.presence,
      inBlockingCall: agents.inBlockingCall,
      presenceCheckedAt: agents.presenceCheckedAt,
    })
    .from(agents)
    .where(eq(agents.tenantId, tenantId));
  return new Map(rows.map((r) => [r.userId, r]));
}

/**
 * Sets an agent's presence and blocking call as Teams reports them; `presence_since` moves only
 * when the presence changed. True when something changed.
 */
export async function setPresence(
  tx: Tx,
  tenantId: string,
  userId: string,
  p: { presence: string; inBlockingCall: boolean },
  now: number,
): Promise<boolean> {
  const rows = await tx
    .update(agents)
    .set({
      presence: p.presence,
      inBlockingCall: p.inBlockingCall,
      presenceSince: sql`case when ${agents.presence} = ${p.presence} then ${agents.presenceSince} else ${now}::bigint end`,
      presenceCheckedAt: now,
    })
    .where(
      and(
        eq(agents.tenantId, tenantId),
        eq(agents.userId, userId),
        sql`(${agents.presence} <> ${p.presence} or ${agents.inBlockingCall} <> ${p.inBlockingCall})`,
      ),
    )
    .returning({ userId: agents.userId });
  return rows.length > 0;
}

/** Ids of the tasks offered to the agent right now. */
export async function offeredTaskIds(q: Q, tenantId: string, userId: string): Promise<string[]> {
  const rows = await q
    .select({ taskId: taskOffers.taskId })
    .from(taskOffers)
    .where(and(eq(taskOffers.tenantId, tenantId), eq(taskOffers.userId, userId)));
  return rows.map((r) => r.taskId);
}

/** Ends the agent's RONA state if it is due (a later RONA keeps it). */
export async function clearRonaIfDue(tx: Tx, tenantId: string, userId: string, now: number): Promise<void> {
  await tx
    .update(agents)
    .set({ ronaUntil: null })
    .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId), lte(agents.ronaUntil, now)));
}

/**
 * When these agents were last offered a chat (for the distribution policies' fairness), in one
 * statement: the rows are locked in user id order (the subquery's ORDER BY ... FOR UPDATE), as the
 * pass took them one by one before. The ids go as one JSON array so the text is the same for any number.
 */
export async function setLastOffered(tx: Tx, tenantId: string, userIds: readonly string[], now: number): Promise<void> {
  if (userIds.length === 0) return;
  await tx.execute(sql`
    update agents a set last_offered_at = ${now}
    from (select user_id from agents
          where tenant_id = ${tenantId} and user_id in (select jsonb_array_elements_text(${JSON.stringify(userIds)}::jsonb))
          order by user_id for update) s
    where a.tenant_id = ${tenantId} and a.user_id = s.user_id`);
}

/** The agent's run-time row (absent until the tenant's users were imported). */
export async function agentRow(q: Q, tenantId: string, userId: string): Promise<typeof agents.$inferSelect | undefined> {
  const [a] = await q
    .select()
    .from(agents)
    .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId)));
  return a;
}

/** The agent's Active flag per service. */
export async function activeFlags(q: Q, tenantId: string, userId: string): Promise<{ serviceId: string; active: boolean }[]> {
  return q
    .select({ serviceId: agentServices.serviceId, active: agentServices.active })
    .from(agentServices)
    .where(and(eq(agentServices.tenantId, tenantId), eq(agentServices.userId, userId)));
}

/** Changes the agent's duty, RONA, wrap-up or last idle time (LOCK ORDER 3: agents rows). */
export async function updateAgent(
  tx: Tx,
  tenantId: string,
  userId: string,
  set: Partial<Pick<typeof agents.$inferInsert, 'onDuty' | 'ronaUntil' | 'lastIdleAt' | 'wrapUpUntil'>>,
): Promise<void> {
  await tx
    .update(agents)
    .set(set)
    .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId)));
}

export async function setActiveFlag(tx: Tx, tenantId: string, userId: string, serviceId: string, active: boolean): Promise<void> {
  await tx
    .insert(agentServices)
    .values({ tenantId, userId, serviceId, active })
    .onConflictDoUpdate({ target: [agentServices.tenantId, agentServices.userId, agentServices.serviceId], set: { active } });
}

/**
 * Puts the agent in wrap-up until `until`, or keeps a later wrap-up they already have (two chats
 * ending close together: the later end counts). LOCK ORDER 3.
 */
export async function extendWrapUp(tx: Tx, tenantId: string, userId: string, until: number): Promise<void> {
  await tx
    .update(agents)
    .set({ wrapUpUntil: sql`greatest(coalesce(${agents.wrapUpUntil}, 0), ${until}::bigint)` })
    .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId)));
}

/** The agent's own settings as stored (shaped by AgentPrefs; parsed by the caller). */
export async function agentPrefs(q: Q, tenantId: string, userId: string): Promise<unknown> {
  const [r] = await q
    .select({ prefs: agents.prefs })
    .from(agents)
    .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId)));
  return r?.prefs;
}

/** Replaces the agent's own settings; false when the agent has no row yet. */
export async function setAgentPrefs(tx: Tx, tenantId: string, userId: string, prefs: object): Promise<boolean> {
  const rows = await tx
    .update(agents)
    .set({ prefs })
    .where(and(eq(agents.tenantId, tenantId), eq(agents.userId, userId)))
    .returning({ userId: agents.userId });
  return rows.length > 0;
}

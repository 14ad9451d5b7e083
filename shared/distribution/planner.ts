/**
 * Distribution decisions for one service: take waiting tasks in queue order and pick whom to offer
 * each to under the service's policy. Pure: the server applies the offers (task transition `offer`)
 * and stores the policy state. Loads are tracked within a pass so capacity holds however many
 * offers one pass makes.
 */
import type { Task } from '../task/types';
import type { ServiceConfig, UserConfig } from '../tenant/model';
import { idleSince, type AgentRuntime } from './agent';
import { reachability } from './eligibility';
import type { Candidate, PolicyState } from './policies/policy';
import { POLICIES } from './policies/registry';
import { TaskQueue } from './queue';

export type { PolicyState } from './policies/policy';

export interface PlanInput {
  service: ServiceConfig;
  users: ReadonlyMap<string, UserConfig>;
  agents: ReadonlyMap<string, AgentRuntime>;
  /** Tasks of the service; only `queued` ones are planned. */
  tasks: readonly Task[];
  policyState: PolicyState;
  now: number;
  /** Offers to plan at most (the rest wait for the next pass); the policy state is as of the last one planned. */
  maxOffers?: number;
}

export interface PlannedOffer {
  taskId: string;
  userIds: string[];
}

export interface Plan {
  offers: PlannedOffer[];
  policyState: PolicyState;
}

/** Decides offers one task at a time; keeps the candidates and their loads between decisions. */
export class ServicePlanner {
  private readonly candidates: Candidate[] = [];
  private readonly byId = new Map<string, Candidate>();
  state: PolicyState;

  constructor(
    private readonly service: ServiceConfig,
    users: ReadonlyMap<string, UserConfig>,
    agents: ReadonlyMap<string, AgentRuntime>,
    policyState: PolicyState,
    private readonly now: number,
  ) {
    this.state = policyState;
    const capacity = service.im.distribution.maxConcurrentIm;
    service.members.forEach((m, order) => {
      const user = users.get(m.userId);
      const agent = agents.get(m.userId);
      if (!user || !agent || !reachability(user, agent, service, now).allowed) return;
      const c: Candidate = { userId: m.userId, agent, load: agent.imLoad, capacity, order, idleSince: idleSince(agent) };
      this.candidates.push(c);
      this.byId.set(c.userId, c);
    });
  }

  /** Whether anyone has a free slot (a pass stops early when nobody does). */
  hasCapacity(): boolean {
    return this.candidates.some((c) => c.load < c.capacity);
  }

  /**
   * Whom to offer the task to, or undefined when nobody can take it now. A user who declined or
   * missed the task is passed over while another eligible user has room.
   */
  decide(task: Task): string[] | undefined {
    let open: Candidate[];
    if (task.directUserId !== undefined) {
      const c = this.byId.get(task.directUserId);
      open = c && c.load < c.capacity ? [c] : [];
    } else {
      open = this.candidates.filter((c) => c.load < c.capacity);
    }
    if (open.length === 0) return undefined;
    if (task.skippedUserIds.length > 0) {
      const fresh = open.filter((c) => !task.skippedUserIds.includes(c.userId));
      if (fresh.length > 0) open = fresh;
    }
    const policy = POLICIES[task.distribution?.type ?? this.service.im.distribution.type];
    const choice = policy.choose(open, this.service.im.distribution, this.state);
    this.state = choice.state;
    for (const id of choice.userIds) {
      const c = this.byId.get(id);
      if (!c) continue;
      c.load += 1;
      c.idleSince = this.now;
    }
    return choice.userIds;
  }
}

/** One distribution pass over a service's queue. */
export function planDistribution(input: PlanInput): Plan {
  const planner = new ServicePlanner(input.service, input.users, input.agents, input.policyState, input.now);
  const queue = new TaskQueue(input.tasks.filter((t) => t.state === 'queued'));
  const offers: PlannedOffer[] = [];
  const max = input.maxOffers ?? Number.POSITIVE_INFINITY;
  for (let task = queue.pop(); task !== undefined && offers.length < max; task = queue.pop()) {
    if (!planner.hasCapacity()) break;
    const userIds = planner.decide(task);
    if (userIds && userIds.length > 0) offers.push({ taskId: task.id, userIds });
  }
  return { offers, policyState: planner.state };
}

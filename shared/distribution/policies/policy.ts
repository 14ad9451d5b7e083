/**
 * One interface for every distribution type: given the users who could take the task now (all
 * eligible and under capacity), pick whom to offer it to. Each type is one file in this folder.
 */
import type { DistributionSettings, DistributionType } from '../../tenant/model';
import type { AgentRuntime } from '../agent';

export interface Candidate {
  userId: string;
  agent: AgentRuntime;
  /** Open IM tasks now, including offers made earlier in this pass. */
  load: number;
  capacity: number;
  /** The user's place in the service's member list (round robin order). */
  order: number;
  /** Longest idle first: smaller is idle longer. */
  idleSince: number;
}

/** Per-service memory a policy keeps between passes (stored as JSON by the server). */
export interface PolicyState {
  /** Round robin: member order of the user who got the last task. */
  rrCursor?: number;
}

export interface PolicyChoice {
  userIds: string[];
  state: PolicyState;
}

export interface DistributionPolicy {
  readonly type: DistributionType;
  /** `candidates` is never empty. */
  choose(candidates: readonly Candidate[], settings: DistributionSettings, state: PolicyState): PolicyChoice;
}

/** Longest idle first; ties by member order. */
export function byLongestIdle(a: Candidate, b: Candidate): number {
  return a.idleSince - b.idleSince || a.order - b.order;
}

export function longestIdle(candidates: readonly Candidate[]): Candidate {
  let best = candidates[0] as Candidate;
  for (let i = 1; i < candidates.length; i++) {
    const c = candidates[i] as Candidate;
    if (byLongestIdle(c, best) < 0) best = c;
  }
  return best;
}

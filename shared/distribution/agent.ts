/**
 * An agent's run-time state as distribution sees it (the configuration says who may work; this
 * says who can work now).
 */
import type { Presence } from '../tenant/model';

export interface AgentRuntime {
  userId: string;
  presence: Presence;
  /** When the presence last changed (Be Right Back counts as Away only for a grace period). */
  presenceSince?: number;
  /** In a blocking audio/video call: not available (IM itself is non-blocking). */
  inBlockingCall: boolean;
  onDuty: boolean;
  /** Persistent RONA: not offered anything before this time. */
  ronaUntil?: number;
  /** After-chat work (wrap-up): not offered anything before this time. */
  wrapUpUntil?: number;
  /** Services the user is opted in ("Active") for right now. */
  activeServiceIds: string[];
  /** Open IM tasks the user holds across services (offered + connected). */
  imLoad: number;
  /** When the user last became idle (finished a task, came on duty). */
  lastIdleAt: number;
  /** When the user was last offered a task. */
  lastOfferedAt?: number;
}

/** Longest idle first: the later of the last idle time and the last offer. */
export function idleSince(agent: AgentRuntime): number {
  return agent.lastOfferedAt !== undefined && agent.lastOfferedAt > agent.lastIdleAt ? agent.lastOfferedAt : agent.lastIdleAt;
}

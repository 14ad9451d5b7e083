/**
 * May a user be offered an IM task of a service right now, and if not, why. The checks of the
 * seed, in the order a person would look: license, membership and Active flag, presence (Busy and
 * Away count when the service says so), blocking call, duty, RONA, wrap-up, concurrent IM capacity.
 */
import type { ServiceConfig, UserConfig } from '../tenant/model';
import { mayUserReceiveIm } from '../licensing/user';
import type { AgentRuntime } from './agent';

export type IneligibleReason =
  | 'noImLicense'
  | 'notMember'
  | 'notActive'
  | 'offline'
  | 'doNotDisturb'
  | 'beRightBack'
  | 'busy'
  | 'away'
  | 'inBlockingCall'
  | 'offDuty'
  | 'inRona'
  | 'inWrapUp'
  | 'atCapacity';

/**
 * Be Right Back counts as Away (offered only where the service takes Away) for this long after it
 * was set; past it, the agent has clearly not come right back and gets nothing.
 */
export const BE_RIGHT_BACK_GRACE_MS = 5 * 60_000;

export type Eligibility = { allowed: true } | { allowed: false; reason: IneligibleReason; message: string };

const OK: Eligibility = { allowed: true };

function no(reason: IneligibleReason, message: string): Eligibility {
  return { allowed: false, reason, message };
}

/** Everything but capacity: whether the user is reachable for the service at all. */
export function reachability(user: UserConfig, agent: AgentRuntime, service: ServiceConfig, now: number): Eligibility {
  if (!mayUserReceiveIm(user).allowed) return no('noImLicense', `${user.displayName} has no Instant Messaging license.`);
  if (!service.members.some((m) => m.userId === user.id)) return no('notMember', `${user.displayName} is not a member of ${service.name}.`);
  if (!agent.activeServiceIds.includes(service.id)) return no('notActive', `${user.displayName} is not Active in ${service.name}.`);
  const d = service.im.distribution;
  if (agent.presence === 'offline') return no('offline', `${user.displayName} is offline.`);
  if (agent.presence === 'doNotDisturb') return no('doNotDisturb', `${user.displayName} is in Do not disturb.`);
  if (agent.presence === 'beRightBack') {
    const since = agent.presenceSince ?? now;
    if (now - since > BE_RIGHT_BACK_GRACE_MS)
      return no('beRightBack', `${user.displayName} has been Be right back for more than ${BE_RIGHT_BACK_GRACE_MS / 60_000} minutes.`);
    if (!d.awayIsAvailable)
      return no('away', `${user.displayName} is Be right back, which ${service.name} counts as Away, and Away is not available.`);
  }
  if (agent.presence === 'busy' && !d.busyIsAvailable)
    return no('busy', `${user.displayName} is Busy, which ${service.name} does not count as available.`);
  if (agent.presence === 'away' && !d.awayIsAvailable)
    return no('away', `${user.displayName} is Away, which ${service.name} does not count as available.`);
  if (agent.inBlockingCall) return no('inBlockingCall', `${user.displayName} is in an audio or video call.`);
  if (!agent.onDuty) return no('offDuty', `${user.displayName} is off duty.`);
  if (agent.ronaUntil !== undefined && agent.ronaUntil > now)
    return no('inRona', `${user.displayName} is in RONA (did not answer an offer).`);
  if (agent.wrapUpUntil !== undefined && agent.wrapUpUntil > now)
    return no('inWrapUp', `${user.displayName} is wrapping up a chat (after-chat work).`);
  return OK;
}

/** Reachable and under the service's concurrent IM capacity. */
export function eligibility(user: UserConfig, agent: AgentRuntime, service: ServiceConfig, now: number): Eligibility {
  const r = reachability(user, agent, service, now);
  if (!r.allowed) return r;
  if (agent.imLoad >= service.im.distribution.maxConcurrentIm) {
    return no('atCapacity', `${user.displayName} already has ${agent.imLoad} chats, the most ${service.name} allows.`);
  }
  return OK;
}

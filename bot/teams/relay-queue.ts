/**
 * What goes into an agent's Teams chat: the queue side of the Teams relay. A durable event
 * subscriber (events/durable.ts) reads the agents' events (offers, their end, customer messages,
 * notices) from the outbox once for the whole deployment and queues them in `teams_queue`, with the
 * agent's `teamsSend` job, in the transaction that moves its cursor: whichever store and write path
 * made an event, a crash loses no Teams copy. The job sends them (relay-send.ts).
 *
 * Once an accepted session ends, the agent gets one short notice (customer left, ended by whom,
 * transferred where); an offer that closes without them updates its card in place. The customer's
 * typing is not queued at all (typing.ts says why).
 */
import type { AgentSession } from '@stratus/shared/contract/api';
import type { DurableSubscriber } from '../events/subscribers';
import type { EventOf, Stored } from '@stratus/shared/contract/events';
import { scheduleJob } from '../scheduler/jobs';
import { reportingSessionOf } from '../store/reporting';
import {
  botInstallation,
  hasPendingTeamsItems,
  installedUserIds,
  lastTeamsOfferUpdate,
  queueTeamsItem,
  teamsItemQueued,
  teamsOfferQueued,
} from '../store/teams';
import type { Uow } from '../runtime/uow';
import type { OfferOutcome, SessionEnd } from './cards';
import { TYPING_STALE_MS, type TeamsTyping } from './typing';

export const teamsJobRef = (tenantId: string, userId: string) => `${tenantId}/${userId}`;

function outcomeOf(s: AgentSession): OfferOutcome {
  if (s.state === 'connected') return 'acceptedByYou';
  switch (s.offerClosed) {
    case 'acceptedByOther':
      return 'takenByOther';
    case 'expired':
      return 'expired';
    case 'declined':
      return 'declined';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'ended';
  }
}

/**
 * Which agents of a tenant have the bot installed, remembered for a while: most agents of a busy
 * tenant may work in the tab only, and their messages should cost no Teams bookkeeping. An install
 * on this instance clears it at once; one on another instance shows within INSTALLED_TTL_MS.
 */
const INSTALLED_TTL_MS = 30_000;

/** The installed-agents cache: one entry per tenant, owned by the Teams wiring of one app. */
export class InstalledAgents {
  private readonly byTenant = new Map<string, { at: number; users: Set<string> }>();

  /** From the cache alone: false only when the agent (without one: every agent of the tenant) is known not to have the bot. */
  mayHaveBot(tenantId: string, userId: string | undefined, now: number): boolean {
    const hit = this.byTenant.get(tenantId);
    if (!hit || now - hit.at >= INSTALLED_TTL_MS || now < hit.at) return true;
    return userId === undefined ? hit.users.size > 0 : hit.users.has(userId);
  }

  /** An install or uninstall on this instance: read the tenant's installations again next time. */
  forget(tenantId: string): void {
    this.byTenant.delete(tenantId);
  }

  async isInstalled(u: Uow, tenantId: string, userId: string): Promise<boolean> {
    let hit = this.byTenant.get(tenantId);
    if (!hit || u.now - hit.at >= INSTALLED_TTL_MS || u.now < hit.at) {
      hit = { at: u.now, users: new Set(await installedUserIds(u.tx, tenantId)) };
      this.byTenant.set(tenantId, hit);
    }
    return hit.users.has(userId);
  }
}

/** The event types the relay handles. */
export type RelayEventType = 'session' | 'message' | 'notice' | 'typing';
type RelayEvent = Stored<EventOf<RelayEventType>>;

/** The agent's Teams chat, as the budget and the typing throttle key it. */
export const chatKeyOf = (tenantId: string, userId: string) => `${tenantId}/${userId}`;

/** The Teams relay's bookkeeping, as a durable subscriber of the agents' events. */
export function teamsRelaySubscriber(
  installed: InstalledAgents,
  clock: { now(): number },
  typing: TeamsTyping,
): DurableSubscriber<RelayEventType> {
  return {
    kind: 'durable',
    name: 'teams-relay',
    types: ['session', 'message', 'notice', 'typing'],
    wants: (e) =>
      relevant(e) &&
      installed.mayHaveBot(e.tenantId, e.userId, clock.now()) &&
      // A typing event is worth a run only when it could still show (throttled ones are passed over unread).
      (e.type !== 'typing' || typing.due(`${e.tenantId}/${e.payload.sessionId ?? ''}`, clock.now())),
    handle: (u, list) => queueTeamsSends(installed, u, list, typing),
  };
}

/** Events that may put something in an agent's Teams chat. */
function relevant(e: RelayEvent): boolean {
  if (!e.userId) return false;
  if (e.type === 'message') return e.payload.message.from === 'customer' && Boolean(e.payload.sessionId);
  if (e.type === 'notice') return e.payload.teams !== false;
  if (e.type === 'typing') return e.payload.from === 'customer' && Boolean(e.payload.sessionId);
  return true;
}

/** Queues what the events mean for agents' Teams chats, with each touched agent's send job. */
export async function queueTeamsSends(
  installed: InstalledAgents,
  u: Uow,
  list: readonly RelayEvent[],
  typing?: TeamsTyping,
): Promise<void> {
  const touched = new Map<string, { tenantId: string; userId: string }>();
  // The last customer message of each session in this page: a typing event before it is superseded by it.
  const lastMessageAt = new Map<string, number>();
  list.forEach((e, i) => {
    if (e.type === 'message' && e.payload.sessionId) lastMessageAt.set(e.payload.sessionId, i);
  });
  for (const [i, e] of list.entries()) {
    if (!relevant(e) || !e.userId) continue;
    if (e.type === 'typing') {
      if (typing && (lastMessageAt.get(e.payload.sessionId ?? '') ?? -1) < i) await showTyping(installed, u, e, typing);
      continue;
    }
    if (!(await installed.isInstalled(u, e.tenantId, e.userId))) continue;
    const base = { tenantId: e.tenantId, userId: e.userId, createdAt: u.now };
    if (e.type === 'session') {
      const s = e.payload.session;
      // An accepted session that ended: one notice (the session events that follow, e.g. its wrap-up, add none).
      if (s.state === 'ended' && s.acceptedAt !== undefined) {
        if (await teamsItemQueued(u.tx, s.id, e.userId, 'sessionEnd')) continue;
        await queueTeamsItem(u.tx, {
          ...base,
          kind: 'sessionEnd',
          taskId: s.id,
          payload: { customerName: s.customer.displayName, end: await sessionEndOf(u, e.tenantId, s) },
        });
        touched.set(chatKeyOf(e.tenantId, e.userId), { tenantId: e.tenantId, userId: e.userId });
        continue;
      }
      const offer = await teamsOfferQueued(u.tx, s.id, e.userId);
      if (s.state === 'offered' && !s.offerClosed) {
        if (offer) continue;
        await queueTeamsItem(u.tx, { ...base, kind: 'offer', taskId: s.id, payload: { session: s } });
      } else {
        if (!offer) continue;
        const outcome = outcomeOf(s);
        const last = (await lastTeamsOfferUpdate(u.tx, s.id, e.userId)) as { outcome?: string } | undefined;
        if (last?.outcome === outcome) continue;
        // Once accepted, later ends are told by a notice (above), not by rewriting the offer card.
        if (last?.outcome === 'acceptedByYou') continue;
        await queueTeamsItem(u.tx, { ...base, kind: 'offerUpdate', taskId: s.id, payload: { session: s, outcome } });
      }
    } else if (e.type === 'message') {
      await queueTeamsItem(u.tx, { ...base, kind: 'relay', taskId: e.payload.sessionId ?? null, payload: { message: e.payload.message } });
    } else {
      await queueTeamsItem(u.tx, { ...base, kind: 'notice', taskId: e.payload.sessionId ?? null, payload: { text: e.payload.text } });
    }
    touched.set(chatKeyOf(e.tenantId, e.userId), { tenantId: e.tenantId, userId: e.userId });
  }
  for (const { tenantId, userId } of touched.values()) {
    await scheduleJob(u.tx, { tenantId, kind: 'teamsSend', ref: teamsJobRef(tenantId, userId), payload: { userId }, dueAt: u.now });
    u.wake();
  }
}

/**
 * How an accepted session ended, for its notice: from the session when its view says (endedBy,
 * transferredTo), else from its reporting session (one row, read only for this rare event).
 */
async function sessionEndOf(u: Uow, tenantId: string, s: AgentSession): Promise<SessionEnd> {
  let by = s.endedBy;
  let toServiceId = s.transferredTo?.serviceId;
  let toName = s.transferredTo?.serviceName;
  if (s.supervisor) return { ...(by ? { by } : {}), ...(s.outcome ? { outcome: s.outcome } : {}), supervisor: s.supervisor };
  if (!by || (s.outcome === 'transferred' && !toServiceId)) {
    const r = await reportingSessionOf(u.tx, tenantId, s.id);
    by ??= r?.endedBy as SessionEnd['by'];
    toServiceId ??= r?.transferredTo;
  }
  if (toServiceId && !toName) toName = u.rt.tenants.service(tenantId, toServiceId)?.name;
  return { ...(by ? { by } : {}), ...(s.outcome ? { outcome: s.outcome } : {}), ...(toName ? { transferredTo: toName } : {}) };
}

/** Shows the customer's typing in the agent's Teams chat after commit, when it still may (typing.ts). */
async function showTyping(installed: InstalledAgents, u: Uow, e: Stored<EventOf<'typing'>>, typing: TeamsTyping): Promise<void> {
  const userId = e.userId!;
  const sessionKey = `${e.tenantId}/${e.payload.sessionId ?? ''}`;
  const chatKey = chatKeyOf(e.tenantId, userId);
  if (u.now - e.createdAt > TYPING_STALE_MS || !typing.due(sessionKey, u.now) || !typing.hasRoom(e.tenantId, chatKey, u.now)) return;
  if (!(await installed.isInstalled(u, e.tenantId, userId))) return;
  // Sends waiting for this chat go first: typing would only take budget from them (and show after them).
  if (await hasPendingTeamsItems(u.tx, e.tenantId, userId)) return;
  const inst = await botInstallation(u.tx, e.tenantId, userId);
  if (!inst) return;
  const reference = inst.reference as Record<string, unknown>;
  u.after(() => typing.send(e.tenantId, chatKey, sessionKey, reference, u.rt.clock.now()));
}

/**
 * What goes into an agent's Teams chat, and when. A durable event subscriber (events/durable.ts)
 * reads the agents' events (offers, their end, customer messages, notices) from the outbox once
 * for the whole deployment and queues them in `teams_queue`, with the agent's `teamsSend` job, in
 * the transaction that moves its cursor: whichever store and write path made an event, a crash
 * loses no Teams copy. The job drains the queue in order through proactive sends, inside Teams' budgets. When
 * the budget is short, waiting customer messages of a session are folded into one message
 * rather than dropped or delayed without end (the tab always has everything).
 *
 * Once an accepted session ends, the agent gets one short notice (customer left, ended by whom,
 * transferred where); an offer that closes without them updates its card in place. The customer's
 * typing is not queued at all (typing.ts says why).
 */
import type { AgentSession, ChatMessage } from '@stratus/shared/contract/api';
import type { DurableSubscriber } from '../events/subscribers';
import { events, type EventOf, type Stored } from '@stratus/shared/contract/events';
import { scheduleJob, type Job, type JobResult } from '../scheduler/jobs';
import { reportingSessionOf } from '../store/reporting';
import {
  botInstallation,
  connectedTaskIds,
  DELETE_ACTIVITY,
  hasPendingTeamsItems,
  installedUserIds,
  lastTeamsOfferUpdate,
  markTeamsItemsDone,
  pendingTeamsItems,
  queueTeamsItem,
  recordTeamsSendFailure,
  relayTaskData,
  scheduleOrphanedTeamsSends,
  teamsOfferActivityId,
  teamsItemQueued,
  teamsOfferQueued,
  type TeamsItem,
} from '../store/teams';
import type { Runtime } from '../runtime/runtime';
import { inTx, type Uow } from '../runtime/uow';
import { errorMessage } from '../util/log';
import type { SendBudget } from './budget';
import { noticeCard, offerCard, offerClosedCard, relayCard, sessionEndText, type Card, type OfferOutcome, type SessionEnd } from './cards';
import type { TeamsPort } from './port';
import { TYPING_STALE_MS, type TeamsTyping } from './typing';

/** A send failing with a server or network error is tried this many times more before the agent is told. */
const MAX_SEND_ATTEMPTS = 3;
/**
 * A deletion (an erasure or retention removing a copy) failing with a server or network error is
 * tried this many times, waiting twice as long each time (5 s up to 10 min: about 2 h in all).
 */
const MAX_DELETE_ATTEMPTS = 16;

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
const chatKeyOf = (tenantId: string, userId: string) => `${tenantId}/${userId}`;

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

/** Queued items read per run of the `teamsSend` job. */
const PAGE = 200;
/** Customer text folded into one relay card at most (Teams refuses a message past about 28 kB); one message always fits. */
const FOLD_MAX_CHARS = 12_000;

/** An error from the Bot Connector with its HTTP status and Retry-After, when there is one. */
function statusOf(e: unknown): { status: number; retryAfterMs?: number } {
  const x = e as {
    statusCode?: number;
    status?: number;
    response?: { status?: number; headers?: { get?(n: string): string | null } };
    code?: string;
  };
  const status = x.statusCode ?? x.status ?? x.response?.status ?? (x.code === 'ETIMEDOUT' || x.code === 'ECONNRESET' ? 504 : 0);
  const ra = x.response?.headers?.get?.('retry-after');
  const retryAfterMs = ra ? (Number(ra) > 0 ? Number(ra) * 1000 : Math.max(0, Date.parse(ra) - Date.now())) : undefined;
  return { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

export interface RelayDeps {
  rt: Runtime;
  port: TeamsPort;
  budget: SendBudget;
}

/**
 * The backstop for a queued row whose agent has no `teamsSend` job: the relay schedules the job in
 * the transaction that queues the row, but a job that finishes in the same millisecond as it is
 * rescheduled is deleted with the new row unsent. Every agent with undone rows in `teams_queue`
 * and no job gets one, due now. Runs at start and every minute; an agent who already has a job
 * keeps it (and its budget wait) untouched. Returns how many jobs it created.
 */
export async function scheduleOrphanedSends(rt: Runtime): Promise<number> {
  return scheduleOrphanedTeamsSends(rt.store.db, rt.clock.now());
}

/** The `teamsSend` job: drains one agent's queue in order, inside the budget. */
export function teamsSendHandler(d: RelayDeps): (job: Job) => Promise<JobResult> {
  const { rt } = d;
  return async (job) => {
    const userId = String(job.payload.userId);
    const tenantId = job.tenantId;
    const inst = await botInstallation(rt.store.db, tenantId, userId);
    const pending = await pendingTeamsItems(rt.store.db, tenantId, userId, PAGE);
    if (pending.length === 0) return;
    if (!inst) {
      // Not installed: nothing to send to; the tab shows everything.
      await markDone(
        rt,
        pending.map((r) => r.id),
        'not installed',
      );
      return;
    }
    const chatKey = chatKeyOf(tenantId, userId);
    let i = 0;
    while (i < pending.length) {
      const now = rt.clock.now();
      const wait = d.budget.wait(tenantId, chatKey, now);
      if (wait > 0) return { retryAt: now + wait };
      const row = pending[i]!;
      // Fold: when fewer sends are left in the window than relays waiting, one message carries a session's waiting messages.
      const group: TeamsItem[] = [row];
      if (row.kind === 'relay') {
        const relays = pending.slice(i).filter((r) => r.kind === 'relay');
        const fold = d.budget.room(chatKey, now) < relays.length;
        let j = i + 1;
        let chars = relayText(row).length;
        while (fold && j < pending.length && pending[j]!.kind === 'relay' && pending[j]!.taskId === row.taskId) {
          chars += relayText(pending[j]!).length;
          if (group.length >= 50 || chars > FOLD_MAX_CHARS) break;
          group.push(pending[j++]!);
        }
      }
      const result = await sendOne(d, inst.reference as Record<string, unknown>, tenantId, userId, group);
      if (result === 'retry') return { retryAt: rt.clock.now() + 5000 };
      if (typeof result === 'object') return { retryAt: rt.clock.now() + result.retryAfterMs };
      d.budget.record(tenantId, chatKey, rt.clock.now());
      i += group.length;
    }
    // More than one page waiting: go on at once; else done (a send queued meanwhile reschedules the job).
    return pending.length >= PAGE ? { retryAt: rt.clock.now() } : undefined;
  };
}

/** The customer text a queued relay carries. */
const relayText = (r: TeamsItem) => (r.payload as { message?: ChatMessage }).message?.text ?? '';

/** A notice on the agent's tab stream (not queued for Teams again). */
async function tellTab(rt: Runtime, tenantId: string, userId: string, sessionId: string | undefined, text: string): Promise<void> {
  await inTx(rt, async (u) => {
    u.emit(events.notice(tenantId, userId, 'warning', text, { sessionId, teams: false }));
  }).catch((e: unknown) => rt.log.warn('could not tell the tab', { error: errorMessage(e) }));
}

async function markDone(rt: Runtime, ids: number[], error: string | null, activityId?: string): Promise<void> {
  if (ids.length === 0) return;
  await markTeamsItemsDone(rt.store.db, ids, rt.clock.now(), error, activityId);
}

/** Sends one queued item (or a folded group); answers what the drain loop should do next. */
async function sendOne(
  d: RelayDeps,
  reference: Record<string, unknown>,
  tenantId: string,
  userId: string,
  group: TeamsItem[],
): Promise<'ok' | 'retry' | { retryAfterMs: number }> {
  const { rt, port } = d;
  const row = group[0]!;
  const ids = group.map((r) => r.id);
  const now = rt.clock.now();
  try {
    switch (row.kind) {
      case 'offer': {
        const s = (row.payload as { session: AgentSession }).session;
        const id = await port.send(reference, offerCard(s, now));
        await markDone(rt, ids, null, id);
        return 'ok';
      }
      case 'offerUpdate': {
        const { session, outcome } = row.payload as { session: AgentSession; outcome: OfferOutcome };
        const offerActivityId = await teamsOfferActivityId(rt.store.db, row.taskId ?? '', userId);
        const cardToShow: Card = offerClosedCard(session, outcome, now);
        if (offerActivityId) await port.update(reference, offerActivityId, cardToShow);
        await markDone(rt, ids, null);
        return 'ok';
      }
      case 'relay': {
        const messages = group.map((r) => (r.payload as { message: ChatMessage }).message);
        const data = (await relayTaskData(rt.store.db, tenantId, row.taskId ?? '')) as
          { customer?: { displayName?: string }; serviceId?: string } | undefined;
        const customerName = data?.customer?.displayName ?? 'Customer';
        const open = await connectedTaskIds(rt.store.db, tenantId, userId);
        const services = (rt.tenants.tenant(tenantId)?.services ?? [])
          .filter((s) => s.im.enabled && s.id !== data?.serviceId)
          .map((s) => ({ id: s.id, name: s.name }));
        // Every activity carrying customer text keeps its id on each row folded into it: an erasure finds it by session.
        const id = await port.send(
          reference,
          relayCard({ id: row.taskId ?? '', customerName }, messages, { replyBox: open.length > 1, services }),
        );
        await markDone(rt, ids, null, id);
        return 'ok';
      }
      case 'notice': {
        const id = await port.send(reference, noticeCard(String((row.payload as { text?: unknown }).text ?? '')));
        await markDone(rt, ids, null, id);
        return 'ok';
      }
      case 'sessionEnd': {
        const { customerName, end } = row.payload as { customerName: string; end: SessionEnd };
        const id = await port.send(reference, noticeCard(sessionEndText(end), { id: row.taskId ?? '', customerName }));
        await markDone(rt, ids, null, id);
        return 'ok';
      }
      case DELETE_ACTIVITY:
        return removeCopy(d, reference, userId, row);
      default:
        await markDone(rt, ids, `unknown kind ${row.kind}`);
        return 'ok';
    }
  } catch (e) {
    const { status, retryAfterMs } = statusOf(e);
    if (status === 429 || status === 412) {
      rt.log.warn('Teams asked us to slow down; retrying', { status, userId });
      return { retryAfterMs: retryAfterMs ?? 1000 + Math.floor(Math.random() * 2000) };
    }
    if (status === 502 || status === 504) {
      // The message may have arrived: do not send it again blindly; the tab has it.
      rt.log.warn('Teams send outcome unknown (gateway timeout); not resending', { status, userId });
      await markDone(rt, ids, `outcome unknown (${status})`);
      await tellTab(
        rt,
        tenantId,
        userId,
        row.taskId ?? undefined,
        'Teams did not confirm a message to your chat; it may be missing there. My Sessions has everything.',
      );
      return 'ok';
    }
    if (status >= 500 || status === 0) {
      if (row.attempts < MAX_SEND_ATTEMPTS) {
        await recordTeamsSendFailure(rt.store.db, row.id, row.attempts + 1, errorMessage(e).slice(0, 200));
        return 'retry';
      }
    }
    rt.log.error('Teams send failed', { status, userId, error: errorMessage(e) });
    await markDone(rt, ids, `failed: ${errorMessage(e).slice(0, 300)}`);
    await tellTab(
      rt,
      tenantId,
      userId,
      row.taskId ?? undefined,
      'A message could not be delivered to your Teams chat. Everything is here in My Sessions.',
    );
    return 'ok';
  }
}

/** What replaces a copy Teams does not let the bot delete. */
export function removedCard(): Card {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [{ type: 'TextBlock', text: "Removed at the customer's request", isSubtle: true, wrap: true }],
  };
}

/**
 * Removes one of the bot's activities from the agent's chat (an erasure or retention asked):
 * deleted; where Teams refuses the delete (some chats do not allow it), replaced by a card saying
 * it was removed. Already gone counts as done. A server or network error keeps the row for a
 * later run (a delete is safe to repeat), waiting longer each time; a throttle waits as asked.
 */
async function removeCopy(
  d: RelayDeps,
  reference: Record<string, unknown>,
  userId: string,
  row: TeamsItem,
): Promise<'ok' | { retryAfterMs: number }> {
  const { rt, port } = d;
  const activityId = String((row.payload as { activityId?: unknown }).activityId ?? '');
  if (!activityId) {
    await markDone(rt, [row.id], 'no activity id');
    return 'ok';
  }
  let step: 'delete' | 'replace' = 'delete';
  try {
    try {
      if (!port.delete) throw Object.assign(new Error('this port cannot delete'), { statusCode: 405 });
      await port.delete(reference, activityId);
      await markDone(rt, [row.id], null);
      return 'ok';
    } catch (e) {
      const { status } = statusOf(e);
      if (status === 404) {
        await markDone(rt, [row.id], 'already gone');
        return 'ok';
      }
      if (!refused(status)) throw e;
      step = 'replace';
      await port.update(reference, activityId, removedCard());
      await markDone(rt, [row.id], `replaced: the delete was refused (${status})`);
      return 'ok';
    }
  } catch (e) {
    const { status, retryAfterMs } = statusOf(e);
    if (status === 429 || status === 412) return { retryAfterMs: retryAfterMs ?? 1000 + Math.floor(Math.random() * 2000) };
    if ((status >= 500 || status === 0) && row.attempts < MAX_DELETE_ATTEMPTS) {
      await recordTeamsSendFailure(rt.store.db, row.id, row.attempts + 1, errorMessage(e).slice(0, 200));
      return { retryAfterMs: Math.min(600_000, 5000 * 2 ** row.attempts) };
    }
    // Refused outright (the replacement too), or the connector never came back: say so where an operator looks.
    rt.log.error('Teams copy could not be removed', { step, status, userId, error: errorMessage(e) });
    await markDone(rt, [row.id], `failed to ${step}: ${errorMessage(e).slice(0, 300)}`);
    return 'ok';
  }
}

/** A client error that means "not allowed here" rather than "try later" or "gone". */
const refused = (status: number) => status >= 400 && status < 500 && status !== 404 && status !== 408 && status !== 412 && status !== 429;

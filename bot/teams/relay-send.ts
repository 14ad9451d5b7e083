/**
 * When it goes into an agent's Teams chat: the send side of the Teams relay. The `teamsSend` job
 * drains one agent's queue (relay-queue.ts fills it) in order through proactive sends, inside Teams'
 * budgets. When the budget is short, waiting customer messages of a session are folded into one
 * message rather than dropped or delayed without end (the tab always has everything). Copies an
 * erasure or retention removes are deleted here too, with their own retries.
 */
import type { AgentSession, ChatMessage } from '@stratus/shared/contract/api';
import { events } from '@stratus/shared/contract/events';
import type { Job, JobResult } from '../scheduler/jobs';
import {
  botInstallation,
  connectedTaskIds,
  DELETE_ACTIVITY,
  markTeamsItemsDone,
  pendingTeamsItems,
  recordTeamsSendFailure,
  relayTaskData,
  scheduleOrphanedTeamsSends,
  teamsOfferActivityId,
  type TeamsItem,
} from '../store/teams';
import type { Runtime } from '../runtime/runtime';
import { inTx } from '../runtime/uow';
import { errorMessage } from '../util/log';
import type { SendBudget } from './budget';
import { noticeCard, offerCard, offerClosedCard, relayCard, sessionEndText, type Card, type OfferOutcome, type SessionEnd } from './cards';
import type { TeamsPort } from './port';
import { chatKeyOf } from './relay-queue';

/** A send failing with a server or network error is tried this many times more before the agent is told. */
const MAX_SEND_ATTEMPTS = 3;
/**
 * A deletion (an erasure or retention removing a copy) failing with a server or network error is
 * tried this many times, waiting twice as long each time (5 s up to 10 min: about 2 h in all).
 */
const MAX_DELETE_ATTEMPTS = 16;

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

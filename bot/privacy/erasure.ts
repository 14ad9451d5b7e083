/**
 * Erasure: a tenant admin removes one customer's messages and personal data, found by email or
 * phone among the tenant's conversations, and is told what went.
 *
 * An open chat of that customer is ended first, in its own transaction, as the system: the
 * widget shows the chat as ended (that state change carries nothing personal and is kept), the
 * agent's tab and Teams chat get a notice that names nobody. Then each conversation is erased in
 * one transaction that holds the durable subscribers' cursors (store/privacy.ts says why): its
 * messages, text-bearing events, the customer on its tasks, sessions and the conversation, its
 * pending jobs, and the Teams send queue's copies, whose activities already in agents' chats are
 * queued for deletion (the agent's `teamsSend` job removes them within Teams' budgets, surviving a
 * restart). WhatsApp and SMS customers are not sent a goodbye: it would need the number that is
 * being erased.
 */
import { events } from '@stratus/shared/contract/events';
import { endTask } from '@stratus/shared/task/transitions';
import { z } from 'zod';
import type { AgentPrincipal } from '../agents/agent-auth';
import { requireAdmin } from '../admin/roles';
import { badRequest, rateLimited } from '../errors';
import type { Runtime } from '../runtime/runtime';
import { inTx } from '../runtime/uow';
import { conversationsByEmail, conversationsByPhone, eraseConversation, holdEventCursors } from '../store/privacy';
import { lockConversationAndCurrentTask } from '../store/locks';
import { forgetTeamsItemsOfTasks } from '../store/teams';
import { appendAudit } from '../store/tenants';
import { saveTask } from '../tasks/task-store';
import { closeConversation } from '../workflow/workflow-runner';

/** The request body; exactly one of the two (checked after parsing, with a clearer message). */
export const erasureSchema = z
  .object({
    email: z.string().max(254, 'email: at most 254 characters').optional(),
    phone: z.string().max(40, 'phone: at most 40 characters').optional(),
  })
  .strict();

export type ErasureTarget = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z]{2,}$/;

/** An email as stored conversations are compared with it: trimmed, lower case. */
export function normalizeEmail(raw: string): string | undefined {
  const v = raw.trim().toLowerCase();
  return EMAIL.test(v) ? v : undefined;
}

/**
 * A phone number in E.164 (`+41791234567`): spaces, dots, dashes and brackets are dropped, a
 * leading `00` is read as `+`, and a channel address (`whatsapp:+41…`, `sms:+41…`) gives its number.
 */
export function normalizePhone(raw: string): string | undefined {
  let v = raw.trim().replace(/^(whatsapp|sms|tel):/i, '');
  v = v.replace(/[\s.\-()/]/g, '');
  if (v.startsWith('00')) v = `+${v.slice(2)}`;
  return /^\+[1-9]\d{6,14}$/.test(v) ? v : undefined;
}

/** Reads the body into exactly one normalised identifier, or answers 400. */
export function erasureTarget(body: z.infer<typeof erasureSchema>): ErasureTarget {
  if ((body.email === undefined) === (body.phone === undefined))
    throw badRequest('invalid_request', 'Give exactly one of "email" or "phone".');
  if (body.email !== undefined) {
    const value = normalizeEmail(body.email);
    if (!value) throw badRequest('invalid_request', 'email: not an email address.');
    return { kind: 'email', value };
  }
  const value = normalizePhone(body.phone ?? '');
  if (!value) throw badRequest('invalid_request', 'phone: a phone number in international form, e.g. +41791234567.');
  return { kind: 'phone', value };
}

/** What an erasure removed (counts only). */
export interface ErasureResult {
  removed: {
    conversations: number;
    messages: number;
    tasks: number;
    /** Outbox events deleted or emptied. */
    events: number;
    /** Pending work of those chats (sends, timers, web requests). */
    jobs: number;
    /** Reporting sessions that lost a comment or wrap-up note (their figures stay). */
    reportingSessions: number;
    /** The bot's activities in agents' Teams chats, queued for deletion. */
    teamsCopies: number;
    /** Items the bot had not sent to Teams yet, cancelled. */
    teamsUnsent: number;
  };
  /** Open chats of the customer that were ended first. */
  endedChats: number;
}

/** What the agent of a chat ended by an erasure reads (tab and Teams): it names nobody, so it stays. */
export const ERASURE_NOTICE = 'A chat of yours was ended and removed: the customer asked for their data to be erased.';

/** One erasure at a time per tenant on an instance: each scans the tenant's conversations. */
const running = new Set<string>();

export async function eraseCustomer(rt: Runtime, p: AgentPrincipal, target: ErasureTarget): Promise<ErasureResult> {
  requireAdmin(rt.tenants.tenant(p.tenantId), p.userId);
  if (running.has(p.tenantId)) throw rateLimited(2);
  running.add(p.tenantId);
  try {
    return await erase(rt, p, target);
  } finally {
    running.delete(p.tenantId);
  }
}

async function erase(rt: Runtime, p: AgentPrincipal, target: ErasureTarget): Promise<ErasureResult> {
  const { tenantId } = p;
  const found =
    target.kind === 'email'
      ? await conversationsByEmail(rt.store.db, tenantId, target.value)
      : await conversationsByPhone(rt.store.db, tenantId, target.value);
  const result: ErasureResult = {
    removed: { conversations: 0, messages: 0, tasks: 0, events: 0, jobs: 0, reportingSessions: 0, teamsCopies: 0, teamsUnsent: 0 },
    endedChats: 0,
  };
  for (const c of found) if (c.open && (await endOpenChat(rt, tenantId, c.id))) result.endedChats += 1;
  for (const c of found) {
    await inTx(rt, async (u) => {
      await holdEventCursors(u.tx);
      const r = await eraseConversation(u.tx, tenantId, c.id);
      if (!r) return;
      const teams = await forgetTeamsItemsOfTasks(u.tx, tenantId, r.taskIds, u.now);
      if (teams.copies) u.wake();
      const x = result.removed;
      x.conversations += 1;
      x.messages += r.messages;
      x.tasks += r.tasks;
      x.events += r.events;
      x.jobs += r.jobs;
      x.reportingSessions += r.reportingSessions;
      x.teamsCopies += teams.copies;
      x.teamsUnsent += teams.cancelled;
    });
  }
  await audit(rt, p, target.kind, result);
  return result;
}

/**
 * Ends an open chat as the system before it is erased: its task ends (a connected one as
 * handled, a waiting one as abandoned), the conversation closes, the agent is told why.
 */
async function endOpenChat(rt: Runtime, tenantId: string, conversationId: string): Promise<boolean> {
  return inTx(rt, async (u) => {
    const locked = await lockConversationAndCurrentTask(u.tx, tenantId, conversationId);
    if (!locked?.conv.open) return false;
    const { conv, row } = locked;
    let task = row?.task;
    if (row && task && task.state !== 'ended') {
      const r = endTask(task, task.state === 'connected' ? 'handled' : 'abandoned', 'system', u.now);
      await saveTask(u, r.task, r.events, row.workflow);
      if (task.state === 'connected' && task.userId) u.emit(events.notice(tenantId, task.userId, 'info', ERASURE_NOTICE));
      task = r.task;
    }
    await closeConversation(u, conv, task);
    return true;
  });
}

/** The audit entry: who asked and what went; never the identifier (the audit outlives the erasure). */
async function audit(rt: Runtime, p: AgentPrincipal, by: ErasureTarget['kind'], r: ErasureResult): Promise<void> {
  const x = r.removed;
  await inTx(rt, async (u) => {
    await appendAudit(u.tx, {
      tenantId: p.tenantId,
      at: u.now,
      actor: p.userId,
      actorName: rt.tenants.user(p.tenantId, p.userId)?.displayName ?? p.userId,
      action: 'privacy.erasure',
      target: 'customer',
      revision: null,
      summary:
        `Erased a customer's data (found by ${by}): ${x.conversations} conversation(s), ${x.messages} message(s), ` +
        `${x.tasks} task(s), ${x.teamsCopies} Teams cop(ies) queued for deletion` +
        (r.endedChats ? `; ${r.endedChats} open chat(s) ended first.` : '.'),
      changes: [],
    });
  });
}

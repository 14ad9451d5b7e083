/**
 * Retention: each tenant with `retention.messagesDays` has one `retention` job (ref: the tenant
 * id). A run deletes, older than that many days: messages (any conversation, open or not), the
 * Teams send queue's rows (the activities they put in agents' chats queued for deletion, the same
 * durable way an erasure does) and outbox events every subscriber has read. An ended conversation
 * left with no message loses its customer as an erasure removes it. A run works in small
 * transactions and for at most RUN_MS (well inside the job lease, so no second instance claims it
 * meanwhile), keeps its place in the job's payload and goes on at once; done, it runs again a day
 * later. Every step is a conditional delete, so a repeated or interrupted run does no harm.
 *
 * The schedule follows the configuration: at start and whenever a tenant's setting changes (a new
 * revision, seen within SYNC_MS on every instance), the job is created, rescheduled to run now
 * (the setting changed) or removed (no setting: the tenant gets none).
 */
import { cancelJob, scheduleJob, type Job, type JobResult } from '../scheduler/jobs';
import type { Runtime } from '../runtime/runtime';
import { inTx } from '../runtime/uow';
import {
  conversationsCreatedBefore,
  deleteEventsBefore,
  deleteMessagesBefore,
  emptiedConversations,
  ensureJob,
  eraseConversation,
  holdEventCursors,
  setJobPayload,
} from '../store/privacy';
import { expireTeamsItems, forgetTeamsItemsOfTasks } from '../store/teams';
import { Periodic } from '../util/periodic';

const DAY_MS = 86_400_000;
/** Longest stretch of one run (the job lease is 30 s). */
const RUN_MS = 10_000;
/** Conversations per transaction (their old messages deleted by the conversation index). */
const CONVERSATIONS = 200;
const TEAMS_ROWS = 500;
const EVENT_ROWS = 2000;
/** How often each instance compares the tenants' settings with the jobs it arranged. */
const SYNC_MS = 2000;

type Phase = 'messages' | 'teams' | 'events';
interface Progress {
  cutoff?: number;
  phase?: Phase;
  /** The last conversation id done (messages phase). */
  after?: string;
}

export interface RetentionCounts {
  messages: number;
  conversations: number;
  teamsRows: number;
  teamsCopies: number;
  events: number;
}

/** The `retention` job's handler. */
export function retentionHandler(rt: Runtime): (job: Job) => Promise<JobResult> {
  return async (job) => {
    const days = rt.tenants.tenant(job.tenantId)?.retention?.messagesDays;
    if (!days) return; // the setting is gone: the job ends with nothing done
    const started = rt.clock.now();
    const p = job.payload as Progress;
    const cutoff = typeof p.cutoff === 'number' ? p.cutoff : started - days * DAY_MS;
    const state = { phase: p.phase ?? 'messages', after: p.after ?? '' };
    const counts: RetentionCounts = { messages: 0, conversations: 0, teamsRows: 0, teamsCopies: 0, events: 0 };
    while (rt.clock.now() - started < RUN_MS) {
      const more = await step(rt, job.tenantId, cutoff, state, counts);
      if (!more) {
        if (state.phase === 'messages') state.phase = 'teams';
        else if (state.phase === 'teams') state.phase = 'events';
        else {
          await setJobPayload(rt.store.db, job.id, {});
          report(rt, job.tenantId, days, counts);
          return { retryAt: started + DAY_MS };
        }
      }
    }
    // Out of time: keep the place and go on at once (another instance may take the next turn).
    await setJobPayload(rt.store.db, job.id, { cutoff, phase: state.phase, after: state.after });
    report(rt, job.tenantId, days, counts);
    return { retryAt: rt.clock.now() };
  };
}

/** One transaction of the current phase; false when the phase has nothing left. */
async function step(
  rt: Runtime,
  tenantId: string,
  cutoff: number,
  s: { phase: Phase; after: string },
  c: RetentionCounts,
): Promise<boolean> {
  if (s.phase === 'messages') {
    const ids = await conversationsCreatedBefore(rt.store.db, tenantId, cutoff, s.after, CONVERSATIONS);
    if (ids.length === 0) return false;
    await inTx(rt, async (u) => {
      const deleted = await deleteMessagesBefore(u.tx, tenantId, ids, cutoff);
      const emptied = await emptiedConversations(u.tx, tenantId, ids);
      if (emptied.length) await holdEventCursors(u.tx);
      let copies = 0;
      for (const id of emptied) {
        const r = await eraseConversation(u.tx, tenantId, id);
        if (r) copies += (await forgetTeamsItemsOfTasks(u.tx, tenantId, r.taskIds, u.now)).copies;
      }
      if (copies) u.wake();
      c.messages += deleted;
      c.conversations += emptied.length;
      c.teamsCopies += copies;
    });
    s.after = ids[ids.length - 1]!;
    return ids.length === CONVERSATIONS;
  }
  if (s.phase === 'teams') {
    const r = await inTx(rt, (u) => expireTeamsItems(u.tx, tenantId, cutoff, u.now, TEAMS_ROWS));
    if (r.copies) rt.wakeScheduler();
    c.teamsRows += r.removed;
    c.teamsCopies += r.copies;
    return r.removed === TEAMS_ROWS;
  }
  const n = await inTx(rt, (u) => deleteEventsBefore(u.tx, tenantId, cutoff, EVENT_ROWS));
  c.events += n;
  return n === EVENT_ROWS;
}

function report(rt: Runtime, tenantId: string, days: number, c: RetentionCounts): void {
  if (c.messages + c.conversations + c.teamsRows + c.events === 0) return;
  rt.log.info(`retention (${days} days) removed old data`, { tenant: tenantId, ...c });
}

/** Keeps each tenant's `retention` job in step with its setting (see the top of this file). */
export class RetentionSchedule {
  /** The setting this instance last arranged the job for, per tenant (absent: not looked at yet). */
  private readonly arranged = new Map<string, number | undefined>();
  private readonly periodic: Periodic;

  constructor(private readonly rt: Runtime) {
    this.periodic = new Periodic('retention schedule', rt.log, SYNC_MS, () => this.sync());
  }

  start(): void {
    this.periodic.start();
    void this.sync().catch((e: unknown) => this.rt.log.warn('retention schedule failed; it is tried again', { error: String(e) }));
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** Creates, reschedules or removes jobs where a tenant's setting differs from what was arranged. */
  async sync(): Promise<void> {
    const { rt } = this;
    for (const t of rt.tenants.tenants) {
      const days = t.retention?.messagesDays;
      const known = this.arranged.has(t.id);
      if (known && this.arranged.get(t.id) === days) continue;
      const now = rt.clock.now();
      if (!days) await cancelJob(rt.store.db, 'retention', t.id);
      // First look after a start: keep a scheduled run where it is (a restart keeps the daily rhythm).
      else if (!known) await ensureJob(rt.store.db, { id: rt.ids.next('job'), tenantId: t.id, kind: 'retention', ref: t.id, dueAt: now });
      // The setting changed: run with it now, from the start.
      else await scheduleJob(rt.store.db, { tenantId: t.id, kind: 'retention', ref: t.id, payload: {}, dueAt: now });
      this.arranged.set(t.id, days);
      if (days) rt.wakeScheduler();
    }
  }
}

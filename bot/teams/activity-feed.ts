/**
 * An activity-feed notification (Graph `sendActivityNotification`) for each new offer to an agent,
 * where the tenant asks for it (`teams.activityFeed`). Whether the agent is looking at the bot chat
 * cannot be known; what is known is an open My Sessions stream on this instance, and then the
 * notification is skipped (the tab shows the offer already).
 *
 * A durable subscriber of `session` events schedules one `activityFeed` job per offer in the
 * transaction that moves its cursor, so a crash loses none; the job calls Graph outside any
 * transaction, so a slow or failing Graph never holds up offers. A 429 or 5xx (or no answer) is
 * tried a few times more, then logged and dropped; an offer older than two minutes is not announced.
 */
import type { EventOf, Stored } from '@stratus/shared/contract/events';
import type { DurableSubscriber } from '../events/subscribers';
import type { Runtime } from '../runtime/runtime';
import { scheduleJob, type Job, type JobResult } from '../scheduler/jobs';
import { errorMessage } from '../util/log';

/** Declared in appPackage/manifest.json `activities.activityTypes`, with the template `{customer} is waiting ({service})`. */
export const CHAT_OFFERED = 'chatOffered';
/** Runs of a job before a failure is given up (the first run included). */
const MAX_ATTEMPTS = 4;
/** An offer lasts about a minute: a notification later than this announces nothing the agent can take. */
const MAX_AGE_MS = 120_000;
/** The My Sessions tab's entityId in the manifest. */
const MY_SESSIONS_ENTITY = 'mysessions';

/** The notification's body, as Graph takes it (GraphApi.sendActivityNotification). */
export interface OfferNotification {
  topic: { source: 'text'; value: string; webUrl: string };
  activityType: string;
  previewText: { content: string };
  templateParameters: { name: string; value: string }[];
}

/** Where notifications go (GraphApi; the stand-in behind it in tests). */
export interface ActivityFeedGraph {
  sendActivityNotification(entraTenantId: string, userObjectId: string, notification: OfferNotification): Promise<void>;
}

type SessionEvent = Stored<EventOf<'session'>>;

const isNewOffer = (e: SessionEvent) => e.payload.session.state === 'offered' && !e.payload.session.offerClosed;
const feedOn = (rt: Runtime, tenantId: string) => rt.tenants.tenant(tenantId)?.teams?.activityFeed === true;

/**
 * The subscriber: a job per new offer to an agent with an Entra object id in a tenant with the
 * option on, unless `watching` says the agent's My Sessions stream is open on this instance.
 */
export function activityFeedSubscriber(rt: Runtime, watching: (tenantId: string, userId: string) => boolean): DurableSubscriber<'session'> {
  return {
    kind: 'durable',
    name: 'teams-activity-feed',
    types: ['session'],
    wants: (e) => isNewOffer(e) && feedOn(rt, e.tenantId),
    handle: async (u, list) => {
      for (const e of list) {
        if (!isNewOffer(e) || !feedOn(rt, e.tenantId)) continue;
        if (!rt.tenants.user(e.tenantId, e.userId)?.entraObjectId || watching(e.tenantId, e.userId)) continue;
        const s = e.payload.session;
        await scheduleJob(u.tx, {
          tenantId: e.tenantId,
          kind: 'activityFeed',
          ref: `${e.tenantId}/${e.userId}/${s.id}`,
          payload: { userId: e.userId, sessionId: s.id, customer: s.customer.displayName, service: s.serviceName, offeredAt: e.createdAt },
          dueAt: u.now,
        });
        u.wake();
      }
    },
  };
}

/** Text a customer typed, made safe for a notification: one line, no control characters, bounded. */
function plain(text: string, max: number): string {
  const s = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A deep link to the My Sessions tab, opening the session (`subEntityId`). */
export function mySessionsDeepLink(manifestId: string, sessionId: string): string {
  const context = encodeURIComponent(JSON.stringify({ subEntityId: sessionId }));
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(manifestId)}/${MY_SESSIONS_ENTITY}?context=${context}`;
}

/** The notification for an offer: "<customer> is waiting (<service>)", opening My Sessions. */
export function offerNotification(manifestId: string, o: { sessionId: string; customer: string; service: string }): OfferNotification {
  const customer = plain(o.customer, 60) || 'A customer';
  const service = plain(o.service, 60);
  return {
    topic: { source: 'text', value: service ? `${customer} (${service})` : customer, webUrl: mySessionsDeepLink(manifestId, o.sessionId) },
    activityType: CHAT_OFFERED,
    previewText: { content: `${customer} is waiting (${service})`.slice(0, 150) },
    templateParameters: [
      { name: 'customer', value: customer },
      { name: 'service', value: service },
    ],
  };
}

/** The `activityFeed` job: sends one offer's notification; retries 429, 5xx and silence a few times. */
export function activityFeedHandler(rt: Runtime, graph: ActivityFeedGraph, manifestId: string): (job: Job) => Promise<JobResult> {
  return async (job) => {
    const p = job.payload as { userId?: unknown; sessionId?: unknown; customer?: unknown; service?: unknown; offeredAt?: unknown };
    const tenant = rt.tenants.tenant(job.tenantId);
    const user = rt.tenants.user(job.tenantId, String(p.userId));
    // The option may have been turned off, or the user removed, since the offer.
    if (!tenant?.entraTenantId || tenant.teams?.activityFeed !== true || !user?.entraObjectId) return;
    const now = rt.clock.now();
    if (typeof p.offeredAt === 'number' && now - p.offeredAt > MAX_AGE_MS) {
      rt.log.info('activity notification dropped: the offer is too old', { tenant: job.tenantId, user: user.id });
      return;
    }
    const notification = offerNotification(manifestId, {
      sessionId: String(p.sessionId),
      customer: String(p.customer ?? ''),
      service: String(p.service ?? ''),
    });
    try {
      await graph.sendActivityNotification(tenant.entraTenantId, user.entraObjectId, notification);
    } catch (e) {
      const { status, retryAfterSec } = e as { status?: unknown; retryAfterSec?: unknown };
      const transient = status === undefined || status === 429 || (typeof status === 'number' && status >= 500);
      if (transient && job.attempts < MAX_ATTEMPTS) {
        const wait = typeof retryAfterSec === 'number' ? retryAfterSec * 1000 : 1000 * 2 ** job.attempts;
        return { retryAt: now + Math.min(wait, MAX_AGE_MS) };
      }
      rt.log.warn('activity notification not sent', { tenant: job.tenantId, user: user.id, error: errorMessage(e) });
    }
  };
}

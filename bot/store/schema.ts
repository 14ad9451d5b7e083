/**
 * The database schema (PostgreSQL dialect, runs on PGlite and PostgreSQL 15).
 * Every table carries tenant_id and every query filters on it. Migrations are generated from
 * this file by drizzle-kit (`npm run db:generate -w @stratus/bot`) into store/migrations/.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

const ms = (name: string) => bigint(name, { mode: 'number' });

/** Tenants and their live configuration (written by the file import and the admin API; tenant_revisions keeps every one). */
export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  /** The live revision's configuration, secrets sealed (tenants/secrets.ts). */
  config: jsonb('config').notNull(),
  /** Hash of the tenant as last imported from the file: an unchanged file is not imported again. */
  configHash: text('config_hash').notNull(),
  /** When the live revision was written. */
  importedAt: ms('imported_at').notNull(),
  /** The live revision's number (tenant_revisions). */
  revision: integer('revision').notNull().default(1),
});

/** Every configuration a tenant has had, secrets sealed: running workflows keep theirs, the audit names them. */
export const tenantRevisions = pgTable(
  'tenant_revisions',
  {
    tenantId: text('tenant_id').notNull(),
    revision: integer('revision').notNull(),
    config: jsonb('config').notNull(),
    /** `import` (STRATUS_CONFIG or the demo tenant) or `api`. */
    source: text('source').notNull(),
    /** A user id, `file` or `system`. */
    actor: text('actor').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.revision] })],
);

/** Who changed what and when, with the difference (secrets masked): read by tenant admins. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: text('tenant_id').notNull(),
    at: ms('at').notNull(),
    actor: text('actor').notNull(),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    target: text('target').notNull(),
    revision: integer('revision'),
    summary: text('summary').notNull(),
    changes: jsonb('changes').notNull(),
  },
  (t) => [index('audit_log_tenant_idx').on(t.tenantId, t.id)],
);

/** Server-wide settings, e.g. the dev-mode token secret. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** Run-time state of an agent: presence, duty, RONA, idle time (config holds licenses and membership). */
export const agents = pgTable(
  'agents',
  {
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    presence: text('presence').notNull(),
    /** When the presence last changed (Be Right Back counts as Away for a grace period). */
    presenceSince: ms('presence_since'),
    /** When Teams last reported a change of this agent's presence (the tenant's last poll is in settings). */
    presenceCheckedAt: ms('presence_checked_at'),
    inBlockingCall: boolean('in_blocking_call').notNull().default(false),
    onDuty: boolean('on_duty').notNull(),
    ronaUntil: ms('rona_until'),
    lastIdleAt: ms('last_idle_at').notNull(),
    lastOfferedAt: ms('last_offered_at'),
    /** After-chat work: no offers until then (or until the agent files the wrap-up). */
    wrapUpUntil: ms('wrap_up_until'),
    /** The agent's own settings (canned responses, offer notifications), shaped by shared/contract/api.ts AgentPrefs. */
    prefs: jsonb('prefs').notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] })],
);

/** The per-service Active flag of each member, changeable by the agent. */
export const agentServices = pgTable(
  'agent_services',
  {
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    serviceId: text('service_id').notNull(),
    active: boolean('active').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId, t.serviceId] })],
);

/** Per-service distribution policy state (round-robin cursor, ...). */
export const serviceState = pgTable(
  'service_state',
  {
    tenantId: text('tenant_id').notNull(),
    serviceId: text('service_id').notNull(),
    policyState: jsonb('policy_state').notNull(),
    /** Times (ms) of the service's recent accepts, newest last: the accept rate gives the estimated wait. */
    waitHistory: jsonb('wait_history')
      .notNull()
      .default(sql`'[]'::jsonb`),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.serviceId] })],
);

/** A customer conversation (an Interact chat, or a WhatsApp/SMS thread). */
export const conversations = pgTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    channel: text('channel').notNull(),
    /** Interact code or WhatsApp sender the customer reached. */
    entry: text('entry').notNull(),
    /** Customer address on the channel (WhatsApp `whatsapp:+4179...`), for continuing a thread. */
    address: text('address'),
    customer: jsonb('customer').notNull(),
    tokenHash: text('token_hash'),
    open: boolean('open').notNull().default(true),
    lastSeq: integer('last_seq').notNull().default(0),
    currentTaskId: text('current_task_id'),
    directUserId: text('direct_user_id'),
    createdAt: ms('created_at').notNull(),
    lastCustomerAt: ms('last_customer_at'),
    /** When an agent last wrote (the customer's inactivity is counted from it). */
    lastAgentAt: ms('last_agent_at'),
    /** The customer's language (`en`, `de`, `fr`): the widget's, for the server's own messages. */
    language: text('language'),
    /** The highest seq the customer has seen (the widget reports it): the agent's messages up to it are read. */
    customerReadSeq: integer('customer_read_seq').notNull().default(0),
    endedAt: ms('ended_at'),
  },
  (t) => [index('conversations_tenant_address').on(t.tenantId, t.channel, t.address, t.open)],
);

/** Messages of a conversation, gap-free `seq` per conversation. */
export const messages = pgTable(
  'messages',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    seq: integer('seq').notNull(),
    from: text('from').notNull(),
    text: text('text').notNull(),
    author: text('author'),
    authorUserId: text('author_user_id'),
    clientMessageId: text('client_message_id'),
    externalId: text('external_id'),
    deliveryState: text('delivery_state'),
    deliveryError: text('delivery_error'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('messages_conversation_seq').on(t.conversationId, t.seq),
    uniqueIndex('messages_client_id').on(t.conversationId, t.from, t.clientMessageId),
    uniqueIndex('messages_external_id').on(t.tenantId, t.externalId),
  ],
);

/** IM tasks (one per conversation per service); `data` is the domain Task, `workflow` its snapshot. */
export const tasks = pgTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    serviceId: text('service_id').notNull(),
    state: text('state').notNull(),
    userId: text('user_id'),
    data: jsonb('data').notNull(),
    workflow: jsonb('workflow'),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [
    index('tasks_tenant_service_state').on(t.tenantId, t.serviceId, t.state),
    index('tasks_tenant_user_state').on(t.tenantId, t.userId, t.state),
    index('tasks_conversation').on(t.conversationId),
  ],
);

/** Open offers, one row per offered user (mirrors Task.offers for load counting and lookups). */
export const taskOffers = pgTable(
  'task_offers',
  {
    tenantId: text('tenant_id').notNull(),
    taskId: text('task_id').notNull(),
    userId: text('user_id').notNull(),
    expiresAt: ms('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.userId] }), index('task_offers_user').on(t.tenantId, t.userId)],
);

/** Reporting sessions, one per task, folded from task events by the domain reducer. */
export const reportingSessions = pgTable(
  'reporting_sessions',
  {
    taskId: text('task_id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    serviceId: text('service_id').notNull(),
    channel: text('channel').notNull(),
    outcome: text('outcome'),
    createdAt: ms('created_at').notNull(),
    /**
     * The figures KPIs add up (GET /api/reporting/kpis), copied from `data` so a month of them is
     * read without parsing JSON: who accepted, when it queued and was accepted, its waits, its rating.
     */
    userId: text('user_id'),
    queuedAt: ms('queued_at'),
    acceptedAt: ms('accepted_at'),
    queueMs: ms('queue_ms'),
    handlingMs: ms('handling_ms'),
    csatRating: integer('csat_rating'),
    data: jsonb('data').notNull(),
  },
  (t) => [
    index('reporting_tenant_created').on(t.tenantId, t.createdAt),
    // Sessions still open: KPIs read them from here, the ended ones from reporting_daily.
    index('reporting_open')
      .on(t.tenantId, t.createdAt)
      .where(sql`outcome is null`),
  ],
);

/**
 * KPI sums of ended reporting sessions per UTC day of creation, service, channel and accepting
 * agent (`''`: nobody accepted), kept in the transaction that writes the session (a session adds
 * its figures when it ends, its rating when rated): a month of KPIs reads a few thousand of these
 * instead of every session. `within` and `abandoned_within` count against the service's
 * service-level threshold as it was when the session ended.
 */
export const reportingDaily = pgTable(
  'reporting_daily',
  {
    tenantId: text('tenant_id').notNull(),
    /** Days since 1970-01-01 (UTC) of the sessions' creation. */
    day: integer('day').notNull(),
    serviceId: text('service_id').notNull(),
    channel: text('channel').notNull(),
    userId: text('user_id').notNull(),
    sessions: integer('sessions').notNull().default(0),
    offered: integer('offered').notNull().default(0),
    accepted: integer('accepted').notNull().default(0),
    handled: integer('handled').notNull().default(0),
    abandoned: integer('abandoned').notNull().default(0),
    missed: integer('missed').notNull().default(0),
    declined: integer('declined').notNull().default(0),
    transferred: integer('transferred').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    timedOut: integer('timed_out').notNull().default(0),
    inactive: integer('inactive').notNull().default(0),
    closedHours: integer('closed_hours').notNull().default(0),
    nobodyAvailable: integer('nobody_available').notNull().default(0),
    within: integer('within').notNull().default(0),
    abandonedWithin: integer('abandoned_within').notNull().default(0),
    waitCount: integer('wait_count').notNull().default(0),
    waitSum: ms('wait_sum').notNull().default(0),
    waitMax: ms('wait_max'),
    handleCount: integer('handle_count').notNull().default(0),
    handleSum: ms('handle_sum').notNull().default(0),
    csatCount: integer('csat_count').notNull().default(0),
    csatSum: integer('csat_sum').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.serviceId, t.channel, t.userId] })],
);

/**
 * The outbox: events written in the same transaction as the state they describe, then fanned out
 * in id order. Appends take a transaction-scoped advisory lock so ids commit in order, which lets
 * every reader resume with "id > cursor" without skipping a late commit.
 */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: text('tenant_id').notNull(),
    conversationId: text('conversation_id'),
    userId: text('user_id'),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('events_user').on(t.tenantId, t.userId, t.id), index('events_conversation').on(t.conversationId, t.id)],
);

/**
 * Where each durable event subscriber (events/subscribers.ts) has read the outbox to. Its row is
 * locked by the run that holds it, so one instance handles the events at a time, exactly once.
 */
export const eventCursors = pgTable('event_cursors', {
  name: text('name').primaryKey(),
  position: bigint('position', { mode: 'number' }).notNull(),
});

/**
 * Scheduled work: offer timeouts, workflow waits, queue timeouts, RONA resets, outbound sends.
 * Claimed with FOR UPDATE SKIP LOCKED so each due job runs once across instances, and kept until
 * its handler succeeds, so a crash only delays it.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    kind: text('kind').notNull(),
    ref: text('ref').notNull(),
    payload: jsonb('payload').notNull(),
    dueAt: ms('due_at').notNull(),
    lockedUntil: ms('locked_until'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('jobs_due').on(t.dueAt), uniqueIndex('jobs_kind_ref').on(t.kind, t.ref)],
);

/** Teams conversation references of installed agents (bot). */
export const botInstallations = pgTable(
  'bot_installations',
  {
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    reference: jsonb('reference').notNull(),
    currentTaskId: text('current_task_id'),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] })],
);

/** Inbound activity ids already handled (Teams resends when the bot is slow). */
export const inboundSeen = pgTable('inbound_seen', {
  key: text('key').primaryKey(),
  at: ms('at').notNull(),
});

/**
 * What the bot still has to send into an agent's Teams chat, in order (offer cards, card
 * updates, relayed customer messages, notices). Written in the same transaction as the change
 * it reports; a per-agent `teamsSend` job drains it inside Teams' send budgets.
 */
export const teamsQueue = pgTable(
  'teams_queue',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    kind: text('kind').notNull(),
    taskId: text('task_id'),
    payload: jsonb('payload').notNull(),
    createdAt: ms('created_at').notNull(),
    /** Set once handled: sent, folded into another message, or given up. */
    doneAt: ms('done_at'),
    /** The Teams activity id (offer cards, so they can be updated in place). */
    activityId: text('activity_id'),
    error: text('error'),
    /** Sends that failed with a retryable error (5xx, network), kept as a number rather than parsed back out of `error`. */
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [index('teams_queue_user').on(t.tenantId, t.userId, t.doneAt, t.id), index('teams_queue_task').on(t.taskId, t.userId, t.kind)],
);

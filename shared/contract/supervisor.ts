/**
 * The supervisor's contract (issue 15): live operations of the services a user supervises (tenant
 * admins: every service) and the KPIs of reporting. Tenant admins see every service; a service's
 * supervisors and owners see theirs; anyone else gets 403.
 *
 * Routes (all need the agent's bearer token, all answer `Cache-Control: no-store`):
 * - `GET  /api/supervisor/services` → `SupervisorServices` (403 when the caller supervises nothing)
 * - `GET  /api/supervisor/queue?service=` → `{ tasks: SupervisorQueueTask[] }`
 * - `GET  /api/supervisor/agents?service=` → `{ agents: SupervisorAgent[] }`
 * - `GET  /api/supervisor/sessions?service=` → `{ sessions: SupervisedSession[] }` (connected ones)
 * - `GET  /api/supervisor/sessions/{id}/messages?after=` → `{ messages: ChatMessage[] }` (open or ended)
 * - `POST /api/supervisor/sessions/{id}/takeover` → `SupervisorActionResult`
 * - `POST /api/supervisor/sessions/{id}/reassign` `{ userId }` → `SupervisorActionResult`
 * - `POST /api/supervisor/sessions/{id}/end` → `SupervisorActionResult`
 * - `POST /api/supervisor/tasks/{id}/move` `{ serviceId }` → `SupervisorActionResult` (queued tasks)
 * - `POST /api/supervisor/tasks/{id}/priority` `{ priority }` → `SupervisorActionResult` (queued tasks)
 * - `GET  /api/supervisor/events?service=&monitor={sessionId}` → server-sent events, `SupervisorFrame`s
 *   (`event:` is the frame's type; resumable with Last-Event-ID: snapshots are sent again whole, a
 *   monitored session's messages from the id on)
 * - `GET  /api/reporting/kpis?from=&to=&groupBy=&service=&channel=` → `{ rows: KpiRow[] }`
 *   (`format=csv` → the same rows as CSV)
 */
import type { ChatMessage } from './api';
import type { ChannelKind, Presence, Priority } from '../tenant/model';

/** The services the caller watches, and whether they are a tenant admin (every service). */
export interface SupervisorServices {
  admin: boolean;
  services: { id: string; name: string; serviceLevelSec: number; imEnabled: boolean }[];
}

export interface SupervisorQueueTask {
  id: string;
  state: 'workflow' | 'queued' | 'offered';
  serviceId: string;
  channel: ChannelKind;
  /** Seconds since the task entered the queue (or since it was created, while still in its workflow). */
  waitingSec: number;
  /** 1-based place in its service's queue (queued and offered tasks). */
  position?: number;
  customer: { displayName: string };
  firstMessage?: string;
  priority: Priority;
  /** The agents it is offered to now (state `offered`). */
  offeredTo?: string[];
}

/** What an agent is doing now, for the agents board. */
export type SupervisorAgentState = 'offDuty' | 'available' | 'busy' | 'full' | 'rona' | 'wrapUp' | 'unavailable';

export interface SupervisorAgent {
  userId: string;
  displayName: string;
  /** The watched services the agent is a member of, with their Active switch there. */
  services: { id: string; active: boolean }[];
  onDuty: boolean;
  presence: Presence;
  inBlockingCall?: boolean;
  ronaUntil?: string;
  wrapUpUntil?: string;
  /** Connected IM sessions now, and the most they take at once. */
  sessions: number;
  capacity: number;
  /** Open offers now. */
  offers: number;
  state: SupervisorAgentState;
  /** Since when the agent is in `state`, as far as Stratus knows (ISO). */
  stateSince?: string;
}

export interface SupervisedSession {
  id: string;
  state: 'connected';
  serviceId: string;
  channel: ChannelKind;
  userId: string;
  agentName: string;
  customer: { displayName: string };
  startedAt: string;
  acceptedAt?: string;
  lastSeq: number;
}

export interface SupervisorActionResult {
  /** The task the action acted on, and the task the chat continues in (takeover, reassign, move). */
  taskId: string;
  newTaskId?: string;
}

/** Frames of `GET /api/supervisor/events`. */
export type SupervisorFrame =
  | { type: 'queue'; tasks: SupervisorQueueTask[] }
  | { type: 'agents'; agents: SupervisorAgent[] }
  | { type: 'sessions'; sessions: SupervisedSession[] }
  /** A message of the monitored session's conversation (both sides, system messages too). */
  | { type: 'message'; sessionId: string; message: ChatMessage }
  /** The monitored session changed hands or ended. */
  | { type: 'monitor'; sessionId: string; state: 'connected' | 'ended'; userId?: string; outcome?: string };

export type KpiGroupBy = 'service' | 'channel' | 'agent' | 'day' | 'hour';
export const KPI_GROUP_BYS: readonly KpiGroupBy[] = ['service', 'channel', 'agent', 'day', 'hour'];

/**
 * One row of KPIs (definitions in the README, "Reporting figures"). Counts are reporting sessions
 * created in the range; averages are null where nothing was counted.
 */
export interface KpiRow {
  /** Service id, channel, agent user id (`""` for sessions no agent accepted), day `YYYY-MM-DD` or hour `YYYY-MM-DDTHH` (UTC). */
  key: string;
  offered: number;
  accepted: number;
  handled: number;
  abandoned: number;
  missed: number;
  declined: number;
  transferred: number;
  failed: number;
  timedOut: number;
  inactive: number;
  closedHours: number;
  nobodyAvailable: number;
  serviceLevelPct: number | null;
  avgWaitSec: number | null;
  avgHandleSec: number | null;
  maxWaitSec: number | null;
  /** Customer satisfaction: ratings given and their average (1 to 5). */
  csatCount: number;
  csatAvg: number | null;
}

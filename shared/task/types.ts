/**
 * The IM task: one per conversation per service. Its state machine lives in transitions.ts;
 * this file holds only the data shapes, which the server stores as JSON.
 * Times are milliseconds since epoch from the injected clock.
 */
import type { ChannelKind, DistributionType, Priority } from '../tenant/model';

export type TaskStateKind = 'workflow' | 'queued' | 'offered' | 'connected' | 'ended';
export const TASK_STATES: readonly TaskStateKind[] = ['workflow', 'queued', 'offered', 'connected', 'ended'];

/** Reporting outcomes of a task's session. */
export type Outcome =
  'handled' | 'missed' | 'declined' | 'abandoned' | 'transferred' | 'failed' | 'timedOut' | 'inactive' | 'closedHours' | 'nobodyAvailable';
/**
 * `inactive`: the customer went silent and the service's inactivity rule closed the chat.
 * `closedHours`: the workflow ended the chat after its opening-hours check found the service closed
 * (or on a holiday), before it was ever queued. `nobodyAvailable`: the workflow ended it after finding
 * nobody available (an availability check, or a Queue activity's no-agent exit), before any agent took it.
 */
export const OUTCOMES: readonly Outcome[] = [
  'handled',
  'missed',
  'declined',
  'abandoned',
  'transferred',
  'failed',
  'timedOut',
  'inactive',
  'closedHours',
  'nobodyAvailable',
];

/** What a supervisor did to a connected chat. */
export type SupervisorAction = 'takeover' | 'reassign' | 'end';

/** Who ended a task. */
export type EndedBy = 'customer' | 'agent' | 'workflow' | 'system' | 'supervisor';

export interface Customer {
  displayName: string;
  email?: string;
  /** E.164 phone for WhatsApp / SMS customers. */
  phone?: string;
}

export interface Offer {
  userId: string;
  offeredAt: number;
  expiresAt: number;
}

export interface Task {
  id: string;
  tenantId: string;
  /** The customer conversation (chat) this task belongs to; a transfer makes a new task in the same conversation. */
  conversationId: string;
  serviceId: string;
  channel: ChannelKind;
  /** Set when the customer reached a user directly (Interact user code): only that user is offered it. */
  directUserId?: string;
  customer: Customer;
  priority: Priority;
  state: TaskStateKind;
  createdAt: number;
  /** First time the task entered the queue; kept when an offer is declined or missed so the task keeps its place. */
  queuedAt?: number;
  /** Time after which the queue timeout exit is taken (queuedAt + max queue time). */
  queueDeadline?: number;
  /** Open offers (state `offered`): one for Direct, several for Broadcast. */
  offers: Offer[];
  /** Users who declined or missed this task: skipped while another eligible user exists. */
  skippedUserIds: string[];
  /** The agent who accepted (state `connected`, and kept after `ended`). */
  userId?: string;
  acceptedAt?: number;
  endedAt?: number;
  outcome?: Outcome;
  /** Number of offers made over the task's life. */
  offerCount: number;
  /** Number of offers declined over the task's life (for the derived outcome). */
  declineCount?: number;
  /** Set when the task left the queue through its maximum queue time. */
  queueTimedOut?: boolean;
  /** Distribution overrides set by the workflow's Queue activity (else the service's settings). */
  distribution?: { type: DistributionType; offerTimeoutSec: number };
  /** A supervisor took this task's chat over, gave it to another agent, or ended it (ended tasks). */
  supervisor?: { userId: string; action: SupervisorAction };
  /**
   * Last message seq of the conversation within this task's span, set when the conversation moved
   * on to another task (a transfer): its agents read no further. Absent: the span is still open.
   */
  endSeq?: number;
}

/** Everything a task transition can emit. The reporting reducer folds these into a session. */
export type TaskEvent =
  | {
      type: 'created';
      taskId: string;
      at: number;
      serviceId: string;
      channel: ChannelKind;
      directUserId?: string;
      conversationId: string;
      transferredFrom?: string;
    }
  | { type: 'queued'; taskId: string; at: number; priority: Priority; requeue: boolean }
  | { type: 'priorityChanged'; taskId: string; at: number; priority: Priority }
  | { type: 'offered'; taskId: string; at: number; userIds: string[]; expiresAt: number }
  | { type: 'offerDeclined'; taskId: string; at: number; userId: string }
  | { type: 'offerMissed'; taskId: string; at: number; userId: string }
  | { type: 'offerWithdrawn'; taskId: string; at: number; userId: string; reason: 'acceptedByOther' | 'taskEnded' | 'cancelled' }
  | { type: 'accepted'; taskId: string; at: number; userId: string }
  | {
      type: 'returnedToWorkflow';
      taskId: string;
      at: number;
      reason: 'queueTimeout' | 'nobodyEligible' | 'cancelled' | 'conversationEnded';
    }
  | { type: 'ended'; taskId: string; at: number; outcome: Outcome; by: EndedBy; transferredTo?: string };

export type TaskEventType = TaskEvent['type'];

/** A transition's result: the next task and the events it emits. */
export interface Transition {
  task: Task;
  events: TaskEvent[];
}

/**
 * The workflow engine's contract with its host (the server). The engine is pure: the host feeds it
 * events and a context, stores the snapshot it returns and carries out the effects it lists.
 */
import type { DistributionType, InteractLanguage, Priority, ServiceConfig, TenantConfig } from '../tenant/model';
import type { Outcome, TaskStateKind } from '../task/types';

/** What the host knows about the task's world when it runs a step. */
export interface EngineContext {
  now: number;
  tenant: TenantConfig;
  service: ServiceConfig;
  /** Members of the service: could take a task now / on duty but busy or at capacity / on duty at all. */
  availability: { available: number; busy: number; onDuty: number };
  /** Ids of the users counted as available. */
  availableUsers: string[];
  /** 1-based queue position while the task waits in the queue. */
  queuePosition?: number;
  taskState: TaskStateKind;
  /** The customer's language when known (the widget's): a Message sends its text in it. */
  language?: InteractLanguage;
}

/** Events the host feeds into a waiting workflow. */
export type WorkflowEvent =
  | { type: 'customerMessage'; text: string }
  /** The customer left (closed the chat); the task has already been ended as abandoned by the host. */
  | { type: 'customerLeft' }
  /** A timer scheduled with a `schedule` effect fired. */
  | { type: 'timer'; at: number }
  /** The task was accepted by an agent (the workflow stops running activities until the queue exits). */
  | { type: 'taskConnected' }
  /** The task left the queue: the connected session ended, the queue timed out, or nobody could take it. */
  | { type: 'queueExit'; exit: QueueExit }
  /** The answer of a `webRequest` effect. `ok` false on network error or timeout. */
  | { type: 'webResponse'; requestId: string; ok: boolean; status?: number; body?: string };

export type QueueExit = 'connectedEnded' | 'timeout' | 'nobodyEligible' | 'customerLeft';

/** What the host must do after a step, in order. */
export type WorkflowEffect =
  | { type: 'sendMessage'; text: string }
  /** The Accept activity: the service takes the conversation (the customer sees it was received). */
  | { type: 'accept' }
  | { type: 'enterQueue'; priority?: Priority; maxQueueTimeSec?: number; distributionType?: DistributionType; offerTimeoutSec?: number }
  | { type: 'setPriority'; priority: Priority }
  /** Take the task out of the queue (Cancel Task). */
  | { type: 'cancelQueue' }
  /** Transfer to another service: the session ends `transferred`, a new task starts there. */
  | { type: 'transfer'; serviceId: string }
  /** Wake the workflow with a `timer` event at `at`. */
  | { type: 'schedule'; at: number }
  | {
      type: 'webRequest';
      requestId: string;
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      url: string;
      headers: Record<string, string>;
      body?: string;
      timeoutMs: number;
    }
  /** Informational: a parameter was set (the host may show collected parameters to the agent). */
  | { type: 'setParameter'; name: string; value: string }
  /**
   * End the task; `disconnect` also closes the conversation. Without an outcome the host derives it
   * from the task's history (handled when an agent took it, else timed out / declined / missed).
   */
  | { type: 'end'; outcome?: Outcome; disconnect: boolean };

/** What a waiting workflow waits for. */
export type WorkflowWait =
  | { kind: 'customerMessage'; timerAt?: number }
  | { kind: 'timer'; at: number }
  /** Blocking Queue activity: waits for `queueExit`. */
  | { kind: 'queue' }
  /** The task is connected to an agent: nothing runs until the queue exits. */
  | { kind: 'connected' }
  | { kind: 'webResponse'; requestId: string; timerAt: number };

/** Serializable state of one task's workflow run. Stored as JSON by the host. */
/** Outcomes of a chat the workflow ended without ever queueing it successfully. */
export type Unserved = Extract<Outcome, 'closedHours' | 'nobodyAvailable'>;

export interface WorkflowSnapshot {
  v: 1;
  workflowId: string;
  status: 'running' | 'waiting' | 'ended';
  /** Node the workflow stands at (the waiting node while `waiting`). */
  node: string;
  wait?: WorkflowWait;
  /** Parameters: system ones (`Customer.DisplayName`, ...) and collected ones. */
  params: Record<string, string>;
  /** Per-node counters (retries of Collect Information / Input Customer). */
  attempts?: Record<string, number>;
  /** Set while a non-blocking Queue Task has the task in the queue: exits to take when the queue finishes. */
  queueTask?: { node: string };
  /** Outcome when the workflow ended with one. */
  outcome?: Outcome;
  /**
   * Why the chat could not be served, as the workflow last found (engine.ts, `noteUnserved`): the
   * service was closed, or nobody was available. Entering a queue clears it; a workflow that then
   * disconnects without an outcome of its own reports this one instead of `missed`.
   */
  unserved?: Unserved;
  /** Steps executed so far (guards against endless loops). */
  steps: number;
  /**
   * The tenant configuration revision whose definition this run follows (set by the server):
   * a task keeps the definition it started with when the workflow is edited.
   */
  revision?: number;
}

export interface StepResult {
  snapshot: WorkflowSnapshot;
  effects: WorkflowEffect[];
}

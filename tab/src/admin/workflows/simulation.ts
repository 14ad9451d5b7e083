/**
 * The Test run: drives the shared engine (`startWorkflow` / `resumeWorkflow`) against a definition
 * in the browser, playing the host's part the way bot/workflow/workflow-runner.ts does (messages go
 * to a transcript, `enterQueue` queues the simulated task and, with nobody on duty, exits it
 * through `nobodyEligible` at once). Pure: time comes in with the setup and moves only when a timer
 * is fired; nothing is sent anywhere.
 */
import type { QueueExit, WorkflowEffect, WorkflowEvent, WorkflowSnapshot } from '../../../../shared/workflow/types';
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';
import { MAX_STEPS_PER_CALL, resumeWorkflow, startWorkflow, wantsEvent } from '../../../../shared/workflow/engine';
import type { EngineContext, StepResult } from '../../../../shared/workflow/types';
import { activity } from '../../../../shared/workflow/activities/registry';
import type { Outcome, TaskStateKind } from '../../../../shared/task/types';
import {
  DEFAULT_DISTRIBUTION,
  type DistributionType,
  type OpeningHours,
  type Priority,
  type ServiceConfig,
} from '../../../../shared/tenant/model';

/** How the simulated service's calendar answers: forced, or the service's own at the simulated time. */
export type HoursMode = 'open' | 'closed' | 'holiday' | 'calendar';

/** What the simulated world looks like. Changes apply from the next step on. */
export interface SimSetup {
  /** Simulated time at the start, ms since epoch. */
  now: number;
  hours: HoursMode;
  /** Agents who could take the chat now. */
  available: number;
  /** Agents on duty but busy (or at capacity). */
  busy: number;
  /** 1-based place in the queue while queued. */
  queuePosition: number;
  customerName: string;
  /** The service the chat came to; absent: a stand-in service. */
  service?: ServiceConfig;
  /** The tenant's services (Transfer looks its target up there). */
  services: readonly ServiceConfig[];
}

export type TranscriptLine = { from: 'workflow' | 'customer' | 'note'; text: string };

export interface QueueInfo {
  priority: Priority;
  distributionType: DistributionType;
  maxQueueTimeSec: number;
  offerTimeoutSec: number;
}

export interface Simulation {
  now: number;
  snapshot: WorkflowSnapshot;
  /** The simulated task's state, as the host would hold it. */
  task: TaskStateKind;
  queue?: QueueInfo;
  transcript: TranscriptLine[];
  transferredTo?: string;
  /** Why the run failed, when it did. */
  failure?: string;
}

/** What the tester can make happen next. */
export type SimAction =
  | { type: 'customerMessage'; text: string }
  | { type: 'fireTimer' }
  | { type: 'agentAccepts' }
  | { type: 'queueExit'; exit: QueueExit }
  | { type: 'customerLeaves' }
  | { type: 'webAnswer'; ok: boolean };

export const STAND_IN_SERVICE_ID = 'test-run-service';

const ALWAYS_OPEN: OpeningHours = {
  timeZone: 'UTC',
  weekly: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, from: '00:00', to: '24:00' })),
  exceptions: [],
};

function hoursFor(mode: HoursMode, service: ServiceConfig, now: number): OpeningHours {
  switch (mode) {
    case 'calendar':
      return service.openingHours;
    case 'open':
      return ALWAYS_OPEN;
    case 'closed':
      return { timeZone: 'UTC', weekly: [], exceptions: [] };
    case 'holiday':
      return {
        timeZone: 'UTC',
        weekly: ALWAYS_OPEN.weekly,
        exceptions: [{ date: new Date(now).toISOString().slice(0, 10), name: 'Simulated holiday', kind: 'holiday' }],
      };
  }
}

/** The service the run is for, with the calendar the setup asks for. */
export function simulatedService(setup: SimSetup, workflowId: string, now: number): ServiceConfig {
  const base: ServiceConfig = setup.service ?? {
    id: STAND_IN_SERVICE_ID,
    name: 'Test service',
    licenses: ['contactCenter'],
    members: [],
    im: { enabled: true, workflowId, distribution: DEFAULT_DISTRIBUTION },
    openingHours: ALWAYS_OPEN,
  };
  return { ...base, openingHours: hoursFor(setup.hours, base, now) };
}

function context(def: WorkflowDefinition, setup: SimSetup, sim: Pick<Simulation, 'now' | 'task'>): EngineContext {
  const service = simulatedService(setup, def.id, sim.now);
  const available = Math.max(0, Math.floor(setup.available));
  const busy = Math.max(0, Math.floor(setup.busy));
  const queued = sim.task === 'queued' || sim.task === 'offered';
  return {
    now: sim.now,
    tenant: {
      id: 'test-run',
      name: 'Test run',
      users: [],
      services: [service, ...setup.services.filter((s) => s.id !== service.id)],
      workflows: [def],
    },
    service,
    availability: { available, busy, onDuty: available + busy },
    availableUsers: Array.from({ length: available }, (_, i) => `agent-${i + 1}`),
    ...(queued ? { queuePosition: Math.max(1, Math.floor(setup.queuePosition)) } : {}),
    taskState: sim.task,
  };
}

/** The system parameters the server sets for a new chat (bot/workflow/workflow-runner.ts). */
function systemParams(setup: SimSetup, service: ServiceConfig): Record<string, string> {
  return {
    'Customer.DisplayName': setup.customerName,
    'Customer.Email': '',
    'Customer.Phone': '',
    Channel: 'interact',
    'Service.Name': service.name,
    'Service.Id': service.id,
  };
}

/** Why a run that ended `failed` failed, read off the node it stopped at. */
function failureReason(def: WorkflowDefinition, snap: WorkflowSnapshot, stepsThisCall: number): string {
  const node = def.nodes[snap.node];
  if (!node) return `node "${snap.node}" does not exist`;
  const act = activity(node.activity);
  if (!act) return `node "${snap.node}" has an unknown activity "${node.activity}"`;
  if (!act.imSupported) return `node "${snap.node}": activity "${node.activity}" is not supported for Instant Messaging`;
  if (stepsThisCall >= MAX_STEPS_PER_CALL)
    return `more than ${MAX_STEPS_PER_CALL} steps without waiting: a loop without a Delay or question`;
  return `the workflow ended with the outcome "failed" at node "${snap.node}"`;
}

const note = (text: string): TranscriptLine => ({ from: 'note', text });

/** Applies one engine step's effects as the host would; returns the follow-up event the host would feed, if any. */
function apply(def: WorkflowDefinition, setup: SimSetup, sim: Simulation, r: StepResult, stepsBefore: number): WorkflowEvent | undefined {
  let followUp: WorkflowEvent | undefined;
  const service = simulatedService(setup, def.id, sim.now);
  for (const fx of r.effects) followUp = applyEffect(sim, fx, setup, service) ?? followUp;
  sim.snapshot = r.snapshot;
  if (r.snapshot.status === 'ended') {
    sim.task = 'ended';
    delete sim.queue;
    if (r.snapshot.outcome === 'failed' && sim.failure === undefined)
      sim.failure = failureReason(def, r.snapshot, r.snapshot.steps - stepsBefore);
  }
  return followUp;
}

function applyEffect(sim: Simulation, fx: WorkflowEffect, setup: SimSetup, service: ServiceConfig): WorkflowEvent | undefined {
  switch (fx.type) {
    case 'sendMessage':
      sim.transcript.push({ from: 'workflow', text: fx.text });
      return undefined;
    case 'accept':
      sim.transcript.push(note('The service accepted the chat.'));
      return undefined;
    case 'enterQueue': {
      if (sim.task !== 'workflow') return undefined;
      const dist = service.im.distribution;
      sim.task = 'queued';
      sim.queue = {
        priority: fx.priority ?? dist.defaultPriority,
        distributionType: fx.distributionType ?? dist.type,
        maxQueueTimeSec: fx.maxQueueTimeSec ?? dist.maxQueueTimeSec,
        offerTimeoutSec: fx.offerTimeoutSec ?? dist.offerTimeoutSec,
      };
      sim.transcript.push(note(`Queued for ${service.name} at priority ${sim.queue.priority}.`));
      if (setup.available + setup.busy <= 0) {
        // As the server does: with nobody on duty the chat leaves the queue at once.
        sim.task = 'workflow';
        delete sim.queue;
        sim.transcript.push(note('Nobody is on duty: the chat leaves the queue (nobodyEligible).'));
        return { type: 'queueExit', exit: 'nobodyEligible' };
      }
      return undefined;
    }
    case 'setPriority':
      if (sim.queue) sim.queue = { ...sim.queue, priority: fx.priority };
      sim.transcript.push(note(`Priority set to ${fx.priority}.`));
      return undefined;
    case 'cancelQueue':
      if (sim.task === 'queued' || sim.task === 'offered') {
        sim.task = 'workflow';
        delete sim.queue;
        sim.transcript.push(note('The chat was taken out of the queue.'));
      }
      return undefined;
    case 'transfer': {
      const target = setup.services.find((s) => s.id === fx.serviceId);
      sim.transferredTo = target?.name ?? fx.serviceId;
      sim.transcript.push(note(`Transferred to ${sim.transferredTo}.`));
      return undefined;
    }
    case 'schedule':
      return undefined;
    case 'webRequest':
      sim.transcript.push(note(`Web request ${fx.method} ${fx.url} (not sent: answer it below).`));
      return undefined;
    case 'setParameter':
      sim.transcript.push(note(`${fx.name} = ${fx.value}`));
      return undefined;
    case 'end':
      sim.transcript.push(note(fx.disconnect ? 'The workflow closed the chat.' : 'The workflow ended.'));
      return undefined;
  }
}

/** Runs a step and the follow-ups the host would feed (bounded, as the server's runner is). */
function settle(def: WorkflowDefinition, setup: SimSetup, sim: Simulation, first: StepResult, stepsBefore: number): Simulation {
  let follow = apply(def, setup, sim, first, stepsBefore);
  for (let round = 0; follow && round < 10; round++) {
    const before = sim.snapshot.steps;
    follow = apply(def, setup, sim, resumeWorkflow(def, sim.snapshot, follow, context(def, setup, sim)), before);
  }
  return sim;
}

/** Starts a test run: a new chat from the simulated customer. */
export function startSimulation(def: WorkflowDefinition, setup: SimSetup): Simulation {
  const now = setup.now;
  const sim: Simulation = {
    now,
    task: 'workflow',
    transcript: [],
    snapshot: { v: 1, workflowId: def.id, status: 'running', node: def.start, params: {}, steps: 0 },
  };
  const service = simulatedService(setup, def.id, now);
  return settle(def, setup, sim, startWorkflow(def, { params: systemParams(setup, service) }, context(def, setup, sim)), 0);
}

/** The timer the run waits for, if any. */
export function pendingTimer(sim: Simulation): number | undefined {
  const w = sim.snapshot.wait;
  if (sim.snapshot.status === 'ended' || !w) return undefined;
  return w.kind === 'timer' ? w.at : w.kind === 'customerMessage' || w.kind === 'webResponse' ? w.timerAt : undefined;
}

function eventFor(sim: Simulation, action: SimAction): WorkflowEvent | undefined {
  switch (action.type) {
    case 'customerMessage':
      return { type: 'customerMessage', text: action.text };
    case 'fireTimer': {
      const at = pendingTimer(sim);
      return at === undefined ? undefined : { type: 'timer', at };
    }
    case 'agentAccepts':
      return { type: 'taskConnected' };
    case 'queueExit':
      return { type: 'queueExit', exit: action.exit };
    case 'customerLeaves':
      return { type: 'customerLeft' };
    case 'webAnswer': {
      const w = sim.snapshot.wait;
      if (w?.kind !== 'webResponse') return undefined;
      return action.ok
        ? { type: 'webResponse', requestId: w.requestId, ok: true, status: 200, body: '{}' }
        : { type: 'webResponse', requestId: w.requestId, ok: false };
    }
  }
}

/** The task's state once the host has done what the action means (before the workflow runs). */
function taskAfter(sim: Simulation, action: SimAction): TaskStateKind {
  switch (action.type) {
    case 'agentAccepts':
      return sim.task === 'queued' || sim.task === 'offered' ? 'connected' : sim.task;
    case 'queueExit':
      return action.exit === 'connectedEnded' ? 'ended' : 'workflow';
    case 'customerLeaves':
      return 'ended';
    default:
      return sim.task;
  }
}

/** Plays one action of the tester against the run; returns the next run (the old one is untouched). */
export function simulate(def: WorkflowDefinition, prev: Simulation, action: SimAction, setup: SimSetup): Simulation {
  const sim: Simulation = { ...prev, transcript: [...prev.transcript], ...(prev.queue ? { queue: { ...prev.queue } } : {}) };
  if (action.type === 'customerMessage') sim.transcript.push({ from: 'customer', text: action.text });
  if (sim.snapshot.status === 'ended') {
    sim.transcript.push(note('The workflow has ended.'));
    return sim;
  }
  const event = eventFor(sim, action);
  if (!event || !wantsEvent(sim.snapshot, event)) {
    sim.transcript.push(note(action.type === 'customerMessage' ? 'The workflow is not waiting for a message.' : 'Nothing happens.'));
    return sim;
  }
  if (event.type === 'timer') sim.now = event.at;
  const taskState = taskAfter(sim, action);
  if (taskState !== sim.task) {
    sim.task = taskState;
    if (taskState !== 'queued' && taskState !== 'offered') delete sim.queue;
  }
  if (action.type === 'agentAccepts') sim.transcript.push(note('An agent accepted the chat.'));
  if (action.type === 'queueExit') sim.transcript.push(note(`The queue exits: ${action.exit}.`));
  if (action.type === 'customerLeaves') sim.transcript.push(note('The customer left.'));
  const before = sim.snapshot.steps;
  return settle(def, setup, sim, resumeWorkflow(def, sim.snapshot, event, context(def, setup, sim)), before);
}

/** Which actions make sense now (the panel shows only these buttons). */
export function availableActions(sim: Simulation): SimAction['type'][] {
  if (sim.snapshot.status === 'ended') return [];
  const out: SimAction['type'][] = [];
  const w = sim.snapshot.wait;
  if (w?.kind === 'customerMessage') out.push('customerMessage');
  if (pendingTimer(sim) !== undefined) out.push('fireTimer');
  if (w?.kind === 'webResponse') out.push('webAnswer');
  const queued = sim.task === 'queued' || sim.task === 'offered';
  if (queued) out.push('agentAccepts');
  if (queued || sim.task === 'connected' || sim.snapshot.queueTask !== undefined || w?.kind === 'queue' || w?.kind === 'connected')
    out.push('queueExit');
  out.push('customerLeaves');
  return out;
}

export type SimStatus =
  | { kind: 'running'; text: string }
  | { kind: 'queued'; text: string }
  | { kind: 'connected'; text: string }
  | { kind: 'ended'; text: string; outcome?: Outcome }
  | { kind: 'failed'; text: string };

/** Where the run stands, in a sentence: queued to which queue at which priority, ended, or failed and why. */
export function simulationStatus(def: WorkflowDefinition, sim: Simulation, setup: SimSetup): SimStatus {
  const snap = sim.snapshot;
  if (snap.status === 'ended') {
    if (sim.failure !== undefined || snap.outcome === 'failed')
      return { kind: 'failed', text: `Failed: ${sim.failure ?? 'unknown reason'}.` };
    if (sim.transferredTo !== undefined)
      return { kind: 'ended', text: `Ended: transferred to ${sim.transferredTo}.`, outcome: 'transferred' };
    const node = def.nodes[snap.node];
    const dangling = node && !activity(node.activity)?.terminal;
    const how = snap.outcome ? `with the outcome "${snap.outcome}"` : 'without an outcome (the server derives it from the chat)';
    const where = dangling ? ` at "${snap.node}": the exit it took is not connected` : '';
    return { kind: 'ended', text: `Ended ${how}${where}.`, ...(snap.outcome ? { outcome: snap.outcome } : {}) };
  }
  if ((sim.task === 'queued' || sim.task === 'offered') && sim.queue) {
    const service = simulatedService(setup, def.id, sim.now);
    const q = sim.queue;
    return {
      kind: 'queued',
      text: `Queued for ${service.name} at priority ${q.priority} (${q.distributionType}, at most ${q.maxQueueTimeSec} s in the queue).`,
    };
  }
  if (sim.task === 'connected') return { kind: 'connected', text: 'Connected to an agent: the workflow waits until the session ends.' };
  const w = snap.wait;
  const at = `at "${snap.node}"`;
  if (w?.kind === 'customerMessage') return { kind: 'running', text: `Waiting for the customer's reply ${at}.` };
  if (w?.kind === 'timer') return { kind: 'running', text: `Waiting ${Math.round((w.at - sim.now) / 1000)} s ${at}.` };
  if (w?.kind === 'webResponse') return { kind: 'running', text: `Waiting for the web request's answer ${at}.` };
  return { kind: 'running', text: `Running ${at}.` };
}

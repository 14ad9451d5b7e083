/**
 * The IM workflow engine. Pure: `startWorkflow` and `resumeWorkflow` take the definition, the
 * snapshot and what happened, run activities until one waits or the workflow ends, and return the
 * new snapshot and the effects the host must carry out. The snapshot is plain JSON, so a server
 * restarted in the middle of a wait resumes exactly there.
 */
import type { Outcome } from '../task/types';
import type { WorkflowDefinition } from './definition';
import { activity } from './activities/registry';
import type { ActivityResult } from './activities/activity';
import type { EngineContext, StepResult, Unserved, WorkflowEffect, WorkflowEvent, WorkflowSnapshot } from './types';

export type * from './types';

/** Steps one call may run before the workflow is declared stuck (a loop without a wait). */
export const MAX_STEPS_PER_CALL = 1000;

function clone(s: WorkflowSnapshot): WorkflowSnapshot {
  const c: WorkflowSnapshot = { ...s, params: { ...s.params } };
  if (s.attempts) c.attempts = { ...s.attempts };
  if (s.wait) c.wait = { ...s.wait };
  if (s.queueTask) c.queueTask = { ...s.queueTask };
  return c;
}

function fail(snap: WorkflowSnapshot, effects: WorkflowEffect[]): StepResult {
  snap.status = 'ended';
  snap.outcome = 'failed';
  delete snap.wait;
  effects.push({ type: 'end', outcome: 'failed', disconnect: true });
  return { snapshot: snap, effects };
}

function end(snap: WorkflowSnapshot, effects: WorkflowEffect[], outcome?: Outcome): StepResult {
  snap.status = 'ended';
  if (outcome) snap.outcome = outcome;
  delete snap.wait;
  return { snapshot: snap, effects };
}

/**
 * What an activity's exit says about serving the chat (`null`: it can be served after all).
 * Exits not listed change nothing: a message or a parameter check between "closed" and the
 * Disconnect keeps the reason.
 */
const UNSERVED_EXITS: Readonly<Record<string, Readonly<Record<string, Unserved | null>>>> = {
  checkOpeningHours: { open: null, closed: 'closedHours', holiday: 'closedHours' },
  availabilityRouting: { available: null, allBusy: 'nobodyAvailable', nobodyOnDuty: 'nobodyAvailable' },
  queue: { nobodyEligible: 'nobodyAvailable' },
};

/** Keeps `snap.unserved` up to date after an activity ran: its exit, its queue entry, or (Get Available Users) the count it read. */
function noteUnserved(snap: WorkflowSnapshot, kind: string, r: ActivityResult, ctx: EngineContext): void {
  let v: Unserved | null | undefined;
  if (r.effects?.some((e) => e.type === 'enterQueue')) v = null;
  if (r.kind === 'continue') v = UNSERVED_EXITS[kind]?.[r.exit] ?? v;
  if (kind === 'getAvailableUsers') v = ctx.availability.available > 0 ? null : 'nobodyAvailable';
  if (v === null) delete snap.unserved;
  else if (v) snap.unserved = v;
}

/** Runs from `snap.node`, first feeding `event` to it when given. */
function run(def: WorkflowDefinition, snap: WorkflowSnapshot, ctx: EngineContext, event?: WorkflowEvent): StepResult {
  const effects: WorkflowEffect[] = [];
  let pending = event;
  for (let i = 0; i < MAX_STEPS_PER_CALL; i++) {
    const node = def.nodes[snap.node];
    const act = node && activity(node.activity);
    // A node or activity that does not exist (the workflow was edited) or cannot serve IM fails the session.
    if (!node || !act || !act.imSupported) return fail(snap, effects);
    snap.steps += 1;
    const r: ActivityResult = act.run({ nodeId: snap.node, node, p: node.params ?? {}, snap, ctx, ...(pending ? { event: pending } : {}) });
    pending = undefined;
    noteUnserved(snap, node.activity, r, ctx);
    if (r.effects) for (const e of r.effects) effects.push(e);
    if (r.kind === 'wait') {
      snap.status = 'waiting';
      snap.wait = r.wait;
      return { snapshot: snap, effects };
    }
    if (r.kind === 'end') return end(snap, effects, r.outcome);
    const target = node.exits?.[r.exit];
    // An exit that leads nowhere ends the workflow (validation reports required exits that are missing).
    if (target === undefined) return end(snap, effects);
    snap.node = target;
    snap.status = 'running';
    delete snap.wait;
  }
  return fail(snap, effects);
}

/** Starts a workflow at its start node with the system parameters. */
export function startWorkflow(def: WorkflowDefinition, init: { params: Record<string, string> }, ctx: EngineContext): StepResult {
  const snap: WorkflowSnapshot = { v: 1, workflowId: def.id, status: 'running', node: def.start, params: { ...init.params }, steps: 0 };
  return run(def, snap, ctx);
}

/** Jumps to the exit of the Queue Task node that put the task in the queue. */
function leaveQueueTask(def: WorkflowDefinition, snap: WorkflowSnapshot, exit: string, ctx: EngineContext): StepResult {
  const qt = snap.queueTask;
  delete snap.queueTask;
  if (exit === 'nobodyEligible') snap.unserved = 'nobodyAvailable';
  delete snap.wait;
  const target = qt ? def.nodes[qt.node]?.exits?.[exit] : undefined;
  if (target === undefined) return end(snap, []);
  snap.node = target;
  return run(def, snap, ctx);
}

/**
 * Whether `event` can change the workflow at all, so a host can skip building a context (and
 * loading what it needs) for events the workflow would ignore: a customer message while an agent
 * has the chat, a timer that is no longer awaited.
 */
export function wantsEvent(snapshot: WorkflowSnapshot, event: WorkflowEvent): boolean {
  if (snapshot.status === 'ended') return false;
  const wait = snapshot.wait;
  switch (event.type) {
    case 'customerMessage':
      return wait?.kind === 'customerMessage';
    case 'timer':
      return (
        (wait?.kind === 'timer' && wait.at === event.at) ||
        ((wait?.kind === 'customerMessage' || wait?.kind === 'webResponse') && wait.timerAt === event.at)
      );
    case 'webResponse':
      return wait?.kind === 'webResponse' && wait.requestId === event.requestId;
    case 'taskConnected':
      return wait?.kind === 'queue' || snapshot.queueTask !== undefined;
    case 'queueExit':
      return snapshot.queueTask !== undefined || wait?.kind === 'queue' || wait?.kind === 'connected';
    case 'customerLeft':
      return true;
  }
}

/** Feeds one event to a waiting workflow. Events it does not wait for change nothing. */
export function resumeWorkflow(def: WorkflowDefinition, snapshot: WorkflowSnapshot, event: WorkflowEvent, ctx: EngineContext): StepResult {
  const snap = clone(snapshot);
  const idle: StepResult = { snapshot: snap, effects: [] };
  if (snap.status === 'ended') return idle;
  const wait = snap.wait;
  switch (event.type) {
    case 'taskConnected':
      if (wait?.kind === 'queue') return run(def, snap, ctx, event);
      if (snap.queueTask) {
        // The agent has the conversation: whatever the workflow was doing (a position loop) stops.
        snap.status = 'waiting';
        snap.wait = { kind: 'connected' };
      }
      return idle;
    case 'queueExit':
      if (snap.queueTask) return leaveQueueTask(def, snap, event.exit, ctx);
      if (wait?.kind === 'queue' || wait?.kind === 'connected') return run(def, snap, ctx, event);
      return idle;
    case 'customerLeft':
      if (snap.queueTask) return leaveQueueTask(def, snap, 'customerLeft', ctx);
      if (wait?.kind === 'queue' || wait?.kind === 'connected') {
        const queueNode = def.nodes[snap.node];
        if (queueNode?.exits?.customerLeft !== undefined) return run(def, snap, ctx, { type: 'queueExit', exit: 'customerLeft' });
      }
      return end(snap, []);
    case 'customerMessage':
      return wait?.kind === 'customerMessage' ? run(def, snap, ctx, event) : idle;
    case 'timer': {
      const due =
        wait?.kind === 'timer' ? wait.at : wait?.kind === 'customerMessage' || wait?.kind === 'webResponse' ? wait.timerAt : undefined;
      return due !== undefined && due === event.at ? run(def, snap, ctx, event) : idle;
    }
    case 'webResponse':
      return wait?.kind === 'webResponse' && wait.requestId === event.requestId ? run(def, snap, ctx, event) : idle;
  }
}

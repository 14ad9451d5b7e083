/**
 * One workflow activity: its exits, how it checks its parameters, and what it does when the
 * engine reaches its node (or wakes it with an event while it waits). Each activity is one file in
 * this folder and one line in registry.ts.
 */
import type { WorkflowNode } from '../definition';
import type { Outcome } from '../../task/types';
import type { EngineContext, WorkflowEffect, WorkflowEvent, WorkflowSnapshot, WorkflowWait } from '../types';

export interface RunInput {
  nodeId: string;
  node: WorkflowNode;
  /** The node's parameters (`node.params`, never undefined). */
  p: Record<string, unknown>;
  /** The run's working snapshot: activities may set `params` and `attempts`. */
  snap: WorkflowSnapshot;
  ctx: EngineContext;
  /** The event that woke a waiting node; undefined on first entry. */
  event?: WorkflowEvent;
}

export type ActivityResult =
  | { kind: 'continue'; exit: string; effects?: WorkflowEffect[] }
  | { kind: 'wait'; wait: WorkflowWait; effects?: WorkflowEffect[] }
  | { kind: 'end'; outcome?: Outcome; effects?: WorkflowEffect[] };

export interface Activity {
  readonly kind: string;
  /** False for activities that only make sense for voice: a workflow with one cannot serve IM. */
  readonly imSupported: boolean;
  /** Exits the node may map (for activities with configurable exits, from its parameters). */
  exits(p: Record<string, unknown>): readonly string[];
  /** Exits that must be mapped (validation reports the missing ones). */
  requiredExits(p: Record<string, unknown>): readonly string[];
  /** Ends the conversation (a path reaching it has an end). */
  readonly terminal?: boolean;
  /** Enters the queue (validation allows one per path). */
  readonly queues?: boolean;
  /** Problems with the parameters, as sentences. */
  validate(p: Record<string, unknown>): string[];
  run(input: RunInput): ActivityResult;
}

export const next = (effects?: WorkflowEffect[]): ActivityResult => ({ kind: 'continue', exit: 'next', ...(effects ? { effects } : {}) });

/** An activity with fixed exits, all required. */
export function fixed(exits: readonly string[], optional: readonly string[] = []): Pick<Activity, 'exits' | 'requiredExits'> {
  const all = [...exits, ...optional];
  return { exits: () => all, requiredExits: () => exits };
}

export function str(p: Record<string, unknown>, key: string): string | undefined {
  const v = p[key];
  return typeof v === 'string' ? v : undefined;
}

export function num(p: Record<string, unknown>, key: string): number | undefined {
  const v = p[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Problems for a required string parameter. */
export function needString(p: Record<string, unknown>, key: string): string[] {
  return typeof p[key] === 'string' && (p[key] as string).length > 0 ? [] : [`parameter "${key}" is required`];
}

/** Problems for an optional number parameter within bounds. */
export function optNumber(p: Record<string, unknown>, key: string, min: number, max: number): string[] {
  const v = p[key];
  if (v === undefined) return [];
  return typeof v === 'number' && v >= min && v <= max ? [] : [`parameter "${key}" must be a number from ${min} to ${max}`];
}

/** Attempts made at a node so far (retries of questions). */
export function bumpAttempts(snap: WorkflowSnapshot, nodeId: string): number {
  const attempts = { ...(snap.attempts ?? {}) };
  attempts[nodeId] = (attempts[nodeId] ?? 0) + 1;
  snap.attempts = attempts;
  return attempts[nodeId] as number;
}

export function resetAttempts(snap: WorkflowSnapshot, nodeId: string): void {
  if (!snap.attempts || snap.attempts[nodeId] === undefined) return;
  const attempts = { ...snap.attempts };
  delete attempts[nodeId];
  snap.attempts = attempts;
}

export function setParam(snap: WorkflowSnapshot, name: string, value: string): WorkflowEffect {
  snap.params = { ...snap.params, [name]: value };
  return { type: 'setParameter', name, value };
}

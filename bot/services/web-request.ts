/**
 * The Web Request activity's I/O: the engine asks for a call (a `webRequest` effect), the runner
 * schedules a job, and this handler makes the HTTP call outside any transaction, then feeds the
 * answer back to the workflow. A crash between the two repeats the call (at least once), so a
 * workflow author should call idempotent endpoints, as with any webhook.
 */
import type { WorkflowEffect } from '@stratus/shared/workflow/engine';
import type { Job, JobResult } from '../scheduler/jobs';
import { errorMessage } from '../util/log';
import { lockConversation, lockTask } from './repo';
import type { Runtime } from './runtime';
import { inTx } from './uow';
import { resumeTaskWorkflow } from './workflow-runner';

type WebRequestEffect = Extract<WorkflowEffect, { type: 'webRequest' }>;

/** Largest answer body kept for the workflow (the rest is cut off). */
const MAX_BODY = 256 * 1024;

/** A port so tests can answer without the network. */
export type HttpCall = (req: WebRequestEffect) => Promise<{ ok: boolean; status?: number; body?: string }>;

export const fetchCall: HttpCall = async (req) => {
  if (!/^https?:\/\//i.test(req.url)) return { ok: false };
  try {
    const res = await fetch(req.url, {
      method: req.method, headers: req.headers, signal: AbortSignal.timeout(req.timeoutMs), redirect: 'follow',
      ...(req.body !== undefined && req.method !== 'GET' ? { body: req.body } : {}),
    });
    const text = await res.text();
    return { ok: res.ok, status: res.status, body: text.slice(0, MAX_BODY) };
  } catch {
    return { ok: false };
  }
};

export function webRequestHandler(rt: Runtime, call: HttpCall = fetchCall): (job: Job) => Promise<JobResult> {
  return async (job) => {
    const { taskId, request } = job.payload as { taskId: string; request: WebRequestEffect };
    const answer = await call(request).catch((e: unknown) => {
      rt.log.warn('web request failed', { taskId, error: errorMessage(e) });
      return { ok: false } as const;
    });
    await inTx(rt, async (u) => {
      const row = await lockTask(u.tx, job.tenantId, taskId);
      if (!row?.workflow) return;
      const conv = await lockConversation(u.tx, job.tenantId, row.task.conversationId);
      if (!conv) return;
      await resumeTaskWorkflow(u, conv, row.task, row.workflow, { type: 'webResponse', requestId: request.requestId, ...answer });
    });
  };
}

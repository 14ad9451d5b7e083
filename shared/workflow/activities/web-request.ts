/**
 * Web Request: a templated HTTP call made by the host (the engine only asks for it), with a
 * timeout; values are picked from the JSON answer into parameters (`pick: {"Order.State": "order.state"}`).
 * Exits success (2xx, and JSON when something is picked) / failure (anything else, or timeout).
 */
import type { WorkflowEffect } from '../types';
import { render } from '../template';
import { fixed, needString, num, optNumber, setParam, str, type Activity } from './activity';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];

function pickPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[Number(part)] : (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export const webRequestActivity: Activity = {
  kind: 'webRequest',
  imSupported: true,
  ...fixed(['success', 'failure']),
  validate(p) {
    const out = [...needString(p, 'url'), ...optNumber(p, 'timeoutSec', 1, 60)];
    if (p.method !== undefined && !METHODS.includes(p.method as Method))
      out.push(`parameter "method" must be one of ${METHODS.join(', ')}`);
    const url = str(p, 'url');
    if (url && !/^https?:\/\//i.test(url)) out.push('parameter "url" must start with http:// or https://');
    if (p.pick !== undefined && (typeof p.pick !== 'object' || p.pick === null))
      out.push('parameter "pick" must map parameter names to JSON paths');
    return out;
  },
  run({ nodeId, p, snap, ctx, event }) {
    if (!event) {
      const timeoutMs = (num(p, 'timeoutSec') ?? 10) * 1000;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries((p.headers as Record<string, unknown> | undefined) ?? {}))
        if (typeof v === 'string') headers[k] = render(v, snap.params, ctx);
      const body = str(p, 'body');
      const requestId = `${nodeId}:${snap.steps}`;
      const timerAt = ctx.now + timeoutMs + 5000;
      const effects: WorkflowEffect[] = [
        {
          type: 'webRequest',
          requestId,
          method: (str(p, 'method') as Method | undefined) ?? 'GET',
          url: render(str(p, 'url') ?? '', snap.params, ctx, 'url'),
          headers,
          timeoutMs,
          ...(body !== undefined ? { body: render(body, snap.params, ctx, 'json') } : {}),
        },
        // A guard in case the host never answers (it always should).
        { type: 'schedule', at: timerAt },
      ];
      return { kind: 'wait', wait: { kind: 'webResponse', requestId, timerAt }, effects };
    }
    if (event.type !== 'webResponse' || !event.ok) return { kind: 'continue', exit: 'failure' };
    // A host that reports `ok` with a non-2xx status still gets a failure.
    if (event.status !== undefined && (event.status < 200 || event.status > 299)) return { kind: 'continue', exit: 'failure' };
    const pick = (p.pick as Record<string, unknown> | undefined) ?? {};
    if (Object.keys(pick).length === 0) return { kind: 'continue', exit: 'success' };
    let json: unknown;
    try {
      json = JSON.parse(event.body ?? '');
    } catch {
      return { kind: 'continue', exit: 'failure' };
    }
    const effects: WorkflowEffect[] = [];
    for (const [param, path] of Object.entries(pick)) {
      if (typeof path !== 'string') continue;
      const v = pickPath(json, path);
      if (v === undefined || v === null) continue;
      effects.push(setParam(snap, param, typeof v === 'object' ? JSON.stringify(v) : String(v)));
    }
    return { kind: 'continue', exit: 'success', effects };
  },
};

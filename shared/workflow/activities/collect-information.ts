/**
 * Collect Information: asks, checks the answer (email, phone, number, pattern or anything),
 * asks again up to `retries` times, stores it in a parameter. Exits ok / failed (also on timeout).
 */
import type { WorkflowEffect } from '../types';
import { render } from '../template';
import {
  bumpAttempts,
  fixed,
  needString,
  num,
  optNumber,
  resetAttempts,
  setParam,
  str,
  type Activity,
  type ActivityResult,
} from './activity';

const CHECKS: Record<string, (v: string) => boolean> = {
  any: (v) => v.trim().length > 0,
  email: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()),
  phone: (v) => /^\+?[0-9][0-9 ()./-]{5,19}$/.test(v.trim()) && v.replace(/\D/g, '').length >= 6,
  number: (v) => v.trim() !== '' && Number.isFinite(Number(v.trim().replace(',', '.'))),
};

function valid(kind: string, pattern: string | undefined, v: string): boolean {
  if (kind === 'pattern') {
    try {
      return new RegExp(pattern ?? '').test(v.trim());
    } catch {
      return false;
    }
  }
  return (CHECKS[kind] ?? CHECKS.any!)(v);
}

export const collectInformationActivity: Activity = {
  kind: 'collectInformation',
  imSupported: true,
  ...fixed(['ok', 'failed']),
  validate(p) {
    const out = [
      ...needString(p, 'prompt'),
      ...needString(p, 'parameter'),
      ...optNumber(p, 'retries', 0, 10),
      ...optNumber(p, 'timeoutSec', 5, 86400),
    ];
    const v = p.validation ?? 'any';
    if (typeof v !== 'string' || !['any', 'email', 'phone', 'number', 'pattern'].includes(v))
      out.push('parameter "validation" must be any, email, phone, number or pattern');
    if (v === 'pattern') {
      try {
        new RegExp(str(p, 'pattern') ?? '');
        if (!str(p, 'pattern')) out.push('parameter "pattern" is required for validation "pattern"');
      } catch {
        out.push('parameter "pattern" is not a valid regular expression');
      }
    }
    return out;
  },
  run({ nodeId, p, snap, ctx, event }): ActivityResult {
    const timeoutSec = num(p, 'timeoutSec');
    const waitFor = (effects: WorkflowEffect[]): ActivityResult => {
      const timerAt = timeoutSec !== undefined ? ctx.now + timeoutSec * 1000 : undefined;
      if (timerAt !== undefined) effects.push({ type: 'schedule', at: timerAt });
      return { kind: 'wait', wait: { kind: 'customerMessage', ...(timerAt !== undefined ? { timerAt } : {}) }, effects };
    };
    if (!event) return waitFor([{ type: 'sendMessage', text: render(str(p, 'prompt') ?? '', snap.params, ctx) }]);
    if (event.type === 'timer') {
      resetAttempts(snap, nodeId);
      return { kind: 'continue', exit: 'failed' };
    }
    if (event.type !== 'customerMessage') return { kind: 'continue', exit: 'failed' };
    const answer = event.text.trim();
    if (valid(str(p, 'validation') ?? 'any', str(p, 'pattern'), answer)) {
      resetAttempts(snap, nodeId);
      return { kind: 'continue', exit: 'ok', effects: [setParam(snap, str(p, 'parameter') ?? 'Answer', answer)] };
    }
    const attempts = bumpAttempts(snap, nodeId);
    if (attempts > (num(p, 'retries') ?? 2)) {
      resetAttempts(snap, nodeId);
      return { kind: 'continue', exit: 'failed' };
    }
    const retry = str(p, 'retryMessage') ?? "Sorry, that doesn't look right. Please try again.";
    return waitFor([{ type: 'sendMessage', text: render(retry, snap.params, ctx) }]);
  },
};

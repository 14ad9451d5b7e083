/** Delay: waits `seconds` (a timer the host schedules), then goes on. */
import { fixed, next, num, type Activity } from './activity';

export const delayActivity: Activity = {
  kind: 'delay',
  imSupported: true,
  ...fixed(['next']),
  validate: (p) =>
    typeof p.seconds === 'number' && p.seconds >= 1 && p.seconds <= 86400 ? [] : ['parameter "seconds" must be a number from 1 to 86400'],
  run({ p, ctx, event }) {
    if (event?.type === 'timer') return next();
    const at = ctx.now + (num(p, 'seconds') ?? 60) * 1000;
    return { kind: 'wait', wait: { kind: 'timer', at }, effects: [{ type: 'schedule', at }] };
  },
};

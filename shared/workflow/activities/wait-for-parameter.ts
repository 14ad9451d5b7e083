/**
 * Wait for Parameter: goes on (`set`) as soon as the parameter has a value; checks again whenever
 * the customer writes (a customer message sets `Customer.LastMessage`); `timeout` after `timeoutSec`.
 */
import { fixed, needString, num, optNumber, setParam, str, type Activity } from './activity';

export const waitForParameterActivity: Activity = {
  kind: 'waitForParameter',
  imSupported: true,
  ...fixed(['set', 'timeout']),
  validate: (p) => [...needString(p, 'parameter'), ...optNumber(p, 'timeoutSec', 1, 86400)],
  run({ p, snap, ctx, event }) {
    const name = str(p, 'parameter') ?? '';
    const effects = event?.type === 'customerMessage' ? [setParam(snap, 'Customer.LastMessage', event.text)] : [];
    if ((snap.params[name] ?? '') !== '') return { kind: 'continue', exit: 'set', effects };
    if (event?.type === 'timer') return { kind: 'continue', exit: 'timeout', effects };
    if (event) return { kind: 'wait', wait: snap.wait ?? { kind: 'customerMessage' }, effects };
    const timerAt = ctx.now + (num(p, 'timeoutSec') ?? 300) * 1000;
    return { kind: 'wait', wait: { kind: 'customerMessage', timerAt }, effects: [{ type: 'schedule', at: timerAt }] };
  },
};

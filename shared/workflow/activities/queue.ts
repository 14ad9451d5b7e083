/**
 * Queue: the task enters distribution and the workflow waits there. Exits: connectedEnded (an
 * agent took it and the session ended), timeout (maximum queue time), nobodyEligible (nobody on
 * duty could ever take it), customerLeft.
 */
import type { Activity } from './activity';
import { enterQueue, QUEUE_EXITS, validateQueueParams } from './queue-params';

export const queueActivity: Activity = {
  kind: 'queue',
  imSupported: true,
  queues: true,
  exits: () => QUEUE_EXITS,
  requiredExits: () => ['connectedEnded', 'timeout', 'nobodyEligible'],
  validate: validateQueueParams,
  run({ p, event }) {
    if (!event) return { kind: 'wait', wait: { kind: 'queue' }, effects: [enterQueue(p)] };
    if (event.type === 'taskConnected') return { kind: 'wait', wait: { kind: 'connected' } };
    if (event.type === 'queueExit') return { kind: 'continue', exit: event.exit };
    if (event.type === 'customerLeft') return { kind: 'continue', exit: 'customerLeft' };
    return { kind: 'wait', wait: { kind: 'queue' } };
  },
};

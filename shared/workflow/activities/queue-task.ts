/**
 * Queue Task: the task enters distribution and the workflow keeps running (exit `next`), e.g. to
 * tell the customer their position every minute. When the queue finishes, wherever the workflow
 * stands, it jumps to this node's exit of that name: connectedEnded, timeout, nobodyEligible,
 * customerLeft. Once an agent accepts, the workflow stops where it is until the session ends.
 */
import type { Activity } from './activity';
import { enterQueue, QUEUE_EXITS, validateQueueParams } from './queue-params';

export const queueTaskActivity: Activity = {
  kind: 'queueTask',
  imSupported: true,
  queues: true,
  exits: () => ['next', ...QUEUE_EXITS],
  requiredExits: () => ['next', 'connectedEnded', 'timeout', 'nobodyEligible'],
  validate: validateQueueParams,
  run({ nodeId, p, snap }) {
    snap.queueTask = { node: nodeId };
    return { kind: 'continue', exit: 'next', effects: [enterQueue(p)] };
  },
};

/** Get Queue Position: stores the task's place in the queue (`Queue.Position`). */
import { fixed, next, setParam, type Activity } from './activity';

export const getQueuePositionActivity: Activity = {
  kind: 'getQueuePosition',
  imSupported: true,
  ...fixed(['next']),
  validate: () => [],
  run: ({ snap, ctx }) => next(ctx.queuePosition !== undefined ? [setParam(snap, 'Queue.Position', String(ctx.queuePosition))] : []),
};

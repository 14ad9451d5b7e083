/** Cancel Task: takes the task out of the queue (no more offers); the workflow goes on. */
import { fixed, next, type Activity } from './activity';

export const cancelTaskActivity: Activity = {
  kind: 'cancelTask',
  imSupported: true,
  ...fixed(['next']),
  validate: () => [],
  run: ({ snap }) => {
    delete snap.queueTask;
    return next([{ type: 'cancelQueue' }]);
  },
};

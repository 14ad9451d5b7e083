/** Check Task: where the queued task stands: queued (waiting or offered) / connected / notQueued. */
import { fixed, type Activity } from './activity';

export const checkTaskActivity: Activity = {
  kind: 'checkTask',
  imSupported: true,
  ...fixed(['queued', 'notQueued'], ['connected']),
  validate: () => [],
  run({ ctx }) {
    const s = ctx.taskState;
    return { kind: 'continue', exit: s === 'queued' || s === 'offered' ? 'queued' : s === 'connected' ? 'connected' : 'notQueued' };
  },
};

/** Mark as Handled: the session counts as handled; the workflow goes on (e.g. a goodbye message). */
import { fixed, next, type Activity } from './activity';

export const markAsHandledActivity: Activity = {
  kind: 'markAsHandled',
  imSupported: true,
  ...fixed(['next']),
  validate: () => [],
  run: ({ snap }) => {
    snap.outcome = 'handled';
    return next();
  },
};

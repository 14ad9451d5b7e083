/** Get Available Users: stores how many users could take the task now (`Service.AvailableUsers`). */
import { fixed, next, setParam, type Activity } from './activity';

export const getAvailableUsersActivity: Activity = {
  kind: 'getAvailableUsers',
  imSupported: true,
  ...fixed(['next']),
  validate: () => [],
  run: ({ snap, ctx }) => next([setParam(snap, 'Service.AvailableUsers', String(ctx.availability.available))]),
};

/** Availability-based Routing: users available / all busy / nobody on duty. */
import { fixed, type Activity } from './activity';

export const availabilityRoutingActivity: Activity = {
  kind: 'availabilityRouting',
  imSupported: true,
  ...fixed(['available', 'allBusy', 'nobodyOnDuty']),
  validate: () => [],
  run: ({ ctx }) => ({
    kind: 'continue',
    exit: ctx.availability.available > 0 ? 'available' : ctx.availability.onDuty > 0 ? 'allBusy' : 'nobodyOnDuty',
  }),
};

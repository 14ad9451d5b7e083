/** Accept: the service takes the conversation (the chat counts as received from here on). */
import { fixed, next, type Activity } from './activity';

export const acceptActivity: Activity = {
  kind: 'accept',
  imSupported: true,
  ...fixed(['next']),
  validate: () => [],
  run: () => next([{ type: 'accept' }]),
};

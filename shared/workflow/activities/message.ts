/** Message: sends a templated text to the customer. */
import { render } from '../template';
import { fixed, needString, next, str, type Activity } from './activity';

export const messageActivity: Activity = {
  kind: 'message',
  imSupported: true,
  ...fixed(['next']),
  validate: (p) => needString(p, 'text'),
  run: ({ p, snap, ctx }) => next([{ type: 'sendMessage', text: render(str(p, 'text') ?? '', snap.params, ctx) }]),
};

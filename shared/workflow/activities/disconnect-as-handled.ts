/** Disconnect as Handled: ends the conversation with the outcome handled. */
import type { Activity } from './activity';

export const disconnectAsHandledActivity: Activity = {
  kind: 'disconnectAsHandled',
  imSupported: true,
  terminal: true,
  exits: () => [],
  requiredExits: () => [],
  validate: () => [],
  run: ({ snap }) => {
    snap.outcome = 'handled';
    return { kind: 'end', outcome: 'handled', effects: [{ type: 'end', outcome: 'handled', disconnect: true }] };
  },
};

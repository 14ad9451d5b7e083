/** Disconnect: ends the conversation. The outcome is Mark as Handled's, else derived by the host. */
import type { Activity } from './activity';

export const disconnectActivity: Activity = {
  kind: 'disconnect',
  imSupported: true,
  terminal: true,
  exits: () => [],
  requiredExits: () => [],
  validate: () => [],
  run: ({ snap }) => ({ kind: 'end', effects: [{ type: 'end', disconnect: true, ...(snap.outcome ? { outcome: snap.outcome } : {}) }] }),
};

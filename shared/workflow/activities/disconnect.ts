/**
 * Disconnect: ends the conversation. The outcome is Mark as Handled's, else why the chat could not
 * be served (closed hours, nobody available: `snap.unserved`), else derived by the host.
 */
import type { Activity } from './activity';

export const disconnectActivity: Activity = {
  kind: 'disconnect',
  imSupported: true,
  terminal: true,
  exits: () => [],
  requiredExits: () => [],
  validate: () => [],
  run: ({ snap }) => {
    const outcome = snap.outcome ?? snap.unserved;
    return { kind: 'end', effects: [{ type: 'end', disconnect: true, ...(outcome ? { outcome } : {}) }] };
  },
};

/** Broadcast: offer to the N longest-idle users at once; the first to accept wins, the others' offers are withdrawn. */
import { byLongestIdle, type DistributionPolicy } from './policy';

export const broadcastPolicy: DistributionPolicy = {
  type: 'broadcast',
  choose(candidates, settings, state) {
    const n = Math.max(1, settings.broadcastSize);
    const picked = [...candidates].sort(byLongestIdle).slice(0, n);
    return { userIds: picked.map((c) => c.userId), state };
  },
};

/** Direct (the default): offer to the eligible user who has been idle the longest. */
import { longestIdle, type DistributionPolicy } from './policy';

export const directPolicy: DistributionPolicy = {
  type: 'direct',
  choose(candidates, _settings, state) {
    return { userIds: [longestIdle(candidates).userId], state };
  },
};

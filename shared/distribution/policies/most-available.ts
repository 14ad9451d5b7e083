/** Most available capacity: the user with the most free IM slots; ties go to the longest idle. */
import { byLongestIdle, type Candidate, type DistributionPolicy } from './policy';

export const mostAvailablePolicy: DistributionPolicy = {
  type: 'mostAvailable',
  choose(candidates, _settings, state) {
    let best = candidates[0] as Candidate;
    for (const c of candidates) {
      const free = c.capacity - c.load;
      const bestFree = best.capacity - best.load;
      if (free > bestFree || (free === bestFree && byLongestIdle(c, best) < 0)) best = c;
    }
    return { userIds: [best.userId], state };
  },
};

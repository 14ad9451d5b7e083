/** Round robin: the next eligible member after the one who got the previous task, in member order. */
import type { Candidate, DistributionPolicy } from './policy';

export const roundRobinPolicy: DistributionPolicy = {
  type: 'roundRobin',
  choose(candidates, _settings, state) {
    const cursor = state.rrCursor ?? -1;
    let after: Candidate | undefined;
    let first: Candidate | undefined;
    for (const c of candidates) {
      if (!first || c.order < first.order) first = c;
      if (c.order > cursor && (!after || c.order < after.order)) after = c;
    }
    const pick = (after ?? first) as Candidate;
    return { userIds: [pick.userId], state: { ...state, rrCursor: pick.order } };
  },
};

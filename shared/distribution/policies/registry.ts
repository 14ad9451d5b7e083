/** Distribution types by name: one line per policy. */
import type { DistributionType } from '../../tenant/model';
import { broadcastPolicy } from './broadcast';
import { directPolicy } from './direct';
import { mostAvailablePolicy } from './most-available';
import type { DistributionPolicy } from './policy';
import { roundRobinPolicy } from './round-robin';

export const POLICIES: Record<DistributionType, DistributionPolicy> = {
  direct: directPolicy,
  broadcast: broadcastPolicy,
  roundRobin: roundRobinPolicy,
  mostAvailable: mostAvailablePolicy,
};

/** Parameters shared by Queue and Queue Task: distribution type, priority, offer timeout, maximum queue time. */
import { DISTRIBUTION_TYPES, PRIORITIES, type DistributionType, type Priority } from '../../tenant/model';
import type { WorkflowEffect } from '../types';
import { num, optNumber, str } from './activity';

export function validateQueueParams(p: Record<string, unknown>): string[] {
  const out = [...optNumber(p, 'offerTimeoutSec', 5, 600), ...optNumber(p, 'maxQueueTimeSec', 10, 7 * 86400)];
  if (p.distributionType !== undefined && !DISTRIBUTION_TYPES.includes(p.distributionType as DistributionType))
    out.push(`parameter "distributionType" must be one of ${DISTRIBUTION_TYPES.join(', ')}`);
  if (p.priority !== undefined && !PRIORITIES.includes(p.priority as Priority))
    out.push(`parameter "priority" must be one of ${PRIORITIES.join(', ')}`);
  return out;
}

export function enterQueue(p: Record<string, unknown>): WorkflowEffect {
  const distributionType = str(p, 'distributionType') as DistributionType | undefined;
  const priority = str(p, 'priority') as Priority | undefined;
  const offerTimeoutSec = num(p, 'offerTimeoutSec');
  const maxQueueTimeSec = num(p, 'maxQueueTimeSec');
  return {
    type: 'enterQueue',
    ...(distributionType ? { distributionType } : {}),
    ...(priority ? { priority } : {}),
    ...(offerTimeoutSec !== undefined ? { offerTimeoutSec } : {}),
    ...(maxQueueTimeSec !== undefined ? { maxQueueTimeSec } : {}),
  };
}

/** The exits a queue can leave through. */
export const QUEUE_EXITS = ['connectedEnded', 'timeout', 'nobodyEligible', 'customerLeft'] as const;

/** Distribution Priority: changes the task's queue priority (Low, Normal, High, Strict). */
import { PRIORITIES, type Priority } from '../../tenant/model';
import { fixed, next, type Activity } from './activity';

export const distributionPriorityActivity: Activity = {
  kind: 'distributionPriority',
  imSupported: true,
  ...fixed(['next']),
  validate: (p) => (PRIORITIES.includes(p.priority as Priority) ? [] : [`parameter "priority" must be one of ${PRIORITIES.join(', ')}`]),
  run: ({ p }) => next([{ type: 'setPriority', priority: p.priority as Priority }]),
};

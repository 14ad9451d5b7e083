/** Every activity the engine knows, by kind: one line each. */
import type { Activity } from './activity';
import { acceptActivity } from './accept';
import { availabilityRoutingActivity } from './availability-routing';
import { cancelTaskActivity } from './cancel-task';
import { checkOpeningHoursActivity } from './check-opening-hours';
import { checkParameterActivity } from './check-parameter';
import { checkTaskActivity } from './check-task';
import { collectInformationActivity } from './collect-information';
import { delayActivity } from './delay';
import { disconnectActivity } from './disconnect';
import { disconnectAsHandledActivity } from './disconnect-as-handled';
import { distributionPriorityActivity } from './distribution-priority';
import { getAvailableUsersActivity } from './get-available-users';
import { getQueuePositionActivity } from './get-queue-position';
import { inputCustomerActivity } from './input-customer';
import { markAsHandledActivity } from './mark-as-handled';
import { messageActivity } from './message';
import { queueActivity } from './queue';
import { queueTaskActivity } from './queue-task';
import { saveToParameterActivity } from './save-to-parameter';
import { transferActivity } from './transfer';
import {
  announcementActivity,
  forwardActivity,
  playMusicActivity,
  standbyDutyActivity,
  virtualUserActivity,
  voiceMessageActivity,
} from './voice-only';
import { waitForParameterActivity } from './wait-for-parameter';
import { webRequestActivity } from './web-request';

export const ACTIVITIES: Readonly<Record<string, Activity>> = Object.fromEntries(
  [
    acceptActivity,
    messageActivity,
    collectInformationActivity,
    inputCustomerActivity,
    saveToParameterActivity,
    transferActivity,
    disconnectActivity,
    markAsHandledActivity,
    disconnectAsHandledActivity,
    webRequestActivity,
    checkOpeningHoursActivity,
    availabilityRoutingActivity,
    getAvailableUsersActivity,
    checkParameterActivity,
    getQueuePositionActivity,
    waitForParameterActivity,
    queueActivity,
    distributionPriorityActivity,
    queueTaskActivity,
    checkTaskActivity,
    cancelTaskActivity,
    delayActivity,
    playMusicActivity,
    voiceMessageActivity,
    forwardActivity,
    standbyDutyActivity,
    virtualUserActivity,
    announcementActivity,
  ].map((a) => [a.kind, a]),
);

export function activity(kind: string): Activity | undefined {
  return Object.prototype.hasOwnProperty.call(ACTIVITIES, kind) ? ACTIVITIES[kind] : undefined;
}

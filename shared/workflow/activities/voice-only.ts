/**
 * Activities that only make sense for voice calls. The engine knows them so that a workflow
 * containing one is refused for an IM service (naming activity and node), and a running workflow
 * that meets one (edited later) ends with outcome `failed`, as the seed describes.
 */
import type { Activity } from './activity';

function voiceOnly(kind: string): Activity {
  return {
    kind,
    imSupported: false,
    exits: () => ['next'],
    requiredExits: () => [],
    validate: () => [],
    run: () => ({ kind: 'end', outcome: 'failed', effects: [{ type: 'end', outcome: 'failed', disconnect: true }] }),
  };
}

export const playMusicActivity = voiceOnly('playMusic');
export const voiceMessageActivity = voiceOnly('voiceMessage');
export const forwardActivity = voiceOnly('forward');
export const standbyDutyActivity = voiceOnly('standbyDuty');
export const virtualUserActivity = voiceOnly('virtualUser');
export const announcementActivity = voiceOnly('announcement');

/**
 * Teams presence from Microsoft Graph as distribution reads it. Graph gives an availability and
 * an activity (`POST /communications/getPresencesByUserId`); Stratus keeps one presence value and
 * the blocking-call flag: Available and AvailableIdle receive; Busy and Away where the service
 * allows it; Be Right Back as Away for a grace period (eligibility.ts); Do Not Disturb, Offline
 * and an unknown presence never; a call or conference is a blocking call whatever the availability.
 */
import type { Presence } from '../tenant/model';

/** Graph's availability values. */
export type GraphAvailability =
  'Available' | 'AvailableIdle' | 'Away' | 'BeRightBack' | 'Busy' | 'BusyIdle' | 'DoNotDisturb' | 'Offline' | 'PresenceUnknown';

export const GRAPH_AVAILABILITIES: readonly GraphAvailability[] = [
  'Available',
  'AvailableIdle',
  'Away',
  'BeRightBack',
  'Busy',
  'BusyIdle',
  'DoNotDisturb',
  'Offline',
  'PresenceUnknown',
];

const BY_AVAILABILITY = {
  Available: 'online',
  AvailableIdle: 'online',
  Away: 'away',
  BeRightBack: 'beRightBack',
  Busy: 'busy',
  BusyIdle: 'busy',
  DoNotDisturb: 'doNotDisturb',
  Offline: 'offline',
  PresenceUnknown: 'offline',
} as const satisfies Record<GraphAvailability, Presence>;

/** Activities that are an audio or video call: IM is not offered during them. */
const BLOCKING_ACTIVITIES = new Set(['InACall', 'InAConferenceCall']);

/** The presence and blocking-call flag of a Graph presence. */
export function presenceFromGraph(availability: string, activity: string): { presence: Presence; inBlockingCall: boolean } {
  const presence = BY_AVAILABILITY[availability as GraphAvailability] ?? 'offline';
  return { presence, inBlockingCall: BLOCKING_ACTIVITIES.has(activity) };
}

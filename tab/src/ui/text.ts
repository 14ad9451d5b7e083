/** Words and styles shared by My Sessions and the Supervisor page. */
import type { Presence } from '@stratus/shared/tenant/model';

/** Text for screen readers only. */
export const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

/** A Teams presence in Teams' own words. */
export const PRESENCE_LABEL: Record<Presence, string> = {
  online: 'Available',
  busy: 'Busy',
  away: 'Away',
  beRightBack: 'Be right back',
  doNotDisturb: 'Do not disturb',
  offline: 'Offline',
};

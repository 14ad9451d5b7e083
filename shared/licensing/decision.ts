/**
 * The answer of a licensing rule: allowed, or not with a reason code (for programs) and a
 * sentence a person understands (for the UI and error messages).
 */
export type LicenseReason =
  | 'serviceNeedsContactCenter'
  | 'imDisabled'
  | 'noWorkflow'
  | 'serviceNeedsInteract'
  | 'channelNotConfigured'
  | 'userNeedsIm'
  | 'userNeedsInteractUser'
  | 'userHasNoInteractCode';

export type Decision = { allowed: true } | { allowed: false; reason: LicenseReason; message: string };

export const ALLOWED: Decision = { allowed: true };

export function deny(reason: LicenseReason, message: string): Decision {
  return { allowed: false, reason, message };
}

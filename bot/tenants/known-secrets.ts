/**
 * Secrets everybody knows, refused outside dev mode: the demo tenant's (published in the README)
 * and Twilio auth tokens that are placeholders or not a token at all (webhook signatures would be
 * forgeable with them).
 */
import type { ConfigProblem } from '@stratus/shared/contract/admin';
import { DEMO_TWILIO_AUTH_TOKEN } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';

/** Obvious placeholders people leave in a file; anything else must look like a Twilio auth token. */
const PLACEHOLDER = /changeme|change-me|placeholder|example|secret|password|dummy|^x+$|\$\{\{|<.*>|^0+$/i;
const TWILIO_AUTH_TOKEN = /^[0-9a-f]{32}$/i;

/** The tenant's known or malformed secrets, by path. */
export function knownSecretProblemsOf(t: TenantConfig): ConfigProblem[] {
  const token = t.twilio?.authToken;
  if (token === undefined) return [];
  if (token === DEMO_TWILIO_AUTH_TOKEN || PLACEHOLDER.test(token))
    return [{ path: 'twilio.authToken', message: `tenant "${t.id}" has a placeholder Twilio auth token; set the account's real token` }];
  if (!TWILIO_AUTH_TOKEN.test(token))
    return [
      {
        path: 'twilio.authToken',
        message: `tenant "${t.id}" has a malformed Twilio auth token (expected 32 hexadecimal characters)`,
      },
    ];
  return [];
}

/** Random ids and secrets for the server (the domain gets them through IdGenerator). */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IdGenerator } from '@stratus/shared/util/ports';

/** Ids like `task_3f2a...`: unguessable, so an id alone never grants access. */
export const randomIds: IdGenerator = {
  next: (prefix = 'id') => `${prefix}_${randomUUID().replace(/-/g, '')}`,
};

export const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');
export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Tenant secrets (the Twilio auth token; any future connector secret is one more entry of
 * SECRET_FIELDS): sealed with AES-256-GCM before they reach the database, opened only into the
 * in-memory registry, and left out of everything the admin API, the export and the logs show.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { TenantConfig } from '@stratus/shared/tenant/model';

const PREFIX = 'sealed:v1:';

/** Where secrets live in a tenant document: the object's path and the secret's key. */
export const SECRET_FIELDS: readonly { object: readonly string[]; key: string; path: string }[] = [
  { object: ['twilio'], key: 'authToken', path: 'twilio.authToken' },
];

/** A stored secret that this key cannot open (another STRATUS_SECRET_KEY sealed it). */
export class SecretKeyError extends Error {}

/** Seals and opens secrets with one key; the key's id travels with each sealed value. */
export class SecretBox {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(this.keyId));
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `${PREFIX}${this.keyId}:${iv.toString('base64url')}:${c.getAuthTag().toString('base64url')}:${ct.toString('base64url')}`;
  }

  /** Opens a sealed value; a value stored before sealing existed comes back as it is. */
  open(value: string): string {
    if (!isSealed(value)) return value;
    const [keyId, iv, tag, ct] = value.slice(PREFIX.length).split(':');
    if (keyId !== this.keyId)
      throw new SecretKeyError(`a secret was sealed with another STRATUS_SECRET_KEY (key id ${keyId}; this server's is ${this.keyId})`);
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv ?? '', 'base64url'));
      d.setAAD(Buffer.from(this.keyId));
      d.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
      return Buffer.concat([d.update(Buffer.from(ct ?? '', 'base64url')), d.final()]).toString('utf8');
    } catch {
      throw new SecretKeyError('a stored secret is damaged and cannot be opened');
    }
  }
}

export const isSealed = (v: unknown): boolean => typeof v === 'string' && v.startsWith(PREFIX);

type Json = Record<string, unknown>;

function objectAt(doc: unknown, path: readonly string[]): Json | undefined {
  let o: unknown = doc;
  for (const k of path) o = o && typeof o === 'object' && !Array.isArray(o) ? (o as Json)[k] : undefined;
  return o && typeof o === 'object' && !Array.isArray(o) ? (o as Json) : undefined;
}

/** A copy of `doc` with each secret passed through `fn` (absent secrets stay absent). */
function mapSecrets<T>(doc: T, fn: (value: string) => string | undefined): T {
  const copy = structuredClone(doc);
  for (const f of SECRET_FIELDS) {
    const o = objectAt(copy, f.object);
    if (!o || typeof o[f.key] !== 'string') continue;
    const next = fn(o[f.key] as string);
    if (next === undefined) delete o[f.key];
    else o[f.key] = next;
  }
  return copy;
}

/** The tenant as stored: every secret sealed (an already sealed one is kept). */
export const sealTenant = (box: SecretBox, t: TenantConfig): TenantConfig => mapSecrets(t, (v) => (isSealed(v) ? v : box.seal(v)));

/** The tenant as the server runs it: every secret opened. */
export const openTenant = (box: SecretBox, t: TenantConfig): TenantConfig => mapSecrets(t, (v) => box.open(v));

/** The tenant as the API, the export and the audit show it: no secret at all. */
export const withoutSecrets = <T>(t: T): T => mapSecrets(t, () => undefined);

/** True when some secret of the stored tenant is still in clear (stored before sealing existed). */
export const hasClearSecrets = (t: unknown): boolean =>
  SECRET_FIELDS.some((f) => {
    const v = objectAt(t, f.object)?.[f.key];
    return typeof v === 'string' && !isSealed(v);
  });

/**
 * A document sent to the API (or imported) that leaves a secret out keeps the stored one, as long
 * as the object it belongs to is still the same account (a Twilio connector with another account
 * SID needs its own token). Works on the raw JSON, before validation.
 */
export function keepStoredSecrets(raw: unknown, stored: TenantConfig | undefined): unknown {
  if (!stored || !raw || typeof raw !== 'object') return raw;
  const copy = structuredClone(raw);
  for (const f of SECRET_FIELDS) {
    const o = objectAt(copy, f.object);
    const was = objectAt(stored, f.object);
    if (!o || !was || typeof was[f.key] !== 'string') continue;
    const given = o[f.key];
    if (given !== undefined && given !== null && given !== '') continue;
    if (f.object[0] === 'twilio' && o.accountSid !== was.accountSid) continue;
    o[f.key] = was[f.key];
  }
  return copy;
}

/** Whether a secret path (`twilio.authToken`) is one: the audit shows its changes as "(changed)". */
export const isSecretPath = (path: string): boolean => SECRET_FIELDS.some((f) => f.path === path);

/** Secrets replaced by a short fingerprint of their value: the audit sees that one changed, never what it is. */
export const fingerprintSecrets = <T>(t: T): T =>
  mapSecrets(t, (v) => `sha256:${createHash('sha256').update(v).digest('hex').slice(0, 12)}`);

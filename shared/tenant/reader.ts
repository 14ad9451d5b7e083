/**
 * Reading untyped tenant JSON (tenant/validate.ts): a Reader that collects every problem with its
 * path, and the formats the configuration's fields take.
 */
import type { Problem } from '../util/problems';

export const ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const CODE = /^[a-z0-9][a-z0-9-]{1,39}$/;
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const UPN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const E164 = /^\+[1-9]\d{6,14}$/;
export const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
export const DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

export type Obj = Record<string, unknown>;

/** Collects problems while reading untyped JSON. */
export class Reader {
  readonly problems: Problem[] = [];
  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }
  obj(v: unknown, path: string): Obj | undefined {
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Obj;
    this.add(path, 'must be an object');
    return undefined;
  }
  str(
    o: Obj,
    key: string,
    path: string,
    opts: { optional?: boolean; pattern?: RegExp; hint?: string; max?: number } = {},
  ): string | undefined {
    const v = o[key];
    const p = join(path, key);
    if (v === undefined || v === null || v === '') {
      if (!opts.optional) this.add(p, 'is required');
      return undefined;
    }
    if (typeof v !== 'string') {
      this.add(p, 'must be a string');
      return undefined;
    }
    if (opts.max !== undefined && v.length > opts.max) this.add(p, `must be at most ${opts.max} characters`);
    if (opts.pattern && !opts.pattern.test(v)) {
      this.add(p, `"${v}" is not ${opts.hint ?? 'valid'}`);
      return undefined;
    }
    return v;
  }
  bool(o: Obj, key: string, path: string, dflt: boolean): boolean {
    const v = o[key];
    if (v === undefined) return dflt;
    if (typeof v !== 'boolean') {
      this.add(join(path, key), 'must be true or false');
      return dflt;
    }
    return v;
  }
  int(o: Obj, key: string, path: string, dflt: number, min: number, max: number): number {
    const v = o[key];
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.add(join(path, key), `must be a whole number from ${min} to ${max}`);
      return dflt;
    }
    return v;
  }
  oneOf<T extends string>(o: Obj, key: string, path: string, allowed: readonly T[], dflt?: T): T | undefined {
    const v = o[key];
    if (v === undefined) {
      if (dflt === undefined) this.add(join(path, key), 'is required');
      return dflt;
    }
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.add(join(path, key), `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
      return dflt;
    }
    return v as T;
  }
  list(o: Obj, key: string, path: string, optional = false): unknown[] {
    const v = o[key];
    if (v === undefined && optional) return [];
    if (!Array.isArray(v)) {
      this.add(join(path, key), 'must be a list');
      return [];
    }
    return v;
  }
  stringsOf<T extends string>(o: Obj, key: string, path: string, allowed: readonly T[]): T[] {
    const out: T[] = [];
    this.list(o, key, path, true).forEach((v, i) => {
      if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) out.push(v as T);
      else this.add(`${join(path, key)}[${i}]`, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    });
    return [...new Set(out)];
  }
}

export function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** True when the time zone is one Intl knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** `https://shop.example.com` (scheme, host, optional port; nothing else). */
export function isOrigin(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === s;
  } catch {
    return false;
  }
}

export function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

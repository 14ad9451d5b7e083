/**
 * What changed between two tenant documents, for the audit log: one entry per changed leaf, with
 * lists of things that have ids (services, users, workflows, members, nodes) keyed by their id
 * (`services[billing].im.interact.code`) so inserting a service does not show every later one as
 * changed. Secret paths are reported as changed without their values.
 */
import microdiff from 'microdiff';
import type { AuditChange } from '../contract/admin';

type Json = unknown;

/** The key a list element is known by, when it has one. */
function keyOf(x: Json): string | undefined {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return undefined;
  const o = x as Record<string, unknown>;
  for (const k of ['id', 'userId', 'date', 'code']) if (typeof o[k] === 'string') return o[k];
  return undefined;
}

/** Lists whose elements all have distinct keys become objects keyed `[key]`; the rest stay lists. */
function keyed(x: Json): Json {
  if (Array.isArray(x)) {
    const keys = x.map(keyOf);
    if (x.length && keys.every((k) => k !== undefined) && new Set(keys).size === keys.length)
      return Object.fromEntries(x.map((e, i) => [`[${keys[i]}]`, keyed(e)]));
    return x.map(keyed);
  }
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, keyed(v)]));
  return x;
}

function pathText(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (p.startsWith('[')) out += p;
    else out += out ? `.${p}` : p;
  }
  return out;
}

/** The changes from `before` to `after` (`before` undefined: everything is new). */
export function tenantChanges(before: Json, after: Json, isSecret: (path: string) => boolean = () => false): AuditChange[] {
  const a = keyed(before ?? {}) as Record<string, unknown>;
  const b = keyed(after ?? {}) as Record<string, unknown>;
  return microdiff(a, b).map((d) => {
    const path = pathText(d.path);
    if (isSecret(path)) return { path, ...(d.type === 'REMOVE' ? { before: '(removed)' } : { after: '(changed)' }) };
    if (d.type === 'CREATE') return { path, after: d.value };
    if (d.type === 'REMOVE') return { path, before: d.oldValue };
    return { path, before: d.oldValue, after: d.value };
  });
}

/** Equal as JSON: same values, whatever the key order or the objects' prototypes (jsonb reorders keys). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  return microdiff(a as Record<string, unknown>, b as Record<string, unknown>).length === 0;
}

/** "3 changes: services[billing] added, services[support].name, …" */
export function summarizeChanges(changes: readonly AuditChange[]): string {
  if (changes.length === 0) return 'no change';
  const words = changes.slice(0, 4).map((c) => {
    if (c.before === undefined) return `${c.path} added`;
    if (c.after === undefined) return `${c.path} removed`;
    return `${c.path} changed`;
  });
  const more = changes.length > 4 ? `, and ${changes.length - 4} more` : '';
  return `${changes.length} change${changes.length === 1 ? '' : 's'}: ${words.join(', ')}${more}`;
}

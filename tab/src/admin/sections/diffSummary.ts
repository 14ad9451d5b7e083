/** What an import would change, in a few lines: users, services and workflows by id, then the tenant's own settings. */
import type { TenantConfig } from '@stratus/shared/tenant/model';

export interface DiffSummary {
  added: string[];
  removed: string[];
  changed: string[];
}

const COLLECTIONS = [
  ['users', 'user'],
  ['services', 'service'],
  ['workflows', 'workflow'],
] as const;
const SETTINGS: { key: keyof TenantConfig; label: string }[] = [
  { key: 'name', label: 'tenant name' },
  { key: 'entraTenantId', label: 'Entra tenant id' },
  { key: 'admins', label: 'tenant admins' },
  { key: 'twilio', label: 'Twilio connector' },
  { key: 'webRequests', label: 'web request limits' },
  { key: 'directChatWaitSec', label: 'direct chat wait' },
];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Twilio without its token: exports leave it out, so a missing token is "keep", not a change. */
function comparable(t: TenantConfig, key: keyof TenantConfig): unknown {
  if (key !== 'twilio' || !t.twilio) return t[key];
  const { authToken: _a, ...rest } = t.twilio;
  return rest;
}

export function diffSummary(from: TenantConfig, to: TenantConfig): DiffSummary {
  const out: DiffSummary = { added: [], removed: [], changed: [] };
  for (const [key, noun] of COLLECTIONS) {
    const before = new Map<string, unknown>((from[key] ?? []).map((x) => [x.id, x]));
    const after = new Map<string, unknown>((to[key] ?? []).map((x) => [x.id, x]));
    for (const [id, x] of after) {
      if (!before.has(id)) out.added.push(`${noun} ${id}`);
      else if (!same(before.get(id), x)) out.changed.push(`${noun} ${id}`);
    }
    for (const id of before.keys()) if (!after.has(id)) out.removed.push(`${noun} ${id}`);
  }
  for (const { key, label } of SETTINGS) if (!same(comparable(from, key), comparable(to, key))) out.changed.push(label);
  return out;
}

/** The tenant in an import file: `{tenants:[…]}` (an export) takes the first; a bare tenant object is taken as is. */
export function tenantOfFile(json: unknown): TenantConfig | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const tenants = (json as { tenants?: unknown }).tenants;
  if (Array.isArray(tenants)) return (tenants[0] as TenantConfig | undefined) ?? undefined;
  return json as TenantConfig;
}

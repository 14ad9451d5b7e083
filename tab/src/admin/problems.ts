/**
 * Validation problems by their path in the tenant document (`services[1].im.interact.code`):
 * which field shows each one, where on the page that field is, and whether a problem still
 * applies after an edit.
 */
import type { ConfigProblem } from '@stratus/shared/contract/admin';

export type Section = 'services' | 'workflows' | 'users' | 'calendars' | 'twilio' | 'teams' | 'audit' | 'import';
export type ServiceTab = 'general' | 'licenses' | 'members' | 'distribution' | 'hours' | 'interact' | 'whatsapp' | 'chat';

/**
 * The fields each service tab shows a problem beside, relative to the service. A leading `=`
 * matches that path only; otherwise the field also covers what lies under it (`members[2]`).
 * Each entry is rendered by a field of that tab: keep the two in step.
 */
export const SERVICE_FIELDS: Record<ServiceTab, readonly string[]> = {
  general: ['id', 'name', 'owners', 'supervisors'],
  licenses: ['licenses', 'im.enabled', 'im.workflowId'],
  members: ['members'],
  distribution: [
    'im.distribution.type',
    'im.distribution.broadcastSize',
    'im.distribution.offerTimeoutSec',
    'im.distribution.maxConcurrentIm',
    'im.distribution.busyIsAvailable',
    'im.distribution.awayIsAvailable',
    'im.distribution.defaultPriority',
    'im.distribution.persistentRona',
    'im.distribution.maxQueueTimeSec',
  ],
  hours: ['openingHours.timeZone', 'openingHours.weekly', 'openingHours.exceptions'],
  interact: [
    '=im.interact',
    'im.interact.code',
    'im.interact.allowedOrigins',
    'im.interact.privacyPolicyUrl',
    'im.interact.title',
    'im.interact.color',
    'im.interact.greeting',
    'im.interact.language',
  ],
  whatsapp: ['=im.whatsapp', 'im.whatsapp.sender', 'im.whatsapp.sms'],
  chat: [
    'im.chat.inactivity.customerWarnSec',
    'im.chat.inactivity.customerCloseSec',
    'im.chat.inactivity.agentFlagSec',
    '=im.chat.wrapUp',
    'im.chat.wrapUp.seconds',
    'im.chat.wrapUp.reasons',
    'im.chat.cannedResponses',
    'im.chat.endKeywords',
  ],
};

/** Tenant-level fields outside the services, by section. */
const TENANT_FIELDS: [Section, readonly string[]][] = [
  ['users', ['users', 'admins']],
  ['twilio', ['=twilio', 'twilio.accountSid', 'twilio.authToken', 'twilio.region']],
  ['workflows', ['workflows']],
  ['teams', ['teams']],
];

/** Does the field `field` (a SERVICE_FIELDS entry, absolute) show the problem at `path`? */
export function covers(field: string, path: string): boolean {
  if (field.startsWith('=')) return path === field.slice(1);
  return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
}

export type Location = { section: 'services'; serviceIndex: number; tab: ServiceTab } | { section: Exclude<Section, 'services'> };

/** Where on the page the problem at `path` is shown, or undefined when no field shows it. */
export function locate(path: string): Location | undefined {
  const m = /^services\[(\d+)\]\.(.+)$/.exec(path);
  if (m) {
    const rest = m[2] ?? '';
    for (const [tab, fields] of Object.entries(SERVICE_FIELDS) as [ServiceTab, readonly string[]][])
      if (fields.some((f) => covers(f, rest))) return { section: 'services', serviceIndex: Number(m[1]), tab };
    return undefined;
  }
  for (const [section, fields] of TENANT_FIELDS)
    if (section !== 'services' && fields.some((f) => covers(f, path))) return { section } as Location;
  return undefined;
}

/** Problems shown by the field at `path` (absolute). */
export function problemsAt(problems: readonly ConfigProblem[], path: string): ConfigProblem[] {
  return problems.filter((p) => covers(path, p.path));
}

/** `services[1].im.interact.code` → `['services', 1, 'im', 'interact', 'code']`. */
export function splitPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [...out, part];
    if (m[1]) out.push(m[1]);
    for (const i of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(i[1]));
  }
  return out;
}

/** The value at `path` in a document, or undefined. */
export function valueAt(doc: unknown, path: string): unknown {
  let v: unknown = doc;
  for (const k of splitPath(path)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/**
 * The server's problems that still apply to `draft`: a problem is dropped once the value at its
 * path differs from what was sent (the admin edited it; live validation judges it again).
 */
export function stillApplies(problems: readonly ConfigProblem[], sent: unknown, draft: unknown): ConfigProblem[] {
  return problems.filter((p) => JSON.stringify(valueAt(sent, p.path)) === JSON.stringify(valueAt(draft, p.path)));
}

/** Problems of both lists, each (path, message) once. */
export function mergeProblems(a: readonly ConfigProblem[], b: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return [...a, ...b].filter((p) => {
    const k = `${p.path}\n${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Tenant configuration: parse plain JSON into a TenantConfig with defaults filled in, reporting
 * every problem with its path (`services[2].im.workflowId: unknown workflow "x"`), never just the
 * first. The JSON Schema under env/ describes the same format for editors.
 */
import type { Problem } from '../util/problems';
import type { WorkflowDefinition, WorkflowNode } from '../workflow/definition';
import { defaultImWorkflow } from '../workflow/default-workflow';
import { imSupportProblems, validateWorkflow } from '../workflow/validate';
import {
  DEFAULT_DIRECT_CHAT_WAIT_SEC,
  DEFAULT_DISTRIBUTION,
  DISTRIBUTION_TYPES,
  INTERACT_LANGUAGES,
  PRESENCES,
  type InteractLanguage,
  PRIORITIES,
  type CalendarException,
  type CannedResponse,
  type ChatSettings,
  type TeamsSettings,
  type RetentionSettings,
  DEFAULT_SERVICE_LEVEL_SEC,
  type DistributionSettings,
  type InteractSettings,
  type OpeningHours,
  type Presence,
  type ServiceConfig,
  type ServiceLicense,
  type TenantConfig,
  type TwilioConnector,
  type UserConfig,
  type UserLicense,
  type WebRequestSettings,
  type WeeklyHours,
  type WhatsAppSettings,
} from './model';

export type ParseResult = { ok: true; tenant: TenantConfig } | { ok: false; problems: Problem[] };

const USER_LICENSES: readonly UserLicense[] = ['im', 'interactUser'];
const SERVICE_LICENSES: readonly ServiceLicense[] = ['contactCenter', 'interact'];
const ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const CODE = /^[a-z0-9][a-z0-9-]{1,39}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UPN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;
/** The built-in workflow every tenant may select without defining it. */
export const BUILTIN_WORKFLOWS: readonly WorkflowDefinition[] = [defaultImWorkflow];

type Obj = Record<string, unknown>;

/** Collects problems while reading untyped JSON. */
class Reader {
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

function join(path: string, key: string): string {
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

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function readInteract(r: Reader, v: unknown, path: string): InteractSettings | undefined {
  if (v === undefined) return undefined;
  const o = r.obj(v, path);
  if (!o) return undefined;
  const code = r.str(o, 'code', path, { pattern: CODE, hint: 'a valid code (2-40 lowercase letters, digits, dashes)' });
  const allowedOrigins: string[] = [];
  r.list(o, 'allowedOrigins', path, true).forEach((x, i) => {
    if (typeof x === 'string' && isOrigin(x)) allowedOrigins.push(x);
    else r.add(`${path}.allowedOrigins[${i}]`, `${JSON.stringify(x)} is not an origin like "https://www.example.com"`);
  });
  const privacyPolicyUrl = r.str(o, 'privacyPolicyUrl', path, { optional: true });
  if (privacyPolicyUrl !== undefined && !/^https?:\/\//.test(privacyPolicyUrl)) r.add(`${path}.privacyPolicyUrl`, 'must be an http(s) URL');
  const title = r.str(o, 'title', path, { optional: true, max: 80 });
  const color = r.str(o, 'color', path, { optional: true, pattern: /^#[0-9a-f]{6}$/i, hint: 'a colour like "#5b5fc7"' });
  const greeting = r.str(o, 'greeting', path, { optional: true, max: 500 });
  const language = r.str(o, 'language', path, { optional: true });
  if (language !== undefined && !INTERACT_LANGUAGES.includes(language as InteractLanguage))
    r.add(`${path}.language`, `one of ${INTERACT_LANGUAGES.join(', ')}`);
  if (code === undefined) return undefined;
  return {
    code,
    allowedOrigins,
    ...(privacyPolicyUrl !== undefined && /^https?:\/\//.test(privacyPolicyUrl) ? { privacyPolicyUrl } : {}),
    ...(title ? { title } : {}),
    ...(color && /^#[0-9a-f]{6}$/i.test(color) ? { color: color.toLowerCase() } : {}),
    ...(greeting ? { greeting } : {}),
    ...(language && INTERACT_LANGUAGES.includes(language as InteractLanguage) ? { language: language as InteractLanguage } : {}),
  };
}

function readUser(r: Reader, v: unknown, path: string): UserConfig | undefined {
  const o = r.obj(v, path);
  if (!o) return undefined;
  const id = r.str(o, 'id', path, { pattern: ID, hint: 'a valid id (lowercase letters, digits, "-", "_")' });
  const upn = r.str(o, 'upn', path, { pattern: UPN, hint: 'a user principal name like "alice@contoso.com"' });
  const entraObjectId = r.str(o, 'entraObjectId', path, { optional: true, pattern: GUID, hint: 'a GUID' });
  const displayName = r.str(o, 'displayName', path, { max: 200 });
  const licenses = r.stringsOf(o, 'licenses', path, USER_LICENSES);
  const presence = r.oneOf(o, 'presence', path, PRESENCES, 'online') as Presence;
  const onDuty = r.bool(o, 'onDuty', path, true);
  const inBlockingCall = r.bool(o, 'inBlockingCall', path, false);
  const interact = readInteract(r, o.interact, `${path}.interact`);
  if (interact && !licenses.includes('interactUser')) r.add(`${path}.interact`, 'direct Interact contact needs the "interactUser" license');
  if (id === undefined || upn === undefined || displayName === undefined) return undefined;
  return {
    id,
    upn: upn.toLowerCase(),
    displayName,
    licenses,
    presence,
    onDuty,
    inBlockingCall,
    ...(entraObjectId !== undefined ? { entraObjectId: entraObjectId.toLowerCase() } : {}),
    ...(interact ? { interact } : {}),
  };
}

function readDistribution(r: Reader, v: unknown, path: string): DistributionSettings {
  if (v === undefined) return { ...DEFAULT_DISTRIBUTION, persistentRona: { ...DEFAULT_DISTRIBUTION.persistentRona } };
  const o = r.obj(v, path) ?? {};
  const d = DEFAULT_DISTRIBUTION;
  let persistentRona = { ...d.persistentRona };
  if (o.persistentRona !== undefined) {
    const p = r.obj(o.persistentRona, `${path}.persistentRona`) ?? {};
    persistentRona = {
      enabled: r.bool(p, 'enabled', `${path}.persistentRona`, d.persistentRona.enabled),
      resetSec: r.int(p, 'resetSec', `${path}.persistentRona`, d.persistentRona.resetSec, 10, 8 * 3600),
    };
  }
  return {
    type: r.oneOf(o, 'type', path, DISTRIBUTION_TYPES, d.type) ?? d.type,
    broadcastSize: r.int(o, 'broadcastSize', path, d.broadcastSize, 1, 50),
    offerTimeoutSec: r.int(o, 'offerTimeoutSec', path, d.offerTimeoutSec, 5, 600),
    maxConcurrentIm: r.int(o, 'maxConcurrentIm', path, d.maxConcurrentIm, 1, 100),
    busyIsAvailable: r.bool(o, 'busyIsAvailable', path, d.busyIsAvailable),
    awayIsAvailable: r.bool(o, 'awayIsAvailable', path, d.awayIsAvailable),
    defaultPriority: r.oneOf(o, 'defaultPriority', path, PRIORITIES, d.defaultPriority) ?? d.defaultPriority,
    persistentRona,
    maxQueueTimeSec: r.int(o, 'maxQueueTimeSec', path, d.maxQueueTimeSec, 10, 7 * 24 * 3600),
  };
}

function readRange(r: Reader, o: Obj, path: string): { from: string; to: string } | undefined {
  const from = r.str(o, 'from', path, { pattern: HHMM, hint: 'a time like "08:00"' });
  const to = r.str(o, 'to', path, { pattern: HHMM, hint: 'a time like "17:30" (or "24:00")' });
  if (from === undefined || to === undefined) return undefined;
  if (minutes(from) >= minutes(to)) {
    r.add(path, `opens at ${from} but closes at ${to}: the end must be later than the start`);
    return undefined;
  }
  return { from, to };
}

/** Open around the clock, every day (UTC): the default when a service names no hours. */
export const ALWAYS_OPEN: OpeningHours = {
  timeZone: 'UTC',
  weekly: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, from: '00:00', to: '24:00' })),
  exceptions: [],
};

function readOpeningHours(r: Reader, v: unknown, path: string): OpeningHours {
  if (v === undefined) return { ...ALWAYS_OPEN, weekly: ALWAYS_OPEN.weekly.map((w) => ({ ...w })), exceptions: [] };
  const o = r.obj(v, path) ?? {};
  const timeZone = r.str(o, 'timeZone', path) ?? 'UTC';
  if (!isTimeZone(timeZone)) r.add(`${path}.timeZone`, `unknown time zone "${timeZone}"`);
  const weekly: WeeklyHours[] = [];
  r.list(o, 'weekly', path).forEach((x, i) => {
    const p = `${path}.weekly[${i}]`;
    const w = r.obj(x, p);
    if (!w) return;
    const day = w.day;
    if (typeof day !== 'number' || !Number.isInteger(day) || day < 0 || day > 6) r.add(`${p}.day`, 'must be 0 (Sunday) to 6 (Saturday)');
    const range = readRange(r, w, p);
    if (range && typeof day === 'number' && day >= 0 && day <= 6) weekly.push({ day, ...range });
  });
  const exceptions: CalendarException[] = [];
  r.list(o, 'exceptions', path, true).forEach((x, i) => {
    const p = `${path}.exceptions[${i}]`;
    const e = r.obj(x, p);
    if (!e) return;
    const date = r.str(e, 'date', p, { pattern: DATE, hint: 'a date like "2026-12-25"' });
    const name = r.str(e, 'name', p, { max: 200 });
    const kind = r.oneOf(e, 'kind', p, ['holiday', 'open'] as const, 'holiday') ?? 'holiday';
    const hours: { from: string; to: string }[] = [];
    if (kind === 'open') {
      const list = r.list(e, 'hours', p);
      if (list.length === 0) r.add(`${p}.hours`, 'an "open" exception needs at least one time range');
      list.forEach((h, j) => {
        const ho = r.obj(h, `${p}.hours[${j}]`);
        const range = ho && readRange(r, ho, `${p}.hours[${j}]`);
        if (range) hours.push(range);
      });
    }
    if (date && name) exceptions.push({ date, name, kind, ...(kind === 'open' ? { hours } : {}) });
  });
  return { timeZone, weekly, exceptions };
}

function readWhatsApp(r: Reader, v: unknown, path: string): WhatsAppSettings | undefined {
  if (v === undefined) return undefined;
  const o = r.obj(v, path);
  if (!o) return undefined;
  const sender = r.str(o, 'sender', path);
  if (sender === undefined) return undefined;
  const number = sender.replace(/^whatsapp:/, '');
  if (!E164.test(number)) {
    r.add(`${path}.sender`, `"${sender}" is not a sender like "whatsapp:+15550100"`);
    return undefined;
  }
  return { sender: `whatsapp:${number}`, sms: r.bool(o, 'sms', path, false) };
}

const CANNED_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;
/** Most canned responses a list (a service's or an agent's) may hold. */
export const MAX_CANNED_RESPONSES = 200;

/** A list of canned responses (a service's, or an agent's own): ids unique, texts bounded. */
function readCannedResponses(r: Reader, list: unknown[], path: string): CannedResponse[] {
  const out: CannedResponse[] = [];
  const seen = new Set<string>();
  if (list.length > MAX_CANNED_RESPONSES) r.add(path, `must hold at most ${MAX_CANNED_RESPONSES} responses`);
  list.slice(0, MAX_CANNED_RESPONSES).forEach((v, i) => {
    const p = `${path}[${i}]`;
    const o = r.obj(v, p);
    if (!o) return;
    const id = r.str(o, 'id', p, { pattern: CANNED_ID, hint: 'a short name (lowercase letters, digits, "-", "_", up to 32)' });
    const title = r.str(o, 'title', p, { max: 100 });
    const text = r.str(o, 'text', p, { max: 4000 });
    if (id && seen.has(id)) r.add(`${p}.id`, `"${id}" is used twice`);
    if (id && title && text && !seen.has(id)) out.push({ id, title, text });
    if (id) seen.add(id);
  });
  return out;
}

/** Parses an agent's own canned responses (`PUT /api/agent/prefs`). */
export function parseCannedResponses(
  raw: unknown,
  path = 'cannedResponses',
): { ok: true; value: CannedResponse[] } | { ok: false; problems: Problem[] } {
  const r = new Reader();
  if (!Array.isArray(raw)) return { ok: false, problems: [{ path, message: 'must be a list' }] };
  const value = readCannedResponses(r, raw, path);
  return r.problems.length ? { ok: false, problems: r.problems } : { ok: true, value };
}

function readChat(r: Reader, v: unknown, path: string): ChatSettings | undefined {
  if (v === undefined) return undefined;
  const o = r.obj(v, path);
  if (!o) return undefined;
  const out: ChatSettings = {};
  if (o.inactivity !== undefined) {
    const ip = `${path}.inactivity`;
    const io = r.obj(o.inactivity, ip);
    if (io) {
      const inactivity: NonNullable<ChatSettings['inactivity']> = {};
      // 0 (or absent) switches a rule off; otherwise from 30 s to a day.
      for (const k of ['customerWarnSec', 'customerCloseSec', 'agentFlagSec'] as const) {
        if (io[k] === undefined) continue;
        const n = r.int(io, k, ip, 0, 0, 86_400);
        if (n > 0 && n < 30) r.add(`${ip}.${k}`, 'must be 0 (off) or at least 30 seconds');
        else if (n > 0) inactivity[k] = n;
      }
      if (inactivity.customerCloseSec && !inactivity.customerWarnSec)
        r.add(`${ip}.customerCloseSec`, 'needs customerWarnSec: the customer is warned before the chat closes');
      out.inactivity = inactivity;
    }
  }
  if (o.wrapUp !== undefined) {
    const wp = `${path}.wrapUp`;
    const wo = r.obj(o.wrapUp, wp);
    if (wo) {
      const seconds = r.int(wo, 'seconds', wp, 60, 0, 3600);
      const reasons: string[] = [];
      r.list(wo, 'reasons', wp, true).forEach((x, i) => {
        if (typeof x !== 'string' || !x.trim() || x.length > 100) r.add(`${wp}.reasons[${i}]`, 'must be a text of 1 to 100 characters');
        else if (x === 'handled' || x === 'notHandled') r.add(`${wp}.reasons[${i}]`, `"${x}" is always offered; name another reason`);
        else if (reasons.includes(x.trim())) r.add(`${wp}.reasons[${i}]`, `"${x}" is listed twice`);
        else reasons.push(x.trim());
      });
      if (reasons.length > 50) r.add(`${wp}.reasons`, 'must hold at most 50 reasons');
      out.wrapUp = { seconds, reasons };
    }
  }
  if (o.cannedResponses !== undefined)
    out.cannedResponses = readCannedResponses(r, r.list(o, 'cannedResponses', path), `${path}.cannedResponses`);
  if (o.endKeywords !== undefined) {
    const words: string[] = [];
    r.list(o, 'endKeywords', path).forEach((x, i) => {
      if (typeof x !== 'string' || !/^\S{1,30}$/u.test(x.trim()))
        r.add(`${path}.endKeywords[${i}]`, 'must be one word of up to 30 characters');
      else if (!words.includes(x.trim().toLowerCase())) words.push(x.trim().toLowerCase());
    });
    if (words.length > 20) r.add(`${path}.endKeywords`, 'must hold at most 20 words');
    out.endKeywords = words;
  }
  if (o.satisfaction !== undefined) {
    const sp = `${path}.satisfaction`;
    const so = r.obj(o.satisfaction, sp);
    if (so) out.satisfaction = { enabled: r.bool(so, 'enabled', sp, false) };
  }
  return out;
}

function readRetention(r: Reader, v: unknown, path: string): RetentionSettings | undefined {
  if (v === undefined) return undefined;
  const o = r.obj(v, path);
  if (!o) return undefined;
  const out: RetentionSettings = {};
  if (o.messagesDays !== undefined) out.messagesDays = r.int(o, 'messagesDays', path, 365, 1, 3650);
  return out;
}

function readTeams(r: Reader, v: unknown, path: string): TeamsSettings | undefined {
  if (v === undefined) return undefined;
  const o = r.obj(v, path);
  if (!o) return undefined;
  const out: TeamsSettings = {};
  if (o.installForMembers !== undefined) out.installForMembers = r.bool(o, 'installForMembers', path, true);
  if (o.activityFeed !== undefined) out.activityFeed = r.bool(o, 'activityFeed', path, false);
  return out;
}

function readService(r: Reader, v: unknown, path: string): ServiceConfig | undefined {
  const o = r.obj(v, path);
  if (!o) return undefined;
  const id = r.str(o, 'id', path, { pattern: ID, hint: 'a valid id (lowercase letters, digits, "-", "_")' });
  const name = r.str(o, 'name', path, { max: 200 });
  const licenses = r.stringsOf(o, 'licenses', path, SERVICE_LICENSES);
  const members: ServiceConfig['members'] = [];
  r.list(o, 'members', path, true).forEach((m, i) => {
    if (typeof m === 'string') return void members.push({ userId: m, active: true });
    const mo = r.obj(m, `${path}.members[${i}]`);
    const userId = mo && r.str(mo, 'userId', `${path}.members[${i}]`);
    if (mo && userId) members.push({ userId, active: r.bool(mo, 'active', `${path}.members[${i}]`, true) });
  });
  const supervisors: string[] = [];
  r.list(o, 'supervisors', path, true).forEach((x, i) => {
    if (typeof x === 'string') supervisors.push(x);
    else r.add(`${path}.supervisors[${i}]`, 'must be a user id');
  });
  const owners: string[] = [];
  r.list(o, 'owners', path, true).forEach((x, i) => {
    if (typeof x === 'string') owners.push(x);
    else r.add(`${path}.owners[${i}]`, 'must be a user id');
  });
  const imRaw = o.im === undefined ? {} : (r.obj(o.im, `${path}.im`) ?? {});
  const ip = `${path}.im`;
  const enabled = r.bool(imRaw, 'enabled', ip, false);
  const workflowId = r.str(imRaw, 'workflowId', ip, { optional: !enabled }) ?? '';
  const interact = readInteract(r, imRaw.interact, `${ip}.interact`);
  const whatsapp = readWhatsApp(r, imRaw.whatsapp, `${ip}.whatsapp`);
  const distribution = readDistribution(r, imRaw.distribution, `${ip}.distribution`);
  const chat = readChat(r, imRaw.chat, `${ip}.chat`);
  const serviceLevelSec =
    imRaw.serviceLevelSec === undefined ? undefined : r.int(imRaw, 'serviceLevelSec', ip, DEFAULT_SERVICE_LEVEL_SEC, 1, 3600);
  const openingHours = readOpeningHours(r, o.openingHours, `${path}.openingHours`);
  if (id === undefined || name === undefined) return undefined;
  return {
    id,
    name,
    licenses,
    members,
    openingHours,
    ...(supervisors.length ? { supervisors } : {}),
    ...(owners.length ? { owners } : {}),
    im: {
      enabled,
      workflowId,
      distribution,
      ...(interact ? { interact } : {}),
      ...(whatsapp ? { whatsapp } : {}),
      ...(chat ? { chat } : {}),
      ...(serviceLevelSec !== undefined ? { serviceLevelSec } : {}),
    },
  };
}

function readTwilio(r: Reader, v: unknown, path: string): TwilioConnector | undefined {
  if (v === undefined) return undefined;
  const o = r.obj(v, path);
  if (!o) return undefined;
  const accountSid = r.str(o, 'accountSid', path, { pattern: /^AC[0-9a-f]{32}$/i, hint: 'a Twilio account SID ("AC" and 32 hex digits)' });
  const authToken = r.str(o, 'authToken', path, { max: 200 });
  const region = r.oneOf(o, 'region', path, ['us1', 'ie1', 'au1'] as const, 'us1') ?? 'us1';
  if (!accountSid || !authToken) return undefined;
  return { accountSid, authToken, region };
}

/** A DNS host name, optionally `*.` for its subdomains (IP literals too: they are dotted names). */
const HOST_PATTERN = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function readWebRequests(r: Reader, v: unknown, path: string): WebRequestSettings | undefined {
  if (v === undefined) return undefined;
  const o = r.obj(v, path);
  if (!o) return undefined;
  const allowedHosts: string[] = [];
  const listed = o.allowedHosts !== undefined;
  r.list(o, 'allowedHosts', path, true).forEach((h, i) => {
    const host = typeof h === 'string' ? h.toLowerCase().replace(/\.$/, '') : undefined;
    if (host && host.length <= 253 && HOST_PATTERN.test(host)) allowedHosts.push(host);
    else r.add(`${path}.allowedHosts[${i}]`, 'must be a host name ("api.example.com", or "*.example.com" for its subdomains)');
  });
  const allowPrivateNetworks = r.bool(o, 'allowPrivateNetworks', path, false);
  // Private addresses only for hosts the tenant named: never "any host may reach the internal network".
  if (allowPrivateNetworks && allowedHosts.length === 0)
    r.add(`${path}.allowPrivateNetworks`, 'needs "allowedHosts": private networks are reachable only through listed hosts');
  return { ...(listed ? { allowedHosts: [...new Set(allowedHosts)] } : {}), ...(allowPrivateNetworks ? { allowPrivateNetworks } : {}) };
}

function readWorkflow(r: Reader, v: unknown, path: string): WorkflowDefinition | undefined {
  const o = r.obj(v, path);
  if (!o) return undefined;
  const id = r.str(o, 'id', path, { pattern: ID, hint: 'a valid id (lowercase letters, digits, "-", "_")' });
  const name = r.str(o, 'name', path);
  const start = r.str(o, 'start', path);
  const nodes = r.obj(o.nodes, `${path}.nodes`);
  if (!id || !name || !start || !nodes) return undefined;
  const def: WorkflowDefinition = { id, name, start, nodes: nodes as Record<string, WorkflowNode> };
  for (const p of validateWorkflow(def)) r.add(join(path, p.path), p.message);
  return def;
}

function dupes<T>(items: readonly T[], key: (t: T) => string | undefined, onDupe: (index: number, value: string) => void): void {
  const seen = new Set<string>();
  items.forEach((t, i) => {
    const k = key(t);
    if (k === undefined) return;
    if (seen.has(k)) onDupe(i, k);
    seen.add(k);
  });
}

/** Parses one tenant. Defaults: presence online, on duty, Active members, DEFAULT_DISTRIBUTION, always open. */
export function parseTenant(raw: unknown): ParseResult {
  const r = new Reader();
  const o = r.obj(raw, '');
  if (!o) return { ok: false, problems: r.problems };
  const id = r.str(o, 'id', '', { pattern: ID, hint: 'a valid id (lowercase letters, digits, "-", "_")' });
  const name = r.str(o, 'name', '', { max: 200 });
  const entraTenantId = r.str(o, 'entraTenantId', '', { optional: true, pattern: GUID, hint: 'a GUID' });
  const twilio = readTwilio(r, o.twilio, 'twilio');
  const webRequests = readWebRequests(r, o.webRequests, 'webRequests');
  const teams = readTeams(r, o.teams, 'teams');
  const retention = readRetention(r, o.retention, 'retention');
  const directChatWaitSec =
    o.directChatWaitSec === undefined ? undefined : r.int(o, 'directChatWaitSec', '', DEFAULT_DIRECT_CHAT_WAIT_SEC, 10, 3600);
  const rawUsers = r.list(o, 'users', '');
  const users = rawUsers.map((u, i) => readUser(r, u, `users[${i}]`));
  const rawWorkflows = r.list(o, 'workflows', '', true);
  const workflows = rawWorkflows.map((w, i) => readWorkflow(r, w, `workflows[${i}]`));
  const rawServices = r.list(o, 'services', '');
  const admins: string[] = [];
  r.list(o, 'admins', '', true).forEach((x, i) => {
    if (typeof x === 'string') admins.push(x);
    else r.add(`admins[${i}]`, 'must be a user id');
  });
  const services = rawServices.map((s, i) => readService(r, s, `services[${i}]`));

  dupes(
    users,
    (u) => u?.id,
    (i, v) => r.add(`users[${i}].id`, `duplicate user id "${v}"`),
  );
  dupes(
    users,
    (u) => u?.upn,
    (i, v) => r.add(`users[${i}].upn`, `duplicate UPN "${v}"`),
  );
  dupes(
    users,
    (u) => u?.entraObjectId,
    (i, v) => r.add(`users[${i}].entraObjectId`, `duplicate Entra object id "${v}"`),
  );
  dupes(
    services,
    (s) => s?.id,
    (i, v) => r.add(`services[${i}].id`, `duplicate service id "${v}"`),
  );
  dupes(
    workflows,
    (w) => w?.id,
    (i, v) => r.add(`workflows[${i}].id`, `duplicate workflow id "${v}"`),
  );
  const codes = [
    ...services.map((s, i) => ({ code: s?.im.interact?.code, path: `services[${i}].im.interact.code` })),
    ...users.map((u, i) => ({ code: u?.interact?.code, path: `users[${i}].interact.code` })),
  ];
  dupes(
    codes,
    (c) => c.code,
    (i, v) => r.add(codes[i]?.path ?? '', `Interact code "${v}" is already used`),
  );
  dupes(
    services,
    (s) => s?.im.whatsapp?.sender,
    (i, v) => r.add(`services[${i}].im.whatsapp.sender`, `sender "${v}" is already used by another service`),
  );

  const userIds = new Set(users.flatMap((u) => (u ? [u.id] : [])));
  const allWorkflows = [...workflows.flatMap((w) => (w ? [w] : []))];
  for (const b of BUILTIN_WORKFLOWS) if (!allWorkflows.some((w) => w.id === b.id)) allWorkflows.push(b);
  admins.forEach((u, i) => {
    if (!userIds.has(u)) r.add(`admins[${i}]`, `unknown user "${u}"`);
  });
  services.forEach((s, i) => {
    if (!s) return;
    s.members.forEach((m, j) => {
      if (!userIds.has(m.userId)) r.add(`services[${i}].members[${j}]`, `unknown user "${m.userId}"`);
    });
    (s.supervisors ?? []).forEach((u, j) => {
      if (!userIds.has(u)) r.add(`services[${i}].supervisors[${j}]`, `unknown user "${u}"`);
    });
    (s.owners ?? []).forEach((u, j) => {
      if (!userIds.has(u)) r.add(`services[${i}].owners[${j}]`, `unknown user "${u}"`);
    });
    dupes(
      s.members,
      (m) => m.userId,
      (j, v) => r.add(`services[${i}].members[${j}]`, `user "${v}" is listed twice`),
    );
    if (!s.im.workflowId) return;
    const wf = allWorkflows.find((w) => w.id === s.im.workflowId);
    if (!wf) return r.add(`services[${i}].im.workflowId`, `unknown workflow "${s.im.workflowId}"`);
    for (const p of imSupportProblems(wf)) {
      r.add(
        `services[${i}].im.workflowId`,
        `workflow "${wf.id}" cannot be used for Instant Messaging: ${p.path ? `${p.path}: ` : ''}${p.message}`,
      );
    }
    if (s.im.whatsapp && !twilio) r.add(`services[${i}].im.whatsapp`, 'a WhatsApp sender needs the tenant\'s Twilio connector ("twilio")');
  });

  if (r.problems.length > 0 || !id || !name) return { ok: false, problems: r.problems };
  const tenant: TenantConfig = {
    id,
    name,
    users: users as UserConfig[],
    services: services as ServiceConfig[],
    workflows: allWorkflows,
    ...(admins.length ? { admins } : {}),
    ...(entraTenantId !== undefined ? { entraTenantId: entraTenantId.toLowerCase() } : {}),
    ...(twilio ? { twilio } : {}),
    ...(webRequests ? { webRequests } : {}),
    ...(directChatWaitSec !== undefined ? { directChatWaitSec } : {}),
    ...(teams ? { teams } : {}),
    ...(retention ? { retention } : {}),
  };
  return { ok: true, tenant };
}

/** Validates an already typed tenant (e.g. the demo tenant) by its JSON form. */
export function validateTenant(tenant: TenantConfig): Problem[] {
  const r = parseTenant(JSON.parse(JSON.stringify(tenant)) as unknown);
  return r.ok ? [] : r.problems;
}

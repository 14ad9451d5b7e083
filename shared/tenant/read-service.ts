/**
 * A service's part of the tenant configuration (tenant/validate.ts): its Interact code and origins,
 * distribution, opening hours, WhatsApp and SMS numbers, chat settings, canned responses,
 * retention and Teams settings, each read with every problem reported by its path.
 */
import type { Problem } from '../util/problems';
import {
  DEFAULT_DISTRIBUTION,
  DISTRIBUTION_TYPES,
  INTERACT_LANGUAGES,
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
  type ServiceConfig,
  type ServiceLicense,
  type WeeklyHours,
  type WhatsAppSettings,
} from './model';
import { CODE, DATE, E164, HHMM, ID, isOrigin, isTimeZone, minutes, Reader, type Obj } from './reader';

const SERVICE_LICENSES: readonly ServiceLicense[] = ['contactCenter', 'interact'];

export function readInteract(r: Reader, v: unknown, path: string): InteractSettings | undefined {
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

export function readRetention(r: Reader, v: unknown, path: string): RetentionSettings | undefined {
  if (v === undefined) return undefined;
  const o = r.obj(v, path);
  if (!o) return undefined;
  const out: RetentionSettings = {};
  if (o.messagesDays !== undefined) out.messagesDays = r.int(o, 'messagesDays', path, 365, 1, 3650);
  return out;
}

export function readTeams(r: Reader, v: unknown, path: string): TeamsSettings | undefined {
  if (v === undefined) return undefined;
  const o = r.obj(v, path);
  if (!o) return undefined;
  const out: TeamsSettings = {};
  if (o.installForMembers !== undefined) out.installForMembers = r.bool(o, 'installForMembers', path, true);
  if (o.activityFeed !== undefined) out.activityFeed = r.bool(o, 'activityFeed', path, false);
  return out;
}

export function readService(r: Reader, v: unknown, path: string): ServiceConfig | undefined {
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

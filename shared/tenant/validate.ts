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
  PRESENCES,
  type Presence,
  type ServiceConfig,
  type TenantConfig,
  type TwilioConnector,
  type UserConfig,
  type UserLicense,
  type WebRequestSettings,
} from './model';
import { readInteract, readRetention, readService, readTeams } from './read-service';
import { GUID, ID, Reader, UPN, join } from './reader';

export { isOrigin, isTimeZone } from './reader';
export { ALWAYS_OPEN, MAX_CANNED_RESPONSES, parseCannedResponses } from './read-service';

export type ParseResult = { ok: true; tenant: TenantConfig } | { ok: false; problems: Problem[] };

const USER_LICENSES: readonly UserLicense[] = ['im', 'interactUser'];

/** The built-in workflow every tenant may select without defining it. */
export const BUILTIN_WORKFLOWS: readonly WorkflowDefinition[] = [defaultImWorkflow];

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

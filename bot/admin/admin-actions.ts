/**
 * The admin API's use cases: reading and writing the tenant's configuration (whole, or one
 * service at a time), the audit log, the directory and the Twilio connection test. Every write
 * goes through writeTenantRevision (validation, concurrency, audit, live apply on every instance).
 */
import { createHash } from 'node:crypto';
import type {
  AdminConfigSaved,
  AdminMe,
  AdminService,
  AdminServiceEntry,
  AdminUserEntry,
  AuditEntry,
  DirectoryUser,
  TwilioTestResult,
} from '@stratus/shared/contract/admin';
import type { ServiceConfig, TenantConfig, TwilioConnector } from '@stratus/shared/tenant/model';
import type { AgentPrincipal } from '../agents/agent-auth';
import { AppError, badRequest, conflict, forbidden, notFound, preconditionFailed, preconditionRequired } from '../errors';
import type { Runtime } from '../runtime/runtime';
import { appendAudit, auditEntries, openTaskCount, storedTenant } from '../store/tenants';
import { writeTenantRevision, type RevisionRequest } from '../tenant-config/revisions';
import { openTenant, withoutSecrets } from '../tenants/secrets';
import { errorMessage } from '../util/log';
import { isAdmin, ownedServices, ownerForbiddenChange, requireAdmin, requireAdminOrOwner, supervisedServices } from './roles';

/** What the admin use cases need beside the runtime: the directory and the Twilio check (edges we fake in tests). */
export interface AdminDeps {
  /** Searches the tenant's Entra ID users; absent when Graph is not configured. */
  directory?: { searchUsers(entraTenantId: string, query: string, limit?: number): Promise<DirectoryUser[]> };
  /** In dev mode, the Entra tenant searched for a tenant that has none (the built-in stand-in's). */
  devEntraTenantId?: string;
  testTwilio(conn: TwilioConnector): Promise<TwilioTestResult>;
  /** Installs the Teams app for the tenant's licensed service members now; absent without Graph (or TEAMS_APP_ID). */
  teamsInstall?: { installNow(tenantId: string): Promise<TeamsInstallResult[]> };
}

/** One user of `POST /api/admin/teams/install` → `{results: TeamsInstallResult[]}`. */
export interface TeamsInstallResult {
  userId: string;
  upn: string;
  status: 'installed' | 'alreadyInstalled' | 'failed' | 'skipped';
  /** Why it failed or was skipped, in words an admin can act on. */
  reason?: string;
}

/** `If-Match` as sent: absent, `*`, or the tags it lists. */
export type IfMatch = { kind: 'missing' } | { kind: 'any' } | { kind: 'tags'; tags: string[] };

export function parseIfMatch(header: string | undefined): IfMatch {
  if (header === undefined || header.trim() === '') return { kind: 'missing' };
  if (header.trim() === '*') return { kind: 'any' };
  return { kind: 'tags', tags: header.split(',').map((t) => t.trim().replace(/^W\//, '')) };
}

export const tenantEtag = (revision: number): string => `"r${revision}"`;
/** JSON with keys sorted at every level: the database (jsonb) does not keep key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

/** A service's ETag: its content's hash, so edits of other services do not make it stale. */
export const serviceEtag = (s: ServiceConfig): string => `"s${createHash('sha256').update(canonical(s)).digest('hex').slice(0, 20)}"`;

function expectedRevision(m: IfMatch): number | undefined {
  if (m.kind === 'missing')
    throw preconditionRequired(
      'Send If-Match with the ETag you read (or "*" to write over any revision), so no one else\'s change is lost.',
    );
  if (m.kind === 'any') return undefined;
  for (const t of m.tags) {
    const r = /^"r(\d{1,9})"$/.exec(t);
    if (r) return Number(r[1]);
  }
  return -1;
}

async function liveTenant(rt: Runtime, tenantId: string): Promise<{ config: TenantConfig; revision: number }> {
  const row = await storedTenant(rt.store.db, tenantId);
  if (!row) throw notFound('This tenant has no configuration.');
  return { config: openTenant(rt.secrets, row.config), revision: row.revision };
}

/** The caller's roles, from the running configuration (any signed-in user may ask). */
export function adminMe(rt: Runtime, p: AgentPrincipal, deps: AdminDeps): AdminMe {
  const t = rt.tenants.tenant(p.tenantId);
  const user = rt.tenants.user(p.tenantId, p.userId);
  return {
    tenantId: p.tenantId,
    tenantName: t?.name ?? p.tenantId,
    userId: p.userId,
    displayName: user?.displayName ?? p.upn,
    admin: isAdmin(t, p.userId),
    owns: ownedServices(t, p.userId),
    supervises: supervisedServices(t, p.userId),
    revision: rt.tenants.revision(p.tenantId),
    directory: !!deps.directory && !!(t?.entraTenantId ?? deps.devEntraTenantId),
  };
}

/** The whole tenant document (secrets omitted) and its revision: tenant admins. */
export async function getConfig(rt: Runtime, p: AgentPrincipal): Promise<{ config: TenantConfig; revision: number }> {
  requireAdmin(rt.tenants.tenant(p.tenantId), p.userId);
  const live = await liveTenant(rt, p.tenantId);
  return { config: withoutSecrets(live.config), revision: live.revision };
}

/** Maps a refused revision to its answer: 400 with every problem by path, or 412. */
async function write(rt: Runtime, req: RevisionRequest): Promise<{ revision: number; config: TenantConfig; changed: string[] }> {
  const r = await writeTenantRevision(rt, req);
  if (r.ok) return { revision: r.revision, config: withoutSecrets(r.config), changed: r.changes.map((c) => c.path) };
  if (r.reason === 'stale')
    throw preconditionFailed(
      `Someone else saved the configuration since you read it (now revision ${r.revision}): reload, or send it again with the new ETag.`,
      {
        revision: r.revision,
        etag: tenantEtag(r.revision),
      },
    );
  throw badRequest(
    'invalid_config',
    `The configuration has ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}; nothing was changed.`,
    r.problems,
  );
}

const who = (rt: Runtime, p: AgentPrincipal) => ({
  actor: p.userId,
  actorName: rt.tenants.user(p.tenantId, p.userId)?.displayName ?? p.upn,
});

/** Replaces the whole tenant document: tenant admins, with If-Match. */
export async function putConfig(rt: Runtime, p: AgentPrincipal, body: unknown, ifMatch: IfMatch): Promise<AdminConfigSaved> {
  requireAdmin(rt.tenants.tenant(p.tenantId), p.userId);
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('invalid_config', 'Send the tenant as one JSON object.', [{ path: '', message: 'must be an object' }]);
  const expect = expectedRevision(ifMatch);
  return write(rt, {
    tenantId: p.tenantId,
    raw: body,
    ...(expect === undefined ? {} : { expectRevision: expect }),
    source: 'api',
    ...who(rt, p),
    action: 'config.update',
    target: 'tenant',
  });
}

/** The services the caller may edit (admins: all; owners: theirs). */
export function listServices(rt: Runtime, p: AgentPrincipal): AdminServiceEntry[] {
  const t = rt.tenants.tenant(p.tenantId);
  const admin = isAdmin(t, p.userId);
  const owned = ownedServices(t, p.userId);
  if (!admin && owned.length === 0) throw forbidden('Only tenant admins and service owners manage services.');
  return (t?.services ?? [])
    .filter((s) => admin || owned.includes(s.id))
    .map((s) => ({
      id: s.id,
      name: s.name,
      imEnabled: s.im.enabled,
      channels: [
        ...(s.im.interact ? (['interact'] as const) : []),
        ...(s.im.whatsapp ? (['whatsapp'] as const) : []),
        ...(s.im.whatsapp?.sms ? (['sms'] as const) : []),
      ],
      members: s.members.length,
      access: admin ? 'all' : 'owner',
    }));
}

function findService(t: TenantConfig | undefined, id: string): ServiceConfig {
  const s = t?.services.find((x) => x.id === id);
  if (!s) throw notFound(`There is no service "${id}".`);
  return s;
}

/** The tenant's users as owners need them to pick members (admins read them in the whole document). */
export function listUsers(rt: Runtime, p: AgentPrincipal): AdminUserEntry[] {
  const t = rt.tenants.tenant(p.tenantId);
  if (!isAdmin(t, p.userId) && ownedServices(t, p.userId).length === 0)
    throw forbidden('Only tenant admins and service owners list users.');
  return (t?.users ?? []).map((u) => ({ id: u.id, upn: u.upn, displayName: u.displayName, licenses: u.licenses }));
}

/** One service and its ETag: admins and its owners. */
export async function getService(rt: Runtime, p: AgentPrincipal, serviceId: string): Promise<AdminService> {
  requireAdminOrOwner(rt.tenants.tenant(p.tenantId), p.userId, serviceId);
  const live = await liveTenant(rt, p.tenantId);
  const s = findService(live.config, serviceId);
  return { service: s, etag: serviceEtag(s), revision: live.revision };
}

/**
 * Replaces one service: admins, or its owners for members, hours, Interact and distribution.
 * The ETag is the service's own, so edits of other services in between do not refuse it.
 */
export async function putService(
  rt: Runtime,
  p: AgentPrincipal,
  serviceId: string,
  body: unknown,
  ifMatch: IfMatch,
): Promise<AdminService> {
  requireAdminOrOwner(rt.tenants.tenant(p.tenantId), p.userId, serviceId);
  if (ifMatch.kind === 'missing') expectedRevision(ifMatch);
  const admin = isAdmin(rt.tenants.tenant(p.tenantId), p.userId);
  const given = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  if (!given) throw badRequest('invalid_config', 'Send the service as one JSON object.', [{ path: '', message: 'must be an object' }]);
  if (given.id !== undefined && given.id !== serviceId)
    throw badRequest('invalid_config', "A service's id cannot change.", [{ path: 'id', message: `must stay "${serviceId}"` }]);
  let index = -1;
  const saved = await write(rt, {
    tenantId: p.tenantId,
    raw: (live: TenantConfig | undefined) => {
      const current = findService(live, serviceId);
      if (ifMatch.kind === 'tags' && !ifMatch.tags.includes(serviceEtag(current)))
        throw preconditionFailed('Someone else saved this service since you read it: reload it, or send it again with the new ETag.', {
          etag: serviceEtag(current),
        });
      index = (live?.services ?? []).findIndex((s) => s.id === serviceId);
      return { ...live, services: live?.services.map((s) => (s.id === serviceId ? { ...given, id: serviceId } : s)) };
    },
    source: 'api',
    ...who(rt, p),
    action: 'service.update',
    target: `service:${serviceId}`,
    authorize: (before, after) => {
      if (admin || !before) return;
      const field = ownerForbiddenChange(findService(before, serviceId), findService(after, serviceId));
      if (field)
        throw new AppError(
          403,
          'forbidden',
          `A service owner may change members, opening hours, Interact and distribution; "${field}" needs a tenant admin.`,
          {
            path: `services[${index}].${field}`,
          },
        );
    },
  }).catch((e) => {
    // Problems are reported on the service's own paths too, for a form that shows one service.
    if (e instanceof AppError && e.code === 'invalid_config' && Array.isArray(e.details) && index >= 0)
      throw badRequest(
        'invalid_config',
        e.message,
        (e.details as { path: string; message: string }[]).map((d) => ({ ...d, servicePath: d.path.replace(`services[${index}].`, '') })),
      );
    throw e;
  });
  const s = findService(saved.config, serviceId);
  return { service: s, etag: serviceEtag(s), revision: saved.revision };
}

/** Adds a service: tenant admins. */
export async function createService(rt: Runtime, p: AgentPrincipal, body: unknown): Promise<AdminService> {
  requireAdmin(rt.tenants.tenant(p.tenantId), p.userId);
  const given = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  if (!given || typeof given.id !== 'string')
    throw badRequest('invalid_config', 'Send the service as one JSON object with an id.', [{ path: 'id', message: 'is required' }]);
  const id = given.id;
  const saved = await write(rt, {
    tenantId: p.tenantId,
    raw: (live: TenantConfig | undefined) => {
      if (live?.services.some((s) => s.id === id)) throw conflict('already_exists', `A service "${id}" exists already.`);
      return { ...live, services: [...(live?.services ?? []), given] };
    },
    source: 'api',
    ...who(rt, p),
    action: 'service.create',
    target: `service:${id}`,
  });
  const s = findService(saved.config, id);
  return { service: s, etag: serviceEtag(s), revision: saved.revision };
}

/** Removes a service without open chats: tenant admins. */
export async function deleteService(rt: Runtime, p: AgentPrincipal, serviceId: string, ifMatch: IfMatch): Promise<void> {
  requireAdmin(rt.tenants.tenant(p.tenantId), p.userId);
  if (ifMatch.kind === 'missing') expectedRevision(ifMatch);
  const open = await openTaskCount(rt.store.db, p.tenantId, serviceId);
  if (open > 0) throw conflict('service_busy', `The service has ${open} open chat${open === 1 ? '' : 's'}: end or transfer them first.`);
  await write(rt, {
    tenantId: p.tenantId,
    raw: (live: TenantConfig | undefined) => {
      const current = findService(live, serviceId);
      if (ifMatch.kind === 'tags' && !ifMatch.tags.includes(serviceEtag(current)))
        throw preconditionFailed('Someone else saved this service since you read it: reload it first.', { etag: serviceEtag(current) });
      return { ...live, services: live?.services.filter((s) => s.id !== serviceId) };
    },
    source: 'api',
    ...who(rt, p),
    action: 'service.delete',
    target: `service:${serviceId}`,
  });
}

/** The audit log, newest first: tenant admins. */
export async function auditLog(
  rt: Runtime,
  p: AgentPrincipal,
  before: number | undefined,
  limit: number,
): Promise<{ entries: AuditEntry[]; next?: number }> {
  requireAdmin(rt.tenants.tenant(p.tenantId), p.userId);
  const rows = await auditEntries(rt.store.db, p.tenantId, limit + 1, before);
  const page = rows.slice(0, limit);
  const entries = page.map((r) => ({
    id: r.id,
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    ...(r.actorName ? { actorName: r.actorName } : {}),
    action: r.action,
    target: r.target,
    ...(r.revision !== null ? { revision: r.revision } : {}),
    changes: r.changes,
    summary: r.summary,
  }));
  const last = page[page.length - 1];
  return rows.length > limit && last ? { entries, next: last.id } : { entries };
}

/** The tenant as a file that imports to the same configuration (secrets omitted): tenant admins. */
export async function exportConfig(rt: Runtime, p: AgentPrincipal): Promise<{ tenants: TenantConfig[] }> {
  const { config } = await getConfig(rt, p);
  return { tenants: [config] };
}

/** Users of the tenant's directory: admins and owners (who add members). */
export async function searchDirectory(rt: Runtime, p: AgentPrincipal, deps: AdminDeps, query: string): Promise<DirectoryUser[]> {
  const t = rt.tenants.tenant(p.tenantId);
  if (!isAdmin(t, p.userId) && ownedServices(t, p.userId).length === 0)
    throw forbidden('Only tenant admins and service owners search the directory.');
  const entraTenantId = t?.entraTenantId ?? deps.devEntraTenantId;
  if (!deps.directory)
    throw new AppError(
      503,
      'directory_unavailable',
      'Microsoft Graph is not configured on this server (GRAPH_CLIENT_ID or the bot credentials): add users by UPN.',
    );
  if (!entraTenantId)
    throw new AppError(
      503,
      'directory_unavailable',
      'This tenant has no Entra tenant id (entraTenantId): add users by UPN, or set it first.',
    );
  try {
    return await deps.directory.searchUsers(entraTenantId, query, 25);
  } catch (e) {
    const retry = (e as { retryAfterSec?: number }).retryAfterSec;
    throw new AppError(503, 'directory_unavailable', `The directory could not be searched: ${errorMessage(e)}`, undefined, retry ?? 5);
  }
}

/**
 * Tries the Twilio connector: the given fields, the stored ones for what is left out (the auth
 * token is write-only). Audited, without the token.
 */
export async function testTwilio(
  rt: Runtime,
  p: AgentPrincipal,
  deps: AdminDeps,
  given: { accountSid?: string; authToken?: string; region?: TwilioConnector['region'] },
): Promise<TwilioTestResult> {
  requireAdmin(rt.tenants.tenant(p.tenantId), p.userId);
  const stored = (await liveTenant(rt, p.tenantId)).config.twilio;
  const accountSid = given.accountSid ?? stored?.accountSid;
  const sameAccount = !given.accountSid || given.accountSid === stored?.accountSid;
  const authToken = given.authToken ?? (sameAccount ? stored?.authToken : undefined);
  if (!accountSid || !authToken)
    return {
      ok: false,
      problem: accountSid ? 'Give the auth token of this account: none is stored for it.' : 'Give the account SID and auth token.',
    };
  const result = await deps.testTwilio({ accountSid, authToken, region: given.region ?? stored?.region ?? 'us1' });
  await appendAudit(rt.store.db, {
    tenantId: p.tenantId,
    at: rt.clock.now(),
    ...who(rt, p),
    action: 'twilio.test',
    target: 'twilio',
    revision: null,
    summary: result.ok ? `connected to "${result.friendlyName}"` : `failed: ${result.problem}`,
    changes: [],
  });
  return result;
}

/**
 * Installs the Teams app through Graph for the caller's tenant's licensed service members who do
 * not have it yet, now: tenant admins. 503 without Graph, 409 when the tenant cannot be installed for.
 */
export async function installTeamsApp(rt: Runtime, p: AgentPrincipal, deps: AdminDeps): Promise<{ results: TeamsInstallResult[] }> {
  const t = rt.tenants.tenant(p.tenantId);
  requireAdmin(t, p.userId);
  if (!deps.teamsInstall)
    throw new AppError(
      503,
      'unavailable',
      'Microsoft Graph is not configured on this server (GRAPH_CLIENT_ID or the bot credentials, and TEAMS_APP_ID or TEAMS_APP_CATALOG_ID): the app cannot be installed for agents.',
    );
  if (!t?.entraTenantId) throw conflict('invalid_config', 'This tenant has no Entra tenant id (entraTenantId): set it first.');
  if (t.teams?.installForMembers === false)
    throw conflict('invalid_config', 'Installing the app for members is turned off for this tenant (teams.installForMembers).');
  return { results: await deps.teamsInstall.installNow(p.tenantId) };
}

/**
 * The admin API's types (`/api/admin/*`), shared by the server and the tab's Admin page.
 * Field names are a public contract (see README): add fields freely, rename none.
 *
 * Concurrency: every readable resource has an `ETag`; a write sends it back in `If-Match` and is
 * refused with 412 `stale` when someone else saved first (428 `if_match_required` without one).
 * The whole tenant's ETag is its revision (`"r12"`); a service's is its content's hash, so two
 * admins editing two services do not collide.
 *
 * Errors: 400 `invalid_config` carries `details: ConfigProblem[]`, each problem named by its path
 * in the tenant document (`services[1].im.interact.code`); 403 `forbidden` names what the role
 * lacks (`details: {path}` when an owner touched a field only an admin may change).
 */
import type { ServiceConfig, TenantConfig } from '../tenant/model';

/** One validation problem, by its path in the tenant document. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** `GET /api/admin/me`: what the signed-in user may do here. */
export interface AdminMe {
  tenantId: string;
  tenantName: string;
  userId: string;
  displayName: string;
  /** Tenant admin: changes everything in the tenant. */
  admin: boolean;
  /** Services the user owns (members, hours, Interact, distribution). */
  owns: string[];
  /** Services the user supervises (reporting; live view later). */
  supervises: string[];
  /** The tenant's current revision. */
  revision: number;
  /** The server can search the tenant's Entra ID directory (Graph configured, or dev mode's stand-in). */
  directory: boolean;
}

/**
 * `GET /api/admin/config` → the tenant document (the file's shape; secrets omitted: a stored
 * Twilio auth token is absent and kept when a PUT leaves it out), header `ETag: "r{revision}"`.
 * `PUT /api/admin/config` (admins; `If-Match`) with a TenantConfig → `AdminConfigSaved`.
 * `GET /api/admin/config/export` → `{tenants:[TenantConfig]}` as an attachment (secrets omitted).
 */
export interface AdminConfigSaved {
  revision: number;
  config: TenantConfig;
  /** Paths that changed, as the audit log records them. */
  changed: string[];
}

/**
 * `GET /api/admin/services` → `{services: AdminServiceEntry[]}` (admins: all; owners: theirs).
 * `GET /api/admin/services/{id}` → `AdminService`, header `ETag`.
 * `PUT /api/admin/services/{id}` (`If-Match`) with a ServiceConfig → `AdminService` and its new ETag.
 *   Owners may change `members`, `openingHours`, `im.interact` and `im.distribution` only.
 * `POST /api/admin/services` (admins) with a ServiceConfig → 201 `AdminService`.
 * `DELETE /api/admin/services/{id}` (admins; `If-Match`) → 204; 409 `service_busy` while it has open chats.
 */
export interface AdminService {
  service: ServiceConfig;
  etag: string;
  revision: number;
}

export interface AdminServiceEntry {
  id: string;
  name: string;
  imEnabled: boolean;
  channels: ('interact' | 'whatsapp' | 'sms')[];
  members: number;
  /** What the caller may change: `all` (admins) or `owner` (members, hours, Interact, distribution). */
  access: 'all' | 'owner';
}

/** One entry of `GET /api/admin/users` → `{users: AdminUserEntry[]}` (admins and owners: to pick members by name). */
export interface AdminUserEntry {
  id: string;
  upn: string;
  displayName: string;
  licenses: ('im' | 'interactUser')[];
}

/** One entry of `GET /api/admin/audit?before=&limit=` → `{entries: AuditEntry[], next?: number}` (admins). */
export interface AuditEntry {
  id: number;
  /** ISO 8601. */
  at: string;
  /** Who: a user id, `file` (STRATUS_CONFIG import) or `system`. */
  actor: string;
  actorName?: string;
  /** `config.import`, `config.update`, `service.create`, `service.update`, `service.delete`, `config.refused`, `twilio.test`, … */
  action: string;
  /** What it touched: `tenant`, `service:support`, … */
  target: string;
  revision?: number;
  /** The difference; secrets appear as `"(changed)"`, never in clear. */
  changes: AuditChange[];
  /** A short human summary ("services[1].name changed", "3 problems"). */
  summary: string;
}

export interface AuditChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

/** `GET /api/admin/directory/users?q=` (admins and owners) → `{users: DirectoryUser[]}`; 503 `directory_unavailable` with why. */
export interface DirectoryUser {
  /** Entra ID object id. */
  id: string;
  upn: string;
  displayName: string;
  mail?: string;
}

/**
 * `POST /api/admin/twilio/test` (admins) with `{accountSid?, authToken?, region?}` (absent: the
 * stored connector) → `{ok: true, friendlyName}` or `{ok: false, problem}` saying what failed.
 */
export type TwilioTestResult = { ok: true; friendlyName: string } | { ok: false; problem: string };

/**
 * The admin API (`/api/admin/*`, shared/contract/admin.ts) as the Admin page uses it: JSON with
 * `{error:{code,message,details}}` errors, a bearer token, and ETags for every write.
 */
import type {
  AdminConfigSaved,
  AdminMe,
  AdminService,
  AdminServiceEntry,
  AuditEntry,
  ConfigProblem,
  DirectoryUser,
  TwilioTestResult,
} from '@stratus/shared/contract/admin';
import type { ServiceConfig, TenantConfig, TwilioConnector } from '@stratus/shared/tenant/model';

/** One member in `POST /api/admin/teams/install`'s answer (bot/admin/admin-actions.ts). */
export interface TeamsInstallResult {
  userId: string;
  upn: string;
  status: 'installed' | 'alreadyInstalled' | 'failed' | 'skipped';
  /** Why it failed or was skipped, in words an admin can act on. */
  reason?: string;
}

/** A refused or failed request; `problems` are the 400 `invalid_config` details (or a 403's path). */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: ConfigProblem[] = [],
  ) {
    super(message);
  }
}

/** A resource with the ETag to send back in `If-Match`. */
export interface Tagged<T> {
  value: T;
  etag: string;
}

interface Answer {
  data: unknown;
  etag: string | undefined;
  text: string;
}

/** 400 details are `[{path, message}]`; a 403 from an owner's forbidden edit carries `{path}`. */
function problemsOf(details: unknown, message: string): ConfigProblem[] {
  if (Array.isArray(details))
    return details.filter((d): d is ConfigProblem => typeof d?.path === 'string' && typeof d?.message === 'string');
  const path = (details as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? [{ path, message }] : [];
}

export class AdminApi {
  constructor(
    private readonly token: () => Promise<string>,
    private readonly base = '',
  ) {}

  private async send(method: string, path: string, body?: unknown, ifMatch?: string): Promise<Answer> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: {
          authorization: `Bearer ${await this.token()}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(ifMatch ? { 'if-match': ifMatch } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new AdminApiError(0, 'network', 'Stratus cannot be reached. Check your connection.');
    }
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (!res.ok) {
      const e = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      const message = e?.message ?? `Stratus answered ${res.status}.`;
      throw new AdminApiError(res.status, e?.code ?? 'http_error', message, problemsOf(e?.details, message));
    }
    return { data, etag: res.headers?.get('etag') ?? undefined, text };
  }

  private async json<T>(method: string, path: string, body?: unknown, ifMatch?: string): Promise<T> {
    return (await this.send(method, path, body, ifMatch)).data as T;
  }

  me = () => this.json<AdminMe>('GET', '/api/admin/me');

  config = async (): Promise<Tagged<TenantConfig>> => {
    const a = await this.send('GET', '/api/admin/config');
    const config = a.data as TenantConfig;
    return { value: config, etag: a.etag ?? '' };
  };

  /** Saves the whole tenant (admins). The new ETag is the revision's. */
  saveConfig = async (config: TenantConfig, etag: string): Promise<Tagged<TenantConfig>> => {
    const a = await this.send('PUT', '/api/admin/config', config, etag);
    const saved = a.data as AdminConfigSaved;
    return { value: saved.config, etag: a.etag ?? `"r${saved.revision}"` };
  };

  /** The export file's text, as the server names it (`{tenants:[TenantConfig]}`). */
  exportConfig = async (): Promise<string> => (await this.send('GET', '/api/admin/config/export')).text;

  services = () => this.json<{ services: AdminServiceEntry[] }>('GET', '/api/admin/services').then((r) => r.services);

  service = async (id: string): Promise<Tagged<ServiceConfig>> => {
    const a = await this.send('GET', `/api/admin/services/${encodeURIComponent(id)}`);
    const s = a.data as AdminService;
    return { value: s.service, etag: a.etag ?? s.etag };
  };

  /** Saves one service (owners: members, hours, Interact and distribution only). */
  saveService = async (service: ServiceConfig, etag: string): Promise<Tagged<ServiceConfig>> => {
    const a = await this.send('PUT', `/api/admin/services/${encodeURIComponent(service.id)}`, service, etag);
    const s = a.data as AdminService;
    return { value: s.service, etag: a.etag ?? s.etag };
  };

  directory = (q: string) =>
    this.json<{ users: DirectoryUser[] }>('GET', `/api/admin/directory/users?q=${encodeURIComponent(q)}`).then((r) => r.users);

  audit = (before?: number, limit = 25) =>
    this.json<{ entries: AuditEntry[]; next?: number }>(
      'GET',
      `/api/admin/audit?limit=${limit}${before !== undefined ? `&before=${encodeURIComponent(String(before))}` : ''}`,
    );

  /** Absent fields: the stored connector's. */
  twilioTest = (body: Partial<TwilioConnector>) => this.json<TwilioTestResult>('POST', '/api/admin/twilio/test', body);

  /**
   * Installs the Teams app now for the tenant's licensed service members who lack it, with the saved
   * settings: 503 `unavailable` without Graph, 409 `invalid_config` when the tenant cannot be installed for.
   */
  teamsInstall = () => this.json<{ results: TeamsInstallResult[] }>('POST', '/api/admin/teams/install').then((r) => r.results);
}

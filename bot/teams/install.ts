/**
 * Installs the Teams app for every licensed service member through Microsoft Graph, so that the
 * first offer reaches an agent who never opened the bot. For each user with the IM license who is
 * a member of an IM-enabled service, has an Entra object id and no bot installation yet:
 * `POST /users/{id}/teamwork/installedApps` (409: installed already), then the installation
 * (`$filter=teamsApp/id eq …`) and its chat (`…/installedApps/{id}/chat`), whose id the Bot
 * Connector accepts as the conversation of a proactive send. The conversation reference saved from
 * it is overwritten by the real one when Teams sends its `installationUpdate` (either reaches the chat).
 *
 * One instance at a time runs it (a lease in `settings`, renewed per user), at start, every few
 * minutes, and soon after a `config` event for the tenant; calls are sequential (Graph throttles
 * per tenant and app), a 429 pauses the tenant for its Retry-After, a failure Graph will repeat
 * (403, 404, no Teams license) is tried again at most hourly, and one Graph that hangs or answers
 * garbage costs one deadline per round: the tenant's round stops at the first failure that is
 * not about one user. What could not be done is written to the admin audit, once per user and reason.
 */
import { randomUUID } from 'node:crypto';
import type { TenantConfig, UserConfig } from '@stratus/shared/tenant/model';
import type { TeamsInstallResult } from '../admin/admin-actions';
import { liveSubscriber } from '../events/subscribers';
import type { Runtime } from '../runtime/runtime';
import { deleteSetting, settingsWithPrefix, takeLease, writeSetting } from '../store/settings';
import { botInstallation, installedUserIds, saveBotInstallation } from '../store/teams';
import { appendAudit } from '../store/tenants';
import { BoundedMap } from '../util/bounded-map';
import { errorMessage } from '../util/log';
import { Periodic } from '../util/periodic';
import type { InstalledAgents } from './relay-queue';

/** The Graph calls an installation takes (GraphApi; the stand-in behind it in tests). */
export interface TeamsAppGraph {
  catalogAppId(entraTenantId: string, manifestId: string): Promise<string | undefined>;
  installAppForUser(entraTenantId: string, userObjectId: string, catalogAppId: string): Promise<'installed' | 'alreadyInstalled'>;
  findUserInstallation(entraTenantId: string, userObjectId: string, catalogAppId: string): Promise<string | undefined>;
  installationChatId(entraTenantId: string, userObjectId: string, installationId: string): Promise<string>;
}

/** What happened for one user (`POST /api/admin/teams/install` answers these). */
export type InstallResult = TeamsInstallResult;

export interface TeamsInstallerOptions {
  /** The manifest's id (TEAMS_APP_ID): Graph's `externalId` of an org-catalog app. */
  manifestId?: string;
  /** The catalog id (TEAMS_APP_CATALOG_ID), for every tenant; unset, looked up per tenant from the manifest id. */
  catalogId?: string;
  /** The Bot Connector endpoint written into the saved reference (TEAMS_SERVICE_URL). */
  serviceUrl: string;
  /** The bot's app id (BOT_ID), the reference's `bot`. */
  botAppId?: string;
  /** Between two rounds of a tenant (default 5 minutes). */
  periodMs?: number;
  /** How often the instance looks for a tenant whose round is due (default 5 s). */
  tickMs?: number;
  /** After a `config` event, the wait before the tenant's round (the new revision loads meanwhile; default 2 s). */
  afterConfigMs?: number;
  /** A user who failed for a reason Graph will repeat is tried again after this (default an hour). */
  permanentRetryMs?: number;
}

const LEASE_KEY = 'teams_install_lease';
const LEASE_MS = 120_000;
/** The catalog id found for a tenant serves this long. */
const CATALOG_TTL_MS = 3_600_000;
const stateKey = (tenantId: string, userId: string) => `teams_install:${tenantId}:${userId}`;

/** Why a user could not be reached; `kind` is what the audit compares, `reason` what it says. */
interface Failure {
  kind: string;
  reason: string;
  /** Graph will answer the same until someone changes something: tried again hourly. */
  permanent: boolean;
  /** Not about this user: the tenant's round stops (`throttled`: until Retry-After). */
  tenantWide?: 'throttled' | 'stop';
  retryAfterSec?: number;
}

/** What is remembered of a user's last failure (a setting, so every instance and a restart know it). */
interface StoredFailure {
  kind: string;
  reason: string;
  /** The object id it was about: a corrected id is tried at once. */
  oid: string;
  at: number;
}

/** The step a Graph failure happened in: a 404 means another thing in each. */
type Step = 'catalog' | 'install' | 'find' | 'chat';

class StepError extends Error {
  constructor(
    readonly step: Step,
    readonly failure: unknown,
  ) {
    super(errorMessage(failure));
  }
}

export class TeamsInstaller {
  private readonly periodic: Periodic;
  private readonly holder = randomUUID();
  private readonly periodMs: number;
  private readonly afterConfigMs: number;
  private readonly permanentRetryMs: number;
  /** When each tenant's next round is due on this instance (absent: now). */
  private readonly dueAt = new Map<string, number>();
  /** Graph asked us to wait (429): no call for that tenant before this time. */
  private readonly pausedUntil = new Map<string, number>();
  private readonly catalogIds = new BoundedMap<string, { id: string; at: number }>(10_000);
  /** One round per tenant at a time on this instance (the admin route waits for a periodic one). */
  private readonly running = new Map<string, Promise<unknown>>();
  private first?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly rt: Runtime,
    private readonly graph: TeamsAppGraph,
    private readonly installed: InstalledAgents,
    private readonly opts: TeamsInstallerOptions,
  ) {
    this.periodMs = opts.periodMs ?? 300_000;
    this.afterConfigMs = opts.afterConfigMs ?? 2000;
    this.permanentRetryMs = opts.permanentRetryMs ?? 3_600_000;
    this.periodic = new Periodic('Teams app installation', rt.log, opts.tickMs ?? 5000, () => this.tick());
  }

  /** A `config` event: the tenant's members may have changed, so its round comes soon. */
  readonly subscriber = liveSubscriber('teams-install', {
    config: (e) => {
      this.dueAt.set(e.tenantId, Math.min(this.dueAt.get(e.tenantId) ?? 0, this.rt.clock.now() + this.afterConfigMs));
    },
  });

  start(): void {
    this.periodic.start();
    // At start, not a tick later.
    this.first = this.tick().catch((e: unknown) => this.rt.log.warn('Teams app installation failed', { error: errorMessage(e) }));
  }

  async stop(): Promise<void> {
    // A round of many users must not hold the shutdown: it stops before its next user.
    this.stopped = true;
    await this.periodic.stop();
    await this.first;
  }

  /** Runs the round of every tenant that is due, if this instance holds the lease. */
  async tick(): Promise<void> {
    const now = this.rt.clock.now();
    const due = this.rt.tenants.tenants.filter(
      (t) => t.entraTenantId && t.teams?.installForMembers !== false && (this.dueAt.get(t.id) ?? 0) <= now && !this.running.has(t.id),
    );
    if (due.length === 0) return;
    const lease = () => takeLease(this.rt.store.db, LEASE_KEY, this.holder, this.rt.clock.now(), LEASE_MS);
    if (!(await lease())) {
      // Another instance holds the lease and runs these rounds (it saw the same config events).
      for (const t of due) this.dueAt.set(t.id, now + this.periodMs);
      return;
    }
    for (const t of due) {
      this.dueAt.set(t.id, this.rt.clock.now() + this.periodMs);
      await this.exclusive(t.id, () => this.runTenant(t, false, lease));
    }
  }

  /**
   * Runs the tenant's round now (the admin route): failures Graph would repeat are tried again
   * rather than waited out, a 429's pause is still honoured. The caller checks the tenant may be
   * installed for (an Entra tenant id, the option on); an unknown tenant answers nothing.
   */
  async installNow(tenantId: string): Promise<InstallResult[]> {
    const tenant = this.rt.tenants.tenant(tenantId);
    if (!tenant) return [];
    return this.exclusive(tenantId, () => this.runTenant(tenant, true));
  }

  private async exclusive<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    for (let busy = this.running.get(tenantId); busy; busy = this.running.get(tenantId)) await busy.catch(() => undefined);
    const p = fn();
    this.running.set(tenantId, p);
    try {
      return await p;
    } finally {
      this.running.delete(tenantId);
    }
  }

  /** One tenant's round; `renew` keeps the lease while it runs (false: another instance took it, stop). */
  private async runTenant(tenant: TenantConfig, force: boolean, renew?: () => Promise<boolean>): Promise<InstallResult[]> {
    const entraTenantId = tenant.entraTenantId;
    if (!entraTenantId) return [];
    const members = candidates(tenant);
    if (members.length === 0) return [];
    const db = this.rt.store.db;
    const installedIds = new Set(await installedUserIds(db, tenant.id));
    const prefix = stateKey(tenant.id, '');
    const stored = new Map([...(await settingsWithPrefix(db, prefix))].map(([k, v]) => [k.slice(prefix.length), parseStored(v)] as const));
    const results: InstallResult[] = [];
    let halted: Failure | undefined;
    let catalogAppId: string | undefined;
    for (const user of members) {
      const result = (status: InstallResult['status'], reason?: string) =>
        results.push({ userId: user.id, upn: user.upn, status, ...(reason ? { reason } : {}) });
      if (installedIds.has(user.id)) {
        // Installed since a failure (by hand, or Teams' own event): the failure is past.
        if (stored.has(user.id)) await deleteSetting(db, stateKey(tenant.id, user.id));
        result('alreadyInstalled');
        continue;
      }
      const oid = user.entraObjectId;
      if (!oid) {
        const f: Failure = { kind: 'noObjectId', reason: 'no Entra object id configured', permanent: true };
        await this.recordFailure(tenant.id, user, '', f, stored.get(user.id));
        result('failed', f.reason);
        continue;
      }
      if (halted) {
        result(halted.tenantWide === 'throttled' ? 'skipped' : 'failed', halted.reason);
        continue;
      }
      const paused = (this.pausedUntil.get(tenant.id) ?? 0) - this.rt.clock.now();
      if (paused > 0) {
        result('skipped', `Graph is throttling: retry in ${Math.ceil(paused / 1000)} s`);
        continue;
      }
      const last = stored.get(user.id);
      if (!force && last && last.oid === oid && this.rt.clock.now() - last.at < this.permanentRetryMs) {
        result('skipped', last.reason);
        continue;
      }
      if (this.stopped || (renew && !(await renew()))) break;
      try {
        catalogAppId ??= await this.catalogAppId(tenant.id, entraTenantId);
        const how = await this.installOne(tenant, entraTenantId, user, oid, catalogAppId);
        if (last) await deleteSetting(db, stateKey(tenant.id, user.id));
        await this.audit(tenant.id, user, 'teams.install', how === 'installed' ? 'installed' : 'found installed already', {
          userId: user.id,
          upn: user.upn,
          status: how,
        });
        result(how);
      } catch (e) {
        const f = classify(e);
        if (f.tenantWide) {
          halted = f;
          if (f.retryAfterSec !== undefined || f.tenantWide === 'throttled')
            this.pausedUntil.set(tenant.id, this.rt.clock.now() + (f.retryAfterSec ?? 60) * 1000);
          this.rt.log.warn('Teams app installation paused for the tenant', { tenant: tenant.id, reason: f.reason });
        } else if (f.permanent) {
          await this.recordFailure(tenant.id, user, oid, f, last);
        } else {
          this.rt.log.warn('Teams app installation failed; tried again next round', { tenant: tenant.id, user: user.id, reason: f.reason });
        }
        result(f.tenantWide === 'throttled' ? 'skipped' : 'failed', f.reason);
      }
    }
    return results;
  }

  /** The app's catalog id in the tenant: configured, found by the manifest id, or (a store app) the manifest id itself. */
  private async catalogAppId(tenantId: string, entraTenantId: string): Promise<string> {
    if (this.opts.catalogId) return this.opts.catalogId;
    const manifestId = this.opts.manifestId;
    if (!manifestId) throw new StepError('catalog', new Error('neither TEAMS_APP_ID nor TEAMS_APP_CATALOG_ID is set'));
    const hit = this.catalogIds.get(tenantId);
    if (hit && this.rt.clock.now() - hit.at < CATALOG_TTL_MS) return hit.id;
    let id: string | undefined;
    try {
      id = await this.graph.catalogAppId(entraTenantId, manifestId);
    } catch (e) {
      throw new StepError('catalog', e);
    }
    const found = id ?? manifestId;
    this.catalogIds.set(tenantId, { id: found, at: this.rt.clock.now() });
    return found;
  }

  /** Installs for one user and saves the chat as their bot installation; answers how it went. */
  private async installOne(
    tenant: TenantConfig,
    entraTenantId: string,
    user: UserConfig,
    oid: string,
    catalogAppId: string,
  ): Promise<'installed' | 'alreadyInstalled'> {
    const step = async <T>(s: Step, fn: () => Promise<T>): Promise<T> => {
      try {
        return await fn();
      } catch (e) {
        throw new StepError(s, e);
      }
    };
    const how = await step('install', () => this.graph.installAppForUser(entraTenantId, oid, catalogAppId));
    const installationId = await step('find', () => this.graph.findUserInstallation(entraTenantId, oid, catalogAppId));
    if (!installationId) throw new StepError('find', new Error('Graph did not list the installation it reported'));
    const chatId = await step('chat', () => this.graph.installationChatId(entraTenantId, oid, installationId));
    const db = this.rt.store.db;
    // Teams' own installationUpdate may have arrived meanwhile: its reference is the better one.
    if (!(await botInstallation(db, tenant.id, user.id)))
      await saveBotInstallation(db, tenant.id, user.id, this.reference(chatId, entraTenantId, user, oid), this.rt.clock.now());
    this.installed.forget(tenant.id);
    return how;
  }

  /** A conversation reference for the proactive sender, as Teams' own would be for this chat. */
  private reference(chatId: string, entraTenantId: string, user: UserConfig, oid: string): Record<string, unknown> {
    return {
      channelId: 'msteams',
      serviceUrl: this.opts.serviceUrl,
      conversation: { id: chatId, conversationType: 'personal', tenantId: entraTenantId, isGroup: false },
      bot: { id: `28:${this.opts.botAppId ?? ''}`, name: 'Stratus' },
      // Teams' 29: user id is not known before the user's first activity; the chat id is what a send needs.
      user: { id: oid, aadObjectId: oid, name: user.displayName },
    };
  }

  /** Remembers a failure Graph will repeat and audits it when its kind is new for the user. */
  private async recordFailure(tenantId: string, user: UserConfig, oid: string, f: Failure, last: StoredFailure | undefined): Promise<void> {
    if (last && last.kind === f.kind && last.oid === oid && this.rt.clock.now() - last.at < this.permanentRetryMs) return;
    const db = this.rt.store.db;
    await writeSetting(db, stateKey(tenantId, user.id), JSON.stringify({ kind: f.kind, reason: f.reason, oid, at: this.rt.clock.now() }));
    if (last?.kind === f.kind && last.oid === oid) return;
    await this.audit(tenantId, user, 'teams.install.failed', f.reason, { userId: user.id, upn: user.upn, reason: f.reason });
  }

  private async audit(tenantId: string, user: UserConfig, action: string, what: string, detail: Record<string, string>): Promise<void> {
    await appendAudit(this.rt.store.db, {
      tenantId,
      at: this.rt.clock.now(),
      actor: 'system',
      actorName: null,
      action,
      target: `user:${user.id}`,
      revision: null,
      summary: `${user.upn}: ${what}`.slice(0, 500),
      changes: [{ path: 'teams.install', after: detail }],
    });
  }
}

/** Users of the tenant with the IM license who are members of an IM-enabled service. */
export function candidates(tenant: TenantConfig): UserConfig[] {
  const members = new Set(tenant.services.filter((s) => s.im.enabled).flatMap((s) => s.members.map((m) => m.userId)));
  return tenant.users.filter((u) => u.licenses.includes('im') && members.has(u.id));
}

function parseStored(v: string): StoredFailure | undefined {
  try {
    const x = JSON.parse(v) as Partial<StoredFailure>;
    return typeof x.kind === 'string' && typeof x.reason === 'string' && typeof x.oid === 'string' && typeof x.at === 'number'
      ? (x as StoredFailure)
      : undefined;
  } catch (e) {
    // A row another version wrote: treated as no failure known, and overwritten by the next one.
    return undefined;
  }
}

const LICENSE = /licen[cs]e/i;

/** What a failed step means for the user and for the tenant's round. */
export function classify(e: unknown): Failure {
  const step = e instanceof StepError ? e.step : 'install';
  const g = (e instanceof StepError ? e.failure : e) as {
    status?: unknown;
    code?: unknown;
    graphMessage?: unknown;
    retryAfterSec?: unknown;
  };
  const status = typeof g?.status === 'number' ? g.status : undefined;
  const code = typeof g?.code === 'string' ? ` ${g.code}` : '';
  const said = typeof g?.graphMessage === 'string' && g.graphMessage ? g.graphMessage : undefined;
  const retryAfterSec = typeof g?.retryAfterSec === 'number' ? g.retryAfterSec : undefined;
  const why = errorMessage(e);
  if (status === 429)
    return {
      kind: 'throttled',
      reason: `Graph is throttling: retry in ${retryAfterSec ?? 60} s`,
      permanent: false,
      tenantWide: 'throttled',
      ...(retryAfterSec !== undefined ? { retryAfterSec } : {}),
    };
  // No answer at all (token refused, unreachable, deadline passed, an answer that is not JSON), or the app's credentials: every user would fail alike.
  if (status === undefined || status === 401)
    return { kind: 'graph', reason: `Graph could not be used: ${why}`, permanent: false, tenantWide: 'stop' };
  if (status >= 500) return { kind: 'unavailable', reason: `Graph is unavailable (${status}${code})`, permanent: false };
  if (said && LICENSE.test(said)) return { kind: 'noTeamsLicense', reason: `user has no Teams license (Graph: ${said})`, permanent: true };
  if (step === 'catalog')
    return status === 403
      ? {
          kind: 'catalogForbidden',
          reason: `Graph refused to look the app up in the org catalog: the app needs AppCatalog.Read.All (or set TEAMS_APP_CATALOG_ID) (403${code})`,
          permanent: false,
          tenantWide: 'stop',
        }
      : {
          kind: `catalog${status}`,
          reason: `the app could not be looked up in the org catalog (${status}${code})`,
          permanent: false,
          tenantWide: 'stop',
        };
  if (step === 'chat' && status === 404) return { kind: 'chatNotReady', reason: 'the bot chat is not ready yet', permanent: false };
  if (status === 403)
    return {
      kind: 'forbidden',
      reason: `Graph refused: the app needs TeamsAppInstallation.ReadWriteSelfForUser.All (or TeamsAppInstallation.ReadWriteForUser.All) (403${code})`,
      permanent: true,
    };
  if (status === 404)
    return { kind: 'notFound', reason: `user not found in Entra (404${code})${said ? `: ${said}` : ''}`, permanent: true };
  return {
    kind: `graph${status}${code}`,
    reason: `Graph refused the installation (${status}${code})${said ? `: ${said}` : ''}`,
    permanent: true,
  };
}

/**
 * Writing a tenant's configuration: the one path for the file import and the admin API. A
 * document is validated by the shared domain (every problem by its path), checked against the
 * other tenants' codes, senders and ids, stored as the next revision with its secrets sealed,
 * audited with its difference, and announced by a `config` event so every instance runs it
 * (tenants/live.ts). A document that fails changes nothing: the previous revision stays live.
 */
import type { AuditChange, ConfigProblem } from '@stratus/shared/contract/admin';
import { events } from '@stratus/shared/contract/events';
import { summarizeChanges, tenantChanges } from '@stratus/shared/tenant/diff';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { parseTenant } from '@stratus/shared/tenant/validate';
import { inTx, type Uow } from '../runtime/uow';
import type { Runtime } from '../runtime/runtime';
import type { Tx } from '../store/db';
import {
  appendAudit,
  deleteAgentsNotIn,
  importActiveFlag,
  importAgent,
  lockConfigWrites,
  rememberSourceHash,
  storedTenant,
  storedTenants,
  writeRevision,
} from '../store/tenants';
import { knownSecretProblemsOf } from '../tenants/known-secrets';
import { claimConflicts } from '../tenants/registry';
import { fingerprintSecrets, isSecretPath, keepStoredSecrets, openTenant, sealTenant } from '../tenants/secrets';

export interface RevisionRequest {
  /** The tenant the document must be (the API: the caller's; the import: the document's own id). */
  tenantId: string;
  /**
   * The document as given: raw JSON, secrets possibly left out (the stored ones are kept); or a
   * function making it from the live configuration, run under the config lock (a service edit
   * replaces one service of what is live at that moment; it may throw an AppError: 404, 412).
   */
  raw: unknown | ((live: TenantConfig | undefined) => unknown);
  /** The revision the writer saw (If-Match); absent: write over whatever is live (the file import). */
  expectRevision?: number;
  source: 'import' | 'api';
  actor: string;
  actorName?: string;
  /** Audit wording: `config.update`, `service.update`, … and what it touched (`tenant`, `service:billing`). */
  action: string;
  target: string;
  /** The file's hash of this tenant (imports only): an unchanged file is not imported again. */
  sourceHash?: string;
  /** Checks only the caller may make (an owner's fields), given the live and the new document. */
  authorize?: (before: TenantConfig | undefined, after: TenantConfig) => void;
}

export type RevisionResult =
  | { ok: true; revision: number; config: TenantConfig; changes: AuditChange[]; changed: boolean }
  | { ok: false; reason: 'invalid'; problems: ConfigProblem[] }
  | { ok: false; reason: 'stale'; revision: number };

/** Validates and writes the next revision of one tenant; applies it on this instance after commit. */
export async function writeTenantRevision(rt: Runtime, req: RevisionRequest): Promise<RevisionResult> {
  const result = await inTx(rt, (u) => writeInTx(u, req));
  if (result.ok && result.changed) applyRevision(rt, result.config, result.revision);
  return result;
}

/** Runs a revision on this instance: lookups, availability and a distribution pass. */
export function applyRevision(rt: Runtime, config: TenantConfig, revision: number): void {
  if (!rt.tenants.put(config, revision)) return;
  rt.availability.forget(config.id);
  rt.requestDistribution(config.id);
}

async function writeInTx(u: Uow, req: RevisionRequest): Promise<RevisionResult> {
  const { tx, rt } = u;
  await lockConfigWrites(tx);
  const live = await storedTenant(tx, req.tenantId);
  const liveRevision = live?.revision ?? 0;
  if (req.expectRevision !== undefined && req.expectRevision !== liveRevision)
    return { ok: false, reason: 'stale', revision: liveRevision };
  const before = live && openTenant(rt.secrets, live.config);
  const raw = typeof req.raw === 'function' ? (req.raw as (l: TenantConfig | undefined) => unknown)(before) : req.raw;
  const parsed = parseTenant(keepStoredSecrets(raw, before));
  if (!parsed.ok) return { ok: false, reason: 'invalid', problems: parsed.problems };
  // As it will be stored (JSON has no `undefined`), so comparing with the live one means what it says.
  const next = JSON.parse(JSON.stringify(parsed.tenant)) as TenantConfig;
  if (next.id !== req.tenantId)
    return {
      ok: false,
      reason: 'invalid',
      problems: [{ path: 'id', message: `must stay "${req.tenantId}": a tenant's id cannot change` }],
    };
  const others = (await storedTenants(tx)).filter((t) => t.id !== next.id).map((t) => t.config);
  const problems = [...claimConflicts(next, others), ...(rt.config.devMode ? [] : knownSecretProblemsOf(next))];
  if (problems.length) return { ok: false, reason: 'invalid', problems };
  req.authorize?.(before, next);
  const changes = tenantChanges(before && fingerprintSecrets(before), fingerprintSecrets(next), isSecretPath);
  if (before && changes.length === 0) {
    // Nothing to write; an import still remembers the file's hash so it is not parsed again.
    if (req.sourceHash && live && live.sourceHash !== req.sourceHash) await rememberSourceHash(tx, live.id, req.sourceHash);
    return { ok: true, revision: liveRevision, config: before, changes: [], changed: false };
  }
  const revision = liveRevision + 1;
  await writeRevision(tx, {
    config: sealTenant(rt.secrets, next),
    revision,
    source: req.source,
    actor: req.actor,
    ...(req.sourceHash ? { sourceHash: req.sourceHash } : {}),
    now: u.now,
  });
  await syncAgentRows(tx, next, before, u.now);
  await appendAudit(tx, {
    tenantId: next.id,
    at: u.now,
    actor: req.actor,
    actorName: req.actorName ?? null,
    action: req.action,
    target: req.target,
    revision,
    summary: before ? summarizeChanges(changes) : `revision ${revision}: first configuration`,
    changes: before ? changes : [],
  });
  u.emit(events.config(next.id, revision));
  return { ok: true, revision, config: next, changes, changed: true };
}

/**
 * Agent rows and Active flags for a configuration: a new user gets a row from the document; for
 * an existing one, each run-time field (presence, blocking call, duty, Active) the document
 * changed since the previous revision overwrites the run-time value, the others stay as the
 * agents set them. Users no longer in the tenant lose their row.
 */
async function syncAgentRows(tx: Tx, t: TenantConfig, before: TenantConfig | undefined, now: number): Promise<void> {
  for (const user of t.users) {
    const was = before?.users.find((x) => x.id === user.id);
    const row = { presence: user.presence, inBlockingCall: user.inBlockingCall ?? false, onDuty: user.onDuty };
    // Without a previous revision of this user, the document is all there is to go by.
    const changed = was
      ? {
          ...(was.presence !== user.presence ? { presence: row.presence } : {}),
          ...((was.inBlockingCall ?? false) !== row.inBlockingCall ? { inBlockingCall: row.inBlockingCall } : {}),
          ...(was.onDuty !== user.onDuty ? { onDuty: row.onDuty } : {}),
        }
      : row;
    await importAgent(tx, t.id, user.id, row, changed, now);
  }
  await deleteAgentsNotIn(
    tx,
    t.id,
    t.users.map((x) => x.id),
  );
  for (const s of t.services) {
    const membersBefore = before?.services.find((x) => x.id === s.id)?.members;
    for (const m of s.members) {
      const was = membersBefore?.find((x) => x.userId === m.userId);
      await importActiveFlag(tx, t.id, m.userId, s.id, m.active, !was || was.active !== m.active);
    }
  }
}

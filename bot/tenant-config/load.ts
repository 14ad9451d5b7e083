/**
 * The tenant file (STRATUS_CONFIG) or the demo tenant, imported at start as revisions: one more
 * way to write a tenant's configuration (tenants/revisions.ts), never over a change made through
 * the admin API unless the file itself changed. Each tenant stands alone: a tenant whose entry is
 * invalid, or claims another tenant's code, is reported (and keeps its previous revision) while
 * the others import and run.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { ConfigProblem } from '@stratus/shared/contract/admin';
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { Runtime } from '../runtime/runtime';
import { appendAudit, storedTenant } from '../store/tenants';
import { errorMessage } from '../util/log';
import { writeTenantRevision } from './revisions';

/** The start cannot go on: the file is unreadable, or no tenant can run at all. */
export class TenantConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid tenant configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** The tenants to import: each entry as raw JSON (validated per tenant when written). */
export interface TenantSource {
  entries: unknown[];
  /** The built-in demo tenant (no STRATUS_CONFIG): imported once, never over a stored one. */
  demo: boolean;
  /** For messages: the file's path, or "the demo tenant". */
  name: string;
}

/** Reads `{tenants:[...]}` (or a single tenant object) from the file, or the demo tenant. */
export function readTenantSource(path: string | undefined): TenantSource {
  if (!path) return { entries: [demoTenant()], demo: true, name: 'the demo tenant' };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new TenantConfigError([`${path}: ${e instanceof Error ? e.message : String(e)}`]);
  }
  return { entries: tenantEntries(json), demo: false, name: path };
}

/** The tenant entries of a file: its `tenants` list, or the file itself as one tenant. */
export function tenantEntries(json: unknown): unknown[] {
  return json && typeof json === 'object' && Array.isArray((json as { tenants?: unknown }).tenants)
    ? (json as { tenants: unknown[] }).tenants
    : [json];
}

/** What an import did, tenant by tenant. */
export interface ImportReport {
  imported: string[];
  unchanged: string[];
  /** Problems as `tenants[i].path: message`, for the log and the exit message. */
  problems: string[];
  /** Ids of tenants whose entry was refused. */
  refused: string[];
}

/**
 * Imports each entry as its tenant's next revision. Skipped: an entry whose hash is the one last
 * imported for that tenant, and the demo tenant once it exists. Refused entries are reported and
 * audited on their tenant; nothing else is held up by them.
 */
export async function importTenants(rt: Runtime, source: TenantSource): Promise<ImportReport> {
  const report: ImportReport = { imported: [], unchanged: [], problems: [], refused: [] };
  const seen = new Set<string>();
  for (const [i, raw] of source.entries.entries()) {
    const at = source.demo ? '' : `tenants[${i}].`;
    const id = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
    if (typeof id !== 'string' || !id) {
      report.problems.push(`${at}id: is required (the entry is skipped)`);
      continue;
    }
    if (seen.has(id)) {
      report.problems.push(`${at}id: duplicate tenant id "${id}" (the later entry is skipped)`);
      report.refused.push(id);
      continue;
    }
    seen.add(id);
    const hash = createHash('sha256').update(JSON.stringify(raw)).digest('hex');
    const stored = await storedTenant(rt.store.db, id);
    if (stored && (source.demo || stored.sourceHash === hash)) {
      report.unchanged.push(id);
      continue;
    }
    const r = await writeTenantRevision(rt, {
      tenantId: id,
      raw,
      source: 'import',
      actor: 'file',
      action: 'config.import',
      target: 'tenant',
      sourceHash: hash,
    });
    if (r.ok) (r.changed ? report.imported : report.unchanged).push(id);
    else {
      const problems: ConfigProblem[] =
        r.reason === 'invalid' ? r.problems : [{ path: '', message: `revision ${r.revision} changed during the import` }];
      report.refused.push(id);
      report.problems.push(...problems.map((p) => `${at}${p.path ? `${p.path}: ` : ''}${p.message} (tenant "${id}" is refused)`));
      await recordRefusal(rt, id, source.name, problems);
    }
  }
  return report;
}

/** The tenant's admins read in their audit log that the file's import was refused, and why. */
async function recordRefusal(rt: Runtime, tenantId: string, file: string, problems: ConfigProblem[]): Promise<void> {
  try {
    await appendAudit(rt.store.db, {
      tenantId,
      at: rt.clock.now(),
      actor: 'file',
      actorName: null,
      action: 'config.refused',
      target: 'tenant',
      revision: null,
      summary: `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; the previous configuration stays live`,
      changes: problems.map((p) => ({ path: p.path, after: p.message })),
    });
  } catch (e) {
    rt.log.warn('could not audit a refused import', { tenant: tenantId, error: errorMessage(e) });
  }
}

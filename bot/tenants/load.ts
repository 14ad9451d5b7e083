/**
 * Loads the tenant configuration file (or the demo tenant) and imports it into the store:
 * idempotent, so restarting with the same file changes nothing, and run-time agent state
 * (duty, Active flags, RONA) survives restarts; a field the file changed takes effect.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parseTenant } from '@stratus/shared/tenant/validate';
import { DEMO_TWILIO_AUTH_TOKEN, demoTenant } from '@stratus/shared/tenant/demo';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { formatProblem } from '@stratus/shared/util/problems';
import type { Db } from '../store/db';
import { deleteAgentsNotIn, importActiveFlag, importAgent, importedTenantConfig, saveTenantConfig } from '../store/tenants';
import { tenantCollisions } from './registry';

export class TenantConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid tenant configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Reads `{tenants:[...]}` (or a single tenant object) from the file; every problem is reported. */
export function readTenantFile(path: string | undefined): TenantConfig[] {
  if (!path) return [demoTenant()];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new TenantConfigError([`${path}: ${e instanceof Error ? e.message : String(e)}`]);
  }
  return parseTenantList(json);
}

/**
 * Parses and validates a list of tenants; throws TenantConfigError listing every problem,
 * including codes, senders, Entra ids and UPNs that two tenants claim.
 */
export function parseTenantList(json: unknown): TenantConfig[] {
  const list: unknown[] =
    json && typeof json === 'object' && Array.isArray((json as { tenants?: unknown }).tenants)
      ? (json as { tenants: unknown[] }).tenants
      : [json];
  const problems: string[] = [];
  const out: TenantConfig[] = [];
  const positions: number[] = [];
  list.forEach((raw, i) => {
    const r = parseTenant(raw);
    if (r.ok) {
      out.push(r.tenant);
      positions.push(i);
    } else problems.push(...r.problems.map((p) => `tenants[${i}].${formatProblem(p)}`));
  });
  const ids = out.map((t) => t.id);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) problems.push(`tenants[${positions[i]}].id: duplicate tenant id "${id}"`);
  });
  problems.push(...tenantCollisions(out, positions));
  if (problems.length) throw new TenantConfigError(problems);
  return out;
}

/** Obvious placeholders people leave in a file; anything else must look like a Twilio auth token. */
const PLACEHOLDER = /changeme|change-me|placeholder|example|secret|password|dummy|^x+$|\$\{\{|<.*>|^0+$/i;
const TWILIO_AUTH_TOKEN = /^[0-9a-f]{32}$/i;

/**
 * Secrets everybody knows, refused outside dev mode: the demo tenant (published in the README)
 * and Twilio auth tokens that are placeholders or not a token at all (webhook signatures would
 * be forgeable with them).
 */
export function knownSecretProblems(list: readonly TenantConfig[], opts: { demo: boolean }): string[] {
  const problems: string[] = [];
  if (opts.demo)
    problems.push(
      'STRATUS_CONFIG is not set: the demo tenant (published users and Twilio token) runs only in dev mode; give a tenant file',
    );
  list.forEach((t, i) => {
    const token = t.twilio?.authToken;
    if (token === undefined) return;
    if (token === DEMO_TWILIO_AUTH_TOKEN || PLACEHOLDER.test(token))
      problems.push(`tenants[${i}].twilio.authToken: tenant "${t.id}" has a placeholder Twilio auth token; set the account's real token`);
    else if (!TWILIO_AUTH_TOKEN.test(token))
      problems.push(
        `tenants[${i}].twilio.authToken: tenant "${t.id}" has a malformed Twilio auth token (expected 32 hexadecimal characters)`,
      );
  });
  return problems;
}

/**
 * What must hold before a tenant list is run: no cross-tenant collisions, and outside dev mode
 * no known secrets. Throws TenantConfigError (main.ts exits with code 2).
 */
export function checkTenantsForStart(list: readonly TenantConfig[], opts: { devMode: boolean; demo: boolean }): void {
  const problems = [...tenantCollisions(list), ...(opts.devMode ? [] : knownSecretProblems(list, opts))];
  if (problems.length) throw new TenantConfigError(problems);
}

/**
 * Imports tenants into the store: config rows, agent rows and Active flags. An unchanged file is
 * skipped, so run-time changes (duty toggles, Active flags) survive a restart; in a changed file,
 * each agent field and Active flag the file changed since the last import overwrites the run-time
 * value, and the others are left as the agents set them.
 */
export async function importTenants(db: Db, list: TenantConfig[], now: number): Promise<void> {
  for (const t of list) {
    const hash = createHash('sha256').update(JSON.stringify(t)).digest('hex');
    await db.transaction(async (tx) => {
      const existing = await importedTenantConfig(tx, t.id);
      if (existing?.hash === hash) return;
      const before = existing?.config;
      await saveTenantConfig(tx, t, hash, now);
      for (const u of t.users) {
        const was = before?.users.find((x) => x.id === u.id);
        const row = { presence: u.presence, inBlockingCall: u.inBlockingCall ?? false, onDuty: u.onDuty };
        // Without a previous import of this user, the file is all there is to go by.
        const changed = was
          ? {
              ...(was.presence !== u.presence ? { presence: row.presence } : {}),
              ...((was.inBlockingCall ?? false) !== row.inBlockingCall ? { inBlockingCall: row.inBlockingCall } : {}),
              ...(was.onDuty !== u.onDuty ? { onDuty: row.onDuty } : {}),
            }
          : row;
        await importAgent(tx, t.id, u.id, row, changed, now);
      }
      const userIds = t.users.map((u) => u.id);
      await deleteAgentsNotIn(tx, t.id, userIds);
      for (const s of t.services) {
        const membersBefore = before?.services.find((x) => x.id === s.id)?.members;
        for (const m of s.members) {
          const was = membersBefore?.find((x) => x.userId === m.userId);
          await importActiveFlag(tx, t.id, m.userId, s.id, m.active, !was || was.active !== m.active);
        }
      }
    });
  }
}

/**
 * The admin API (`/api/admin/*`, shared/contract/admin.ts): tenant admins and service owners,
 * signed in like agents; every route is scoped to the caller's tenant. Documents are validated by
 * the shared domain (400 `invalid_config` with every problem by path), written with If-Match
 * (412 `stale`, 428 without it), audited, and applied live on every instance.
 */
import { z } from 'zod';
import type { AgentAuth, AgentPrincipal } from '../../agents/agent-auth';
import {
  adminMe,
  auditLog,
  createService,
  deleteService,
  exportConfig,
  getConfig,
  getService,
  installTeamsApp,
  listServices,
  listUsers,
  parseIfMatch,
  putConfig,
  putService,
  searchDirectory,
  serviceEtag,
  tenantEtag,
  testTwilio,
  type AdminDeps,
} from '../../admin/admin-actions';
import { badRequest } from '../../errors';
import type { Runtime } from '../../runtime/runtime';
import { handle, param, parseBody, query, type Request, type Server } from '../server';

const documentSchema = z.record(z.string(), z.unknown());
const twilioTestSchema = z.object({
  accountSid: z.string().max(64).optional(),
  authToken: z.string().max(128).optional(),
  region: z.enum(['us1', 'ie1', 'au1']).optional(),
});
/** Admin answers are never cached by a browser or a proxy: they hold the tenant's configuration. */
const NO_STORE = { 'Cache-Control': 'no-store' };

function intQuery(req: Request, name: string, min: number, max: number, fallback?: number): number | undefined {
  const v = query(req, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw badRequest('invalid_request', `${name}: a whole number from ${min} to ${max}.`);
  return n;
}

export function registerAdminRoutes(server: Server, rt: Runtime, auth: AgentAuth, deps: AdminDeps, isUp: () => Promise<boolean>): void {
  const h = (fn: (req: Request, p: AgentPrincipal) => ReturnType<Parameters<typeof handle>[2]>) =>
    handle(rt.log, isUp, async (req) => fn(req, await auth.verify(req.header('authorization'))));

  server.get(
    '/api/admin/me',
    h(async (_req, p) => ({ body: adminMe(rt, p, deps), headers: NO_STORE })),
  );
  server.get(
    '/api/admin/config',
    h(async (_req, p) => {
      const { config, revision } = await getConfig(rt, p);
      return { body: config, headers: { ...NO_STORE, ETag: tenantEtag(revision) } };
    }),
  );
  server.put(
    '/api/admin/config',
    h(async (req, p) => {
      const saved = await putConfig(rt, p, parseBody(req, documentSchema), parseIfMatch(req.header('if-match')));
      return { body: saved, headers: { ...NO_STORE, ETag: tenantEtag(saved.revision) } };
    }),
  );
  server.get(
    '/api/admin/config/export',
    h(async (_req, p) => {
      const file = await exportConfig(rt, p);
      const name = `stratus-${p.tenantId}-${new Date(rt.clock.now()).toISOString().slice(0, 10)}.json`;
      return { body: file, headers: { ...NO_STORE, 'Content-Disposition': `attachment; filename="${name}"` } };
    }),
  );
  server.get(
    '/api/admin/users',
    h(async (_req, p) => ({ body: { users: listUsers(rt, p) }, headers: NO_STORE })),
  );
  server.get(
    '/api/admin/services',
    h(async (_req, p) => ({ body: { services: listServices(rt, p) }, headers: NO_STORE })),
  );
  server.post(
    '/api/admin/services',
    h(async (req, p) => {
      const s = await createService(rt, p, parseBody(req, documentSchema));
      return { status: 201, body: s, headers: { ...NO_STORE, ETag: s.etag } };
    }),
  );
  server.get(
    '/api/admin/services/:id',
    h(async (req, p) => {
      const s = await getService(rt, p, param(req, 'id'));
      return { body: s, headers: { ...NO_STORE, ETag: s.etag } };
    }),
  );
  server.put(
    '/api/admin/services/:id',
    h(async (req, p) => {
      const s = await putService(rt, p, param(req, 'id'), parseBody(req, documentSchema), parseIfMatch(req.header('if-match')));
      return { body: s, headers: { ...NO_STORE, ETag: serviceEtag(s.service) } };
    }),
  );
  server.del(
    '/api/admin/services/:id',
    h(async (req, p) => {
      await deleteService(rt, p, param(req, 'id'), parseIfMatch(req.header('if-match')));
      return { status: 204 };
    }),
  );
  server.get(
    '/api/admin/audit',
    h(async (req, p) => ({
      body: await auditLog(rt, p, intQuery(req, 'before', 1, Number.MAX_SAFE_INTEGER), intQuery(req, 'limit', 1, 200, 50) ?? 50),
      headers: NO_STORE,
    })),
  );
  server.get(
    '/api/admin/directory/users',
    h(async (req, p) => {
      const q = (query(req, 'q') ?? '').trim();
      if (q.length > 100) throw badRequest('invalid_request', 'q: at most 100 characters.');
      return { body: { users: await searchDirectory(rt, p, deps, q) }, headers: NO_STORE };
    }),
  );
  server.post(
    '/api/admin/teams/install',
    h(async (_req, p) => ({ body: await installTeamsApp(rt, p, deps), headers: NO_STORE })),
  );
  server.post(
    '/api/admin/twilio/test',
    h(async (req, p) => ({
      body: await testTwilio(rt, p, deps, req.body === undefined || req.body === '' ? {} : parseBody(req, twilioTestSchema)),
      headers: NO_STORE,
    })),
  );
}

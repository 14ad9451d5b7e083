/**
 * Customer data: retention (a daily job per tenant with `retention.messagesDays` deletes older
 * messages, with the bot's copies in agents' Teams chats: retention.ts) and erasure (a tenant
 * admin removes one customer's messages and personal data everywhere, by email or phone, and is
 * told what went: erasure.ts).
 */
import type { AgentAuth } from '../agents/agent-auth';
import { requireAdmin } from '../admin/roles';
import type { Runtime } from '../runtime/runtime';
import type { Job, JobResult } from '../scheduler/jobs';
import { handle, parseBody, type Server } from '../http/server';
import { eraseCustomer, erasureSchema, erasureTarget } from './erasure';
import { retentionHandler, RetentionSchedule } from './retention';

export interface Privacy {
  register(server: Server, auth: AgentAuth, isUp: () => Promise<boolean>): void;
  retentionJob(job: Job): Promise<JobResult>;
  /** Schedules each tenant's retention run (at start, and after a config change). */
  start(): void;
  stop(): Promise<void>;
}

export function createPrivacy(rt: Runtime): Privacy {
  const schedule = new RetentionSchedule(rt);
  const retention = retentionHandler(rt);
  return {
    register(server, auth, isUp) {
      // Tenant admins only (401 without a valid token, 403 otherwise); never cached: the answer is about a person.
      server.post(
        '/api/admin/privacy/erasure',
        handle(rt.log, isUp, async (req) => {
          const p = await auth.verify(req.header('authorization'));
          // Who may ask comes before what was asked: a non-admin learns nothing from the body's checks.
          requireAdmin(rt.tenants.tenant(p.tenantId), p.userId);
          const target = erasureTarget(parseBody(req, erasureSchema));
          return { body: await eraseCustomer(rt, p, target), headers: { 'Cache-Control': 'no-store' } };
        }),
      );
    },
    retentionJob: retention,
    start: () => schedule.start(),
    stop: () => schedule.stop(),
  };
}

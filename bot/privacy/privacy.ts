/**
 * Customer data: retention (a daily job per tenant with `retention.messagesDays` deletes older
 * messages, with the bot's copies in agents' Teams chats) and erasure (a tenant admin removes one
 * customer's messages and personal data everywhere, by email or phone, and is told what went).
 * (Being built: issue 15.)
 */
import type { AgentAuth } from '../agents/agent-auth';
import type { Runtime } from '../runtime/runtime';
import type { Job } from '../scheduler/jobs';
import type { Server } from '../http/server';

export interface Privacy {
  register(server: Server, auth: AgentAuth, isUp: () => Promise<boolean>): void;
  retentionJob(job: Job): Promise<void>;
  /** Schedules each tenant's retention run (at start, and after a config change). */
  start(): void;
  stop(): void;
}

export function createPrivacy(_rt: Runtime): Privacy {
  return {
    register: () => {},
    retentionJob: async () => {},
    start: () => {},
    stop: () => {},
  };
}

/**
 * What every use case needs: the store, tenants, clock, ids, event bus and a way to ask for a
 * distribution pass. Built once by app.ts; tests build it with an in-memory store.
 */
import type { Clock, IdGenerator } from '@stratus/shared/util/ports';
import type { Config } from '../config';
import type { Stored } from '@stratus/shared/contract/events';
import type { Store } from '../store/db';
import type { TenantRegistry } from '../tenants/registry';
import type { SecretBox } from '../tenants/secrets';
import type { Logger } from '../util/log';
import type { AvailabilityCache } from './availability-cache';
import type { BatchLane, Uow } from './uow';
import type { AppendLane } from '../store/append-lane';

/** What writers and readers need of the event bus (events/bus.ts): telling it of commits, reading back. */
export interface EventPublisher {
  /** A commit appended events: dispatch them, and wake the other instances. */
  published(): void;
  /** The events of one commit, in id order (dispatched at once when they are next in order). */
  publishedAll(list: readonly Stored[]): void;
  /** The id of the newest event dispatched by this instance. */
  readonly position: number;
  /** Events of one agent after a cursor, for resuming streams. */
  userEventsAfter(tenantId: string, userId: string, after: number, limit?: number): Promise<Stored[]>;
  /** Events of one conversation after a cursor (a supervisor's monitor resuming). */
  conversationEventsAfter(tenantId: string, conversationId: string, after: number, limit?: number): Promise<Stored[]>;
}

export interface Runtime {
  config: Config;
  store: Store;
  tenants: TenantRegistry;
  /** Seals and opens tenant secrets (STRATUS_SECRET_KEY). */
  secrets: SecretBox;
  clock: Clock;
  ids: IdGenerator;
  bus: EventPublisher;
  log: Logger;
  /** Group commit of small writes, per lane (chat messages, chat starts): uow.ts, Batcher. */
  groupCommit: { run<T>(fn: (u: Uow) => Promise<T>, lane?: BatchLane): Promise<T> };
  /** Group commit of the chat's hot path (customer messages): store/append-lane.ts. */
  appends: Pick<AppendLane, 'append'>;
  /** Who is available per service, remembered for a second. */
  availability: AvailabilityCache;
  /** Ask for a distribution pass of the tenant soon (coalesced). */
  requestDistribution(tenantId: string): void;
  /** Wake the scheduler (a job became due now). */
  wakeScheduler(): void;
}

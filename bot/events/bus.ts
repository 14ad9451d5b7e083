/**
 * Fans committed outbox events out to this instance's live subscribers (customer sockets, agent
 * streams) in id order, and wakes the durable ones (subscribers.ts). Writers call `published()`
 * after commit; PostgreSQL NOTIFY wakes the other instances; a poll every second catches anything
 * a lost notification would have delayed. Delivery is at least once: subscribers get an event once
 * per instance, clients dedupe by id.
 */
import type { Store } from '../store/db';
import { eventsAfter, newestEventId, userEventsAfter, conversationEventsAfter } from '../store/outbox';
import type { Logger } from '../util/log';
import { errorMessage } from '../util/log';
import type { AnyLiveSubscriber } from './subscribers';
import type { EventType, Stored } from '@stratus/shared/contract/events';

export const NOTIFY_CHANNEL = 'stratus_events';
type Handler = (e: Stored) => void;
type Route = { name: string; on: Partial<Record<EventType, Handler>> };
export class EventBus {
  private cursor = 0;
  private readonly subscribers: Route[] = [];
  private polling = false;
  private again = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private notifying = false;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly pollMs = 1000,
  ) {}

  /** Starts from the newest event (older ones are read on demand by resuming clients). */
  async start(): Promise<void> {
    this.cursor = await newestEventId(this.store.db);
    if (this.store.listen) await this.store.listen(NOTIFY_CHANNEL, () => this.kick());
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** Called after a commit that appended events: dispatch now, and wake the other instances. */
  published(): void {
    this.kick();
    this.notifyOthers();
  }

  /**
   * Events this process just committed, in id order: when they directly follow everything
   * dispatched so far (the usual case on one connection), deliver them now without reading them
   * back; otherwise poll, so nothing is delivered out of order or skipped. Other instances are
   * woken either way.
   */
  publishedAll(list: readonly Stored[]): void {
    const inOrder = list.every((e, i) => e.id === this.cursor + 1 + i);
    if (this.stopped || this.polling || list.length === 0 || !inOrder) return this.published();
    this.cursor += list.length;
    for (const e of list) this.dispatch(e);
    this.notifyOthers();
  }

  /** One NOTIFY per turn of the event loop wakes the other instances for every commit before it. */
  private notifyOthers(): void {
    if (this.store.kind !== 'postgres' || this.notifying) return;
    this.notifying = true;
    setImmediate(() => {
      this.notifying = false;
      if (this.stopped) return;
      this.store
        .notify(NOTIFY_CHANNEL, '')
        .catch((e) => this.log.warn('NOTIFY failed; other instances will poll', { error: errorMessage(e) }));
    });
  }

  /** Reads and dispatches everything after the cursor. */
  kick(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.again = true;
      return;
    }
    this.polling = true;
    void this.poll().finally(() => {
      this.polling = false;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async poll(): Promise<void> {
    try {
      for (;;) {
        const rows = await eventsAfter(this.store.db, this.cursor, 500);
        for (const e of rows) {
          if (e.id <= this.cursor) continue;
          this.cursor = e.id;
          this.dispatch(e);
        }
        if (rows.length < 500) return;
      }
    } catch (e) {
      if (!this.stopped) this.log.warn('event poll failed; retrying', { error: errorMessage(e) });
    }
  }

  /** Each subscriber in turn; one that throws is logged and does not keep the event from the others. */
  private dispatch(e: Stored): void {
    for (const s of this.subscribers) {
      const fn = s.on[e.type];
      if (!fn) continue;
      try {
        fn(e);
      } catch (err) {
        this.log.error('event subscriber failed', { subscriber: s.name, error: errorMessage(err), eventId: e.id });
      }
    }
  }

  /** Adds a live subscriber (the composition root does, once, before start). */
  subscribe(s: AnyLiveSubscriber): void {
    this.subscribers.push({ name: s.name, on: s.on as Route['on'] });
  }

  /** Events of one agent after a cursor, for resuming streams (Last-Event-ID). */
  userEventsAfter(tenantId: string, userId: string, after: number, limit = 1000): Promise<Stored[]> {
    return userEventsAfter(this.store.db, tenantId, userId, after, limit);
  }

  /** Events of one conversation after a cursor (a supervisor's monitor resuming). */
  conversationEventsAfter(tenantId: string, conversationId: string, after: number, limit = 1000): Promise<Stored[]> {
    return conversationEventsAfter(this.store.db, tenantId, conversationId, after, limit);
  }

  /** The id of the newest event dispatched by this instance. */
  get position(): number {
    return this.cursor;
  }
}

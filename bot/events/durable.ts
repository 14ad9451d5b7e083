/**
 * Runs the durable subscribers (subscribers.ts): each reads the outbox after its stored cursor,
 * in id order, and handles what it reads in the transaction that moves the cursor on. The cursor
 * row is taken FOR UPDATE SKIP LOCKED, so with several instances one runs at a time and the others
 * step aside; outbox ids become visible in increasing order (outbox.ts), so "id > cursor" never
 * skips an event that commits late.
 *
 * A run starts when the bus dispatches an event the subscriber wants, and every `periodMs` behind
 * that (which also moves the cursor past events nobody wanted). A failed run is logged and rolled
 * back; the next one handles the same events again.
 */
import type { Runtime } from '../runtime/runtime';
import { inTx } from '../runtime/uow';
import { createEventCursorAtNewest, eventsOfTypesBetween, lockEventCursor, moveEventCursor, newestEventId } from '../store/outbox';
import { errorMessage } from '../util/log';
import type { EventBus } from './bus';
import type { DurableSubscriber } from './subscribers';
import type { EventOf, EventType, Stored } from '@stratus/shared/contract/events';

/** Events handled per transaction: a backlog is worked through in several. */
const PAGE = 500;

export class DurableRunner<K extends EventType = EventType> {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  /** Until when wanted events do not wake this runner (another instance held the cursor). */
  private quietUntil = 0;
  private stopped = false;
  private bus: EventBus | undefined;
  /** The bus position when this runner started: every event after it passes through the wake hook. */
  private seenFrom = Number.POSITIVE_INFINITY;
  /** The newest event the subscriber wanted, as the bus dispatched it. */
  private lastWanted = 0;

  constructor(
    private readonly rt: Runtime,
    private readonly sub: DurableSubscriber<K>,
    private readonly periodMs = 1000,
  ) {}

  /** Wakes a run for events the subscriber wants, as the bus dispatches them. */
  attach(bus: EventBus): void {
    this.bus = bus;
    const wake = (e: Stored<EventOf<K>>) => {
      if (!this.sub.wants(e)) return;
      this.lastWanted = Math.max(this.lastWanted, e.id);
      // Another instance held the cursor a moment ago: it sees the same events and wakes itself;
      // this one looks again at its next periodic run rather than race it on every event.
      if (this.rt.clock.now() < this.quietUntil) return;
      void this.kick();
    };
    const on = Object.fromEntries(this.sub.types.map((t) => [t, wake]));
    bus.subscribe({ kind: 'live', name: `${this.sub.name} (wake)`, types: this.sub.types, on: on as never });
  }

  start(): void {
    this.stopped = false;
    this.seenFrom = this.bus?.position ?? Number.POSITIVE_INFINITY;
    this.timer = setInterval(() => this.kick(), this.periodMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs now, or once more after the run in progress. Resolves when that run is over (tests wait on it). */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          const r = await this.runOnce();
          if (r === 'busy') this.quietUntil = this.rt.clock.now() + this.periodMs;
          if (r === 'more') this.again = true;
        } while (this.again && !this.stopped);
      } catch (e) {
        if (!this.stopped)
          this.rt.log.warn('durable event subscriber failed; it runs again', { subscriber: this.sub.name, error: errorMessage(e) });
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** One transaction: lock the cursor, handle what follows it (one page), move it on. */
  private runOnce(): Promise<'done' | 'more' | 'busy'> {
    const { name, types } = this.sub;
    return inTx(this.rt, async (u) => {
      const cursor = await lockEventCursor(u.tx, name);
      if (!cursor) {
        // First run ever (or the row is locked by another instance): start from the newest event.
        return (await createEventCursorAtNewest(u.tx, name)) ? 'done' : 'busy';
      }
      // Everything up to the newest visible id is committed or never will be (ids commit in order).
      const newest = await newestEventId(u.tx);
      if (newest <= cursor.position) return 'done';
      // Nothing it wanted since the cursor, among events this instance has dispatched: move past them unread
      // (the common case: a message to an agent without the bot), rather than read and drop each one.
      const dispatched = Math.min(newest, this.bus?.position ?? 0);
      if (cursor.position >= this.seenFrom && this.lastWanted <= cursor.position) {
        if (dispatched > cursor.position) await moveEventCursor(u.tx, name, dispatched);
        return 'done';
      }
      const rows = await eventsOfTypesBetween(u.tx, types, cursor.position, newest, PAGE);
      const full = rows.length === PAGE;
      if (rows.length) await this.sub.handle(u, rows as Stored<EventOf<K>>[]);
      const position = full ? rows[rows.length - 1]!.id : newest;
      await moveEventCursor(u.tx, name, position);
      return full ? 'more' : 'done';
    });
  }
}

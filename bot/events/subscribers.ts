/**
 * Who receives the server's events. Two kinds, both declared in one place (app.ts) with the event
 * types they handle:
 *
 * - A live subscriber runs on every instance after commit, in outbox order, for clients connected
 *   to this instance (customer sockets, agent streams). Delivery is at least once per instance;
 *   clients resume from the outbox id. One that throws is logged and the others still get the event.
 * - A durable subscriber runs once for the whole deployment, in its own transaction, from a cursor
 *   stored in the database (`event_cursors`), so what it writes (the Teams relay's queue) is never
 *   lost to a crash and never depends on which store or write path made the event. A failure rolls
 *   its transaction back and the same events are handled again on the next run.
 *
 * The types are checked: a misspelt event type does not compile, and `checkCovered` in the
 * composition root does not compile while some event type has no subscriber.
 */
import type { Uow } from '../runtime/uow';
import type { EventOf, EventType, Stored } from '@stratus/shared/contract/events';

export type Handlers<K extends EventType> = { readonly [P in K]: (e: Stored<EventOf<P>>) => void };

export interface LiveSubscriber<K extends EventType = EventType> {
  readonly kind: 'live';
  readonly name: string;
  readonly types: readonly K[];
  readonly on: Handlers<K>;
}

export interface DurableSubscriber<K extends EventType = EventType> {
  readonly kind: 'durable';
  /** Names its cursor row: renaming one starts it again from the newest event. */
  readonly name: string;
  readonly types: readonly K[];
  /** Cheap test whether an event needs a run soon (otherwise the periodic run takes it). */
  wants(e: Stored<EventOf<K>>): boolean;
  /** Handles events in outbox order inside the run's transaction; throwing rolls the run back. */
  handle(u: Uow, events: readonly Stored<EventOf<K>>[]): Promise<void>;
}

/** A live subscriber of any event types, as the bus keeps them. */
export type AnyLiveSubscriber = Omit<LiveSubscriber, 'on'> & { readonly on: Partial<Handlers<EventType>> };

export type Subscriber = { readonly kind: 'live' | 'durable'; readonly name: string; readonly types: readonly EventType[] };

/** A live subscriber handling exactly the event types it has handlers for. */
export function liveSubscriber<K extends EventType>(name: string, on: Handlers<K>): LiveSubscriber<K> {
  return { kind: 'live', name, types: Object.keys(on) as K[], on };
}

type HandledBy<S> = S extends { readonly types: readonly (infer K)[] } ? K : never;
/** The event types none of `S` handles. */
export type Unhandled<S extends readonly Subscriber[]> = Exclude<EventType, HandledBy<S[number]>>;

/**
 * The app's subscribers, checked: with an event type nobody handles, the argument's type asks for
 * a `missing` property naming it, so the call does not compile.
 */
export function checkCovered<const S extends readonly Subscriber[]>(
  list: S & ([Unhandled<S>] extends [never] ? unknown : { missing: Unhandled<S> }),
): S {
  return list;
}

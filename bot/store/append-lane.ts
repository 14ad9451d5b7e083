/**
 * Group commit of the chat's hot path (customers/customer-actions.ts, appendCustomerMessage).
 * Customer messages read in the same turn of the event loop, and those that arrive while a call is
 * running, go in one call of `stratus_append_customer_messages` (migration 0009): one statement and
 * one commit, where each message took its own. A message that finds the lane idle waits one
 * `setImmediate` before its call starts (util/gathering-queue.ts, `gather`): on PGlite a call
 * never waits on I/O, so without it two messages would never meet (every batch of a 1,000 msg/s
 * run held one). A message alone takes the one-message function, which costs less than a batch of one.
 *
 * Each message answers only after its batch commits. A batch that fails (a deadlock on PostgreSQL,
 * any error) wrote nothing, and each of its messages then runs alone with its own retries, so none
 * is lost and none fails for another's sake.
 */
import { GatheringQueue, type Gathered } from '../util/gathering-queue';
import type { PreparedStatement, Store } from './db';

/** Parameters of one message, in the order of `stratus_append_customer_message`. */
export type AppendParams = readonly [
  tenant: string,
  conversation: string,
  id: string,
  text: string,
  clientMessageId: string | null,
  now: string,
  message: string,
];
/** What the function answers for a stored message (seq, author, task id, task state, user id, event id); undefined when it stored nothing. */
export type AppendRow = readonly (string | null)[];

/** Messages per batch: at 1,000 messages/s a batch rarely reaches it; it bounds one statement's work. */
const MAX_BATCH = 64;

const APPEND_COLUMNS = ['seq', 'author', 'task_id', 'task_state', 'user_id', 'event_id'] as const;
const APPEND_ONE: PreparedStatement = {
  name: 'stratus_append_customer_message',
  types: ['text', 'text', 'text', 'text', 'text', 'bigint', 'jsonb'],
  text: `select ${APPEND_COLUMNS.join(', ')} from stratus_append_customer_message($1, $2, $3, $4, $5, $6::bigint, $7::jsonb)`,
};
const APPEND_MANY: PreparedStatement = {
  name: 'stratus_append_customer_messages',
  types: ['jsonb'],
  text: `select n, ${APPEND_COLUMNS.join(', ')} from stratus_append_customer_messages($1::jsonb)`,
};

type Waiting = Gathered<AppendParams, AppendRow | undefined>;

/** One per app, on its Runtime (`appends`): a batch is one statement, so one lane per store. */
export class AppendLane {
  private readonly queue = new GatheringQueue<AppendParams, AppendRow | undefined>(
    (batch) => (batch.length === 1 ? this.alone(batch[0]!) : this.together(batch)),
    { max: MAX_BATCH, gather: true },
  );

  /** `one` runs a single message's call with the caller's retries (runtime/uow.ts, retryConflicts). */
  constructor(
    private readonly store: Store,
    private readonly one: (run: () => Promise<(string | null)[][]>) => Promise<(string | null)[][]>,
  ) {}

  append(params: AppendParams): Promise<AppendRow | undefined> {
    return this.queue.push(params);
  }

  private async alone(w: Waiting): Promise<void> {
    await this.one(() => this.store.call(APPEND_ONE, w.item)).then((rows) => w.resolve(rows[0]), w.reject);
  }

  private async together(batch: Waiting[]): Promise<void> {
    let rows: (string | null)[][];
    try {
      // The message is JSON text already: each element is written around it, not parsed again.
      const elements = batch.map(
        ({ item: p }) =>
          `[${p
            .slice(0, 6)
            .map((v) => JSON.stringify(v))
            .join(',')},${p[6]}]`,
      );
      rows = await this.store.call(APPEND_MANY, [`[${elements.join(',')}]`]);
    } catch {
      for (const w of batch) await this.alone(w);
      return;
    }
    const byIndex = new Map(rows.map((r) => [Number(r[0]), r.slice(1)]));
    for (const [i, w] of batch.entries()) w.resolve(byIndex.get(i));
  }
}

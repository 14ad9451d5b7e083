/**
 * The customer's typing, shown in the agent's Teams chat as the bot's typing activity.
 *
 * Best effort by design, and deliberately not written to `teams_queue`: a queued typing row would
 * wait in the agent's send queue in order with the customer's messages, take sends from the
 * budget those messages need, and could arrive after the message it announced. Instead the Teams
 * relay (a durable subscriber: one run at a time for the whole deployment, so one typing activity
 * per event) decides in its run and sends after commit, fire and forget. A typing activity is
 * skipped, never queued or retried, when it is stale (a replayed or backlogged event), when the
 * session had one in the last TYPING_EVERY_MS, when the agent's queue still holds sends, or when
 * the chat's send budget would not leave room for a real message right after it.
 */
import type { Logger } from '../util/log';
import { BoundedMap } from '../util/bounded-map';
import { errorMessage } from '../util/log';
import type { SendBudget } from './budget';
import type { TeamsPort } from './port';

/** At most one typing activity per session this often (Teams shows one for about 3 s). */
export const TYPING_EVERY_MS = 5000;
/** A typing event older than this is dropped: the customer has stopped or sent the message since. */
export const TYPING_STALE_MS = 4000;
/** Sessions whose last typing time is remembered (the oldest is dropped past it). */
const TYPING_MAX_SESSIONS = 10_000;

/**
 * When each session last showed typing in Teams; owned by the Teams wiring of one app. Per
 * instance: when the relay's run moves to another instance, a session may see one more typing
 * activity within TYPING_EVERY_MS, which is harmless.
 */
export class TeamsTyping {
  private readonly last = new BoundedMap<string, number>(TYPING_MAX_SESSIONS);

  constructor(
    private readonly port: TeamsPort,
    private readonly budget: SendBudget,
    private readonly log: Logger,
  ) {}

  /** False while this session showed typing within TYPING_EVERY_MS (cheap: the relay's `wants` asks it). */
  due(sessionKey: string, now: number): boolean {
    const at = this.last.get(sessionKey);
    return at === undefined || now - at >= TYPING_EVERY_MS || now < at;
  }

  /** Room in the chat's budget for the typing activity and a real message right after it. */
  hasRoom(tenantId: string, chatKey: string, now: number): boolean {
    return this.budget.wait(tenantId, chatKey, now) === 0 && this.budget.room(chatKey, now) >= 2;
  }

  /**
   * Sends the typing activity now if the budget still has room, counting it in the budget. Never
   * throws: a failed typing activity is logged and dropped.
   */
  send(tenantId: string, chatKey: string, sessionKey: string, reference: Record<string, unknown>, now: number): void {
    if (!this.due(sessionKey, now) || !this.hasRoom(tenantId, chatKey, now)) return;
    this.last.set(sessionKey, now);
    this.budget.record(tenantId, chatKey, now);
    this.port.typing(reference).catch((e: unknown) => {
      // Best effort: the next typing event (or the message itself) follows shortly.
      this.log.debug('Teams typing activity failed; dropped', { error: errorMessage(e) });
    });
  }
}

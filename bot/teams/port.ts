/**
 * How the relay reaches Teams: send a card into a stored conversation, update or delete one.
 * The botbuilder implementation is in adapter.ts; keeping this seam narrow is what lets a move to
 * the Microsoft 365 Agents SDK touch only bot/teams/.
 */
import type { Card } from './cards';

export interface TeamsPort {
  /** Sends a card proactively; answers the new activity's id. */
  send(reference: Record<string, unknown>, card: Card): Promise<string | undefined>;
  /** Replaces a card sent earlier. */
  update(reference: Record<string, unknown>, activityId: string, card: Card): Promise<void>;
  /** Deletes an activity the bot sent (Teams may refuse, or a port may not delete: the relay then replaces it). */
  delete?(reference: Record<string, unknown>, activityId: string): Promise<void>;
  /** Shows the bot as typing in the conversation (an activity of type `typing`). */
  typing(reference: Record<string, unknown>): Promise<void>;
}

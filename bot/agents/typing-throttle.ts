/**
 * How often an agent's typing reaches the customer, whichever client sends it (the tab, Teams).
 */
/** Agent typing reaches the customer at most this often per session, however often the tab sends it. */
const TYPING_EVERY_MS = 2000;
/** Sessions whose last typing time is remembered at most (older entries are dropped first). */
const TYPING_MAX_SESSIONS = 10_000;

/**
 * When each session last passed its typing on: owned by its user (the agent routes, the bot: one each per app), bounded. Per
 * instance: an agent's tab keeps one connection, so the bound holds in practice across instances too.
 */
export class TypingThrottle {
  private readonly last = new Map<string, number>();
  constructor(private readonly now: () => number) {}

  /** True when this session may pass its typing on now (and records it). */
  take(key: string): boolean {
    const now = this.now();
    const prev = this.last.get(key);
    if (prev !== undefined && now - prev < TYPING_EVERY_MS) return false;
    this.last.delete(key);
    this.last.set(key, now);
    if (this.last.size > TYPING_MAX_SESSIONS) {
      // Insertion order: the first keys are the oldest.
      for (const k of this.last.keys()) {
        this.last.delete(k);
        if (this.last.size <= TYPING_MAX_SESSIONS / 2) break;
      }
    }
    return true;
  }
}

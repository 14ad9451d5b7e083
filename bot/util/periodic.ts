/**
 * A background job run every `periodMs`, never twice at once (a run still going when the next is
 * due skips that turn), its failures logged; `stop()` waits for the run in progress.
 */
import { errorMessage, type Logger } from './log';

export class Periodic {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly what: string,
    private readonly log: Logger,
    private readonly periodMs: number,
    private readonly run: () => Promise<void>,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.run()
        .catch((e) => this.log.warn(`${this.what} failed`, { error: errorMessage(e) }))
        .finally(() => (this.running = undefined));
    }, this.periodMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}

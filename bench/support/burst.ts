/**
 * A burst of chat starts during the relay's load (bench:relay with BURST=N): a campaign landing on a
 * contact center that is already chatting. N more agents, off duty while the relay's chats are set
 * up (so none of those chats goes to them), come on duty with an event stream open and room for one
 * chat each; then N website customers start a chat within one second, and each start's time to its
 * offer on an agent's stream is noted.
 */
import type http from 'node:http';
import { type BenchClient, openAgentEvents, pool } from './client';
import { sleep } from './server';

export interface BurstResult {
  chats: number;
  failedStarts: number;
  offered: number;
  offerP50: number;
  offerP99: number;
  /** When the first start was sent and the last offer arrived (performance.now()). */
  from: number;
  to: number;
}

/** How long every offer may take to arrive before the burst gives up on the missing ones. */
const OFFER_DEADLINE_MS = 60_000;

export class Burst {
  private readonly streams: http.ClientRequest[] = [];
  private readonly offeredAt = new Map<number, number>();
  private tokens: string[] = [];

  constructor(
    private readonly base: string,
    private readonly client: BenchClient,
    private readonly upns: string[],
  ) {}

  /** Before the relay's chats start: the burst's agents sign in and go off duty. */
  async standBy(): Promise<void> {
    this.tokens = await pool(this.upns, 50, async (upn) => (await this.client.post('/api/dev/token', { upn })).token as string);
    await pool(this.tokens, 50, (t) => this.client.post('/api/agent/me/duty', { onDuty: false }, t));
  }

  /** After the relay is set up: their streams open (noting each burst customer's first offer), then on duty. */
  async arm(): Promise<void> {
    await pool(this.tokens, 100, async (token) => {
      const req = await openAgentEvents(this.base, token, '"offered"', (e) => {
        const n = Number(/^Campaign (\d+)$/.exec(e.session?.customer?.displayName ?? '')?.[1]);
        if (e.type === 'session' && e.session.state === 'offered' && Number.isInteger(n) && !this.offeredAt.has(n))
          this.offeredAt.set(n, performance.now());
      });
      this.streams.push(req);
    });
    await pool(this.tokens, 50, (t) => this.client.post('/api/agent/me/duty', { onDuty: true }, t));
  }

  /** The burst: one start per agent, spread evenly over one second; resolves once every offer arrived (or the deadline passed). */
  async fire(): Promise<BurstResult> {
    const n = this.tokens.length;
    const startedAt = new Array<number>(n);
    let failedStarts = 0;
    const t0 = performance.now();
    const posts: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const wait = t0 + (i * 1000) / n - performance.now();
      if (wait > 1) await sleep(wait);
      startedAt[i] = performance.now();
      posts.push(
        this.client
          .post('/api/interact/support/chats', {
            displayName: `Campaign ${i}`,
            email: `campaign${i}@example.com`,
            privacyAccepted: true,
            message: `hello from campaign ${i}`,
          })
          .then(
            () => undefined,
            () => void (failedStarts += 1),
          ),
      );
    }
    await Promise.all(posts);
    const deadline = performance.now() + OFFER_DEADLINE_MS;
    while (this.offeredAt.size < n && performance.now() < deadline) await sleep(20);
    const lat = [...this.offeredAt].map(([i, at]) => at - startedAt[i]!).sort((a, b) => a - b);
    const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((lat.length * p) / 100))] ?? NaN;
    return {
      chats: n,
      failedStarts,
      offered: this.offeredAt.size,
      offerP50: pct(50),
      offerP99: pct(99),
      from: t0,
      to: Math.max(t0, ...this.offeredAt.values()),
    };
  }

  close(): void {
    for (const r of this.streams) r.destroy();
  }
}

/**
 * A burst of chat starts: N agents, each with an event stream open and room for one chat, then N
 * website customers starting a chat within one second; each start's answer and its offer on an
 * agent's stream are timed. `npm run bench:starts` runs it alone; bench:relay with BURST=N runs it
 * during the relay's load (a campaign landing on a contact center that is already chatting), with
 * the burst's agents off duty while the relay's own chats are set up, so none of those goes to them.
 */
import type http from 'node:http';
import { type BenchClient, openAgentEvents, pool } from './client';
import { sleep } from './server';
import { percentile } from './stats';

export interface BurstResult {
  chats: number;
  failedStarts: number;
  offered: number;
  offerP50: number;
  offerP99: number;
  /** When the first start was sent and the last offer arrived (performance.now()). */
  from: number;
  to: number;
  /** Customer i's start: when it was sent, answered (undefined: failed) and offered (undefined: never). */
  startedAt: number[];
  answeredAt: (number | undefined)[];
  offeredAt: ReadonlyMap<number, number>;
}

/** How long every offer may take to arrive before the burst gives up on the missing ones. */
const OFFER_DEADLINE_MS = 120_000;

export class Burst {
  private readonly streams: http.ClientRequest[] = [];
  private readonly offeredAt = new Map<number, number>();
  private tokens: string[] = [];
  private offDuty = false;

  constructor(
    private readonly base: string,
    private readonly client: BenchClient,
    private readonly upns: string[],
  ) {}

  /** The burst's agents sign in. */
  async signIn(): Promise<void> {
    this.tokens = await pool(this.upns, 50, async (upn) => (await this.client.post('/api/dev/token', { upn })).token as string);
  }

  /** Before other chats start (the relay's): the burst's agents sign in and go off duty. */
  async standBy(): Promise<void> {
    await this.signIn();
    await pool(this.tokens, 50, (t) => this.client.post('/api/agent/me/duty', { onDuty: false }, t));
    this.offDuty = true;
  }

  /** Their streams open (noting each burst customer's first offer), then, after standBy, they go on duty. */
  async arm(): Promise<void> {
    await pool(this.tokens, 100, async (token) => {
      const req = await openAgentEvents(this.base, token, '"offered"', (e) => {
        const n = Number(/^Campaign (\d+)$/.exec(e.session?.customer?.displayName ?? '')?.[1]);
        if (e.type === 'session' && e.session.state === 'offered' && Number.isInteger(n) && !this.offeredAt.has(n))
          this.offeredAt.set(n, performance.now());
      });
      this.streams.push(req);
    });
    if (this.offDuty) await pool(this.tokens, 50, (t) => this.client.post('/api/agent/me/duty', { onDuty: true }, t));
    this.offDuty = false;
  }

  /** The burst: one start per agent, spread evenly over one second; resolves once every offer arrived (or the deadline passed). */
  async fire(): Promise<BurstResult> {
    const n = this.tokens.length;
    const startedAt = new Array<number>(n);
    const answeredAt = new Array<number | undefined>(n);
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
            () => void (answeredAt[i] = performance.now()),
            () => void (failedStarts += 1),
          ),
      );
    }
    await Promise.all(posts);
    const deadline = performance.now() + OFFER_DEADLINE_MS;
    while (this.offeredAt.size < n && performance.now() < deadline) await sleep(20);
    const lat = [...this.offeredAt].map(([i, at]) => at - startedAt[i]!).sort((a, b) => a - b);
    return {
      chats: n,
      failedStarts,
      offered: this.offeredAt.size,
      offerP50: percentile(lat, 50),
      offerP99: percentile(lat, 99),
      from: t0,
      to: Math.max(t0, ...this.offeredAt.values()),
      startedAt,
      answeredAt,
      offeredAt: this.offeredAt,
    };
  }

  close(): void {
    for (const r of this.streams) r.destroy();
  }
}

/** Time comes in through a clock so the domain is tested without timers. Milliseconds since epoch. */
export interface Clock {
  now(): number;
}

/** Ids come in through a generator so tests are deterministic. */
export interface IdGenerator {
  next(prefix?: string): string;
}

/** A manual clock for tests and simulations. */
export class ManualClock implements Clock {
  constructor(private t = 0) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
}

/** Sequential ids (`task-1`, `task-2`, ...) for tests and simulations. */
export class SequentialIds implements IdGenerator {
  private n = 0;
  next(prefix = 'id'): string {
    this.n += 1;
    return `${prefix}-${this.n}`;
  }
}

/** Exhaustiveness helper for discriminated unions. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}

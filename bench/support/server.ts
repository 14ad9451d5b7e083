/**
 * Bench helpers around the server process: a free loopback port, one `node --import tsx bot/main.ts`
 * per instance in dev mode (loopback, localhost public URL), readiness, RSS and CPU read from /proc,
 * and a scratch PostgreSQL database per run so a bench never inherits a previous run's sessions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import pg from 'pg';

export const root = resolve(__dirname, '..', '..');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port nobody listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

export interface ServerOptions {
  port: number;
  /** Tenant file (STRATUS_CONFIG). */
  config: string;
  /** PGlite folder when `databaseUrl` is empty. */
  dataDir: string;
  databaseUrl: string;
  /** What node runs instead of Stratus (`['path/to/relay-baseline.mjs']`): another server on the same contract. */
  script?: string[];
  /** Node flags before `--import tsx` (profiling, tracing). */
  nodeArgs?: string[];
  /** A file for the server's stdout; it is dropped otherwise. */
  stdoutFile?: string;
  env?: Record<string, string>;
}

/** One server process and what the benches read about it. */
export class BenchServer {
  readonly base: string;
  readonly proc: ChildProcess;
  private exited = false;
  /** How the process ended (a signal name or `code N`), once it has. */
  exitReason?: string;

  constructor(readonly opts: ServerOptions) {
    this.base = `http://127.0.0.1:${opts.port}`;
    this.proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...(opts.script ?? ['--import', 'tsx', 'bot/main.ts'])], {
      cwd: root,
      stdio: ['ignore', opts.stdoutFile ? openSync(opts.stdoutFile, 'w') : 'ignore', 'inherit'],
      env: {
        ...process.env,
        // Dev mode: loopback and a localhost public URL, whatever the caller's shell says.
        HOST: '127.0.0.1',
        PORT: String(opts.port),
        PUBLIC_BASE_URL: `http://localhost:${opts.port}`,
        DATA_DIR: opts.dataDir,
        STRATUS_CONFIG: opts.config,
        LOG_LEVEL: 'error',
        INTERACT_RATE_LIMIT_SCALE: '0',
        DATABASE_URL: opts.databaseUrl,
        ...opts.env,
      },
    });
    this.proc.once('exit', (code, signal) => {
      this.exited = true;
      this.exitReason = signal ?? `code ${code}`;
    });
  }

  /** Polls /readyz until it answers 200; throws after `timeoutMs` or if the process exits. */
  async ready(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`server on ${this.base} exited (${this.exitReason})`);
      try {
        if ((await fetch(`${this.base}/readyz`, { signal: AbortSignal.timeout(2000) })).ok) return;
      } catch {
        // Not listening yet: poll again.
      }
      await sleep(100);
    }
    throw new Error(`server on ${this.base} not ready after ${timeoutMs} ms`);
  }

  /** Resident memory in MB (VmRSS), 0 once the process is gone. */
  rssMb(): number {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : 0;
    } catch {
      return 0; // The process has exited.
    }
  }

  /** User + system CPU time in ms (clock ticks of 10 ms), NaN once the process is gone. */
  cpuMs(): number {
    try {
      const f = readFileSync(`/proc/${this.proc.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
    } catch {
      return NaN; // The process has exited.
    }
  }

  /** SIGTERM, then SIGKILL if it has not drained within `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.exited) return;
    const gone = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(t);
  }
}

/** A fresh database on the server of `url` (named after this run), and how to drop it. */
export async function scratchDatabase(url: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Open-file limit of this process (the servers it spawns inherit it). */
export function openFileLimit(): number {
  const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(m[1]);
}

/**
 * Runs a full garbage collection in a server started with `--inspect=127.0.0.1:<port>` (through the
 * inspector protocol), so that an RSS reading is not decided by when V8 last collected.
 */
export async function collectGarbage(inspectPort: number): Promise<void> {
  const { default: WebSocket } = await import('ws');
  const [target] = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`, { signal: AbortSignal.timeout(5000) })).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  if (!target) throw new Error('no inspector target');
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  try {
    await new Promise<void>((res, rej) => {
      const t = setTimeout(() => rej(new Error('garbage collection did not answer within 30 s')), 30_000);
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })));
      ws.on('message', (d) => JSON.parse(d.toString()).id === 1 && (clearTimeout(t), res()));
      ws.once('error', (e) => (clearTimeout(t), rej(e)));
    });
  } finally {
    ws.close();
  }
}

/** A tiny leveled logger (one line per entry) so tests can silence it and ops can grep it. */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, extra?: Record<string, unknown>): void;
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
}

/** Logs to stderr at or above `level`. */
export function createLogger(level: Level = 'info', sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const at = (l: Level) => (msg: string, extra?: Record<string, unknown>) => {
    if (order[l] < order[level]) return;
    sink(`${new Date().toISOString()} ${l.toUpperCase()} ${msg}${extra ? ' ' + JSON.stringify(extra) : ''}`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Message of an unknown thrown value. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

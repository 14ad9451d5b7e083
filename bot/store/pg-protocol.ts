/**
 * The PostgreSQL wire protocol, only as much as the chat hot path needs on PGlite: Bind, Execute
 * and Sync of a named prepared statement in one buffer (one trip into the database instead of the
 * six of a parameterized query), and reading its rows (text format) or its error back.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A database error read from an ErrorResponse, with its SQLSTATE like the `pg` driver's. */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

function message(type: string, parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((n, b) => n + b.length, 0) + 4;
  const out = new Uint8Array(length + 1);
  out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setInt32(1, length);
  let at = 5;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const cstring = (s: string): Uint8Array => {
  const b = encoder.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
};

/** A simple Query message (one or more statements, no parameters). */
export function simpleQuery(sql: string): Uint8Array {
  return message('Q', [cstring(sql)]);
}

/**
 * Bind (text parameters, null as SQL NULL) + Execute + Sync of a named statement, as one buffer.
 * Written into one allocation sized for the worst case (three bytes per UTF-16 unit) instead of
 * an allocation per field and a copy of each into the message.
 */
export function bindExecuteSync(statement: string, params: readonly (string | null)[]): Uint8Array {
  let bound = 1 + 4 + 1 + statement.length * 3 + 1 + 2 + 2 + 2 + 14 + 5;
  for (const p of params) bound += 4 + (p === null ? 0 : p.length * 3);
  const out = new Uint8Array(bound);
  const view = new DataView(out.buffer);
  out[0] = 0x42; // B
  let at = 5;
  out[at++] = 0; // unnamed portal
  at += encoder.encodeInto(statement, out.subarray(at)).written;
  out[at++] = 0;
  view.setInt16(at, 0); // every parameter in text format
  view.setInt16(at + 2, params.length);
  at += 4;
  for (const p of params) {
    if (p === null) {
      view.setInt32(at, -1);
      at += 4;
    } else {
      const written = encoder.encodeInto(p, out.subarray(at + 4)).written;
      view.setInt32(at, written);
      at += 4 + written;
    }
  }
  view.setInt16(at, 0); // every result column in text format
  at += 2;
  view.setInt32(1, at - 1);
  // Execute (unnamed portal, no row limit), then Sync.
  out.set([0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0x53, 0, 0, 0, 4], at);
  return out.subarray(0, at + 15);
}

/** A response read without throwing: its data rows (text, SQL NULL as null), command tag, first error. */
export interface Response {
  rows: (string | null)[][];
  /** The CommandComplete tag ("INSERT 0 1", "SELECT 3"); undefined when the statement failed. */
  tag: string | undefined;
  error: ProtocolError | undefined;
}

/** Reads a response's messages: data rows, the command tag and the first ErrorResponse. */
export function readResponse(data: Uint8Array): Response {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const rows: (string | null)[][] = [];
  let tag: string | undefined;
  let error: ProtocolError | undefined;
  let at = 0;
  while (at + 5 <= data.length) {
    const type = data[at];
    const end = at + 1 + view.getInt32(at + 1);
    if (end > data.length) throw new ProtocolError('truncated database response', undefined);
    let p = at + 5;
    if (type === 0x44 /* D: DataRow */) {
      const n = view.getInt16(p);
      p += 2;
      const row = new Array<string | null>(n);
      for (let i = 0; i < n; i++) {
        const len = view.getInt32(p);
        p += 4;
        if (len < 0) {
          row[i] = null;
        } else {
          row[i] = text.toString('utf8', p, p + len);
          p += len;
        }
      }
      rows.push(row);
    } else if (type === 0x43 /* C: CommandComplete */) {
      tag = text.toString('utf8', p, end - 1);
    } else if (type === 0x45 /* E: ErrorResponse */ && !error) {
      const fields = new Map<string, string>();
      while (p < end && data[p] !== 0) {
        const field = String.fromCharCode(data[p]!);
        const zero = data.indexOf(0, p + 1);
        fields.set(field, decoder.decode(data.subarray(p + 1, zero)));
        p = zero + 1;
      }
      error = new ProtocolError(fields.get('M') ?? 'database error', fields.get('C'));
    }
    at = end;
  }
  return { rows, tag: error ? undefined : tag, error };
}

/** The data rows of a response (text values, SQL NULL as null); throws its first ErrorResponse. */
export function readRows(data: Uint8Array): (string | null)[][] {
  const r = readResponse(data);
  if (r.error) throw r.error;
  return r.rows;
}

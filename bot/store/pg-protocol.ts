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
const int16 = (n: number): Uint8Array => {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setInt16(0, n);
  return b;
};
const int32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n);
  return b;
};

/** A simple Query message (one or more statements, no parameters). */
export function simpleQuery(sql: string): Uint8Array {
  return message('Q', [cstring(sql)]);
}

/** Bind (text parameters, null as SQL NULL) + Execute + Sync of a named statement, as one buffer. */
export function bindExecuteSync(statement: string, params: readonly (string | null)[]): Uint8Array {
  const parts: Uint8Array[] = [cstring(''), cstring(statement), int16(0), int16(params.length)];
  for (const p of params) {
    if (p === null) {
      parts.push(int32(-1));
    } else {
      const b = encoder.encode(p);
      parts.push(int32(b.length), b);
    }
  }
  parts.push(int16(0));
  const all = [message('B', parts), message('E', [cstring(''), int32(0)]), message('S', [])];
  const out = new Uint8Array(all.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const m of all) {
    out.set(m, at);
    at += m.length;
  }
  return out;
}

/** The data rows of a response (text values, SQL NULL as null); throws its first ErrorResponse. */
export function readRows(data: Uint8Array): (string | null)[][] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const rows: (string | null)[][] = [];
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
      const row: (string | null)[] = [];
      for (let i = 0; i < n; i++) {
        const len = view.getInt32(p);
        p += 4;
        if (len < 0) {
          row.push(null);
        } else {
          row.push(decoder.decode(data.subarray(p, p + len)));
          p += len;
        }
      }
      rows.push(row);
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
  if (error) throw error;
  return rows;
}

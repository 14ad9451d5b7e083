/**
 * Text from outside: C0 control characters (other than tab, line feed and carriage return) and
 * lone UTF-16 surrogates are refused or removed at the edge. PostgreSQL's text and jsonb refuse
 * NUL, so without this a NUL in a display name became a 500; the others have no business in a
 * chat and only confuse logs, CSV exports and terminals.
 */

const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'g');

/** Where the first forbidden character is, and which one (`U+0000`), or undefined when the text is clean. */
export function findControlChar(text: string): { index: number; char: string } | undefined {
  const m = FORBIDDEN.exec(text);
  if (!m) return undefined;
  return { index: m.index, char: `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` };
}

/** The text with every forbidden character removed (for webhooks whose sender will not resend differently). */
export function stripControlChars(text: string): string {
  return text.replace(FORBIDDEN_ALL, '');
}

/** A sentence for a 400 answer naming the field, or undefined when the text is clean. */
export function controlCharProblem(field: string, text: string): string | undefined {
  const found = findControlChar(text);
  return found ? `${field}: control characters are not allowed (${found.char} at position ${found.index})` : undefined;
}

/**
 * Walks a parsed JSON body (keys and string values, bounded depth) and lists every field holding
 * a forbidden character, as `path: reason`. Generic on purpose: every route's schema gets it.
 */
export function controlCharProblems(value: unknown, path = '', depth = 0, out: string[] = []): string[] {
  if (out.length >= 10) return out;
  if (typeof value === 'string') {
    const p = controlCharProblem(path || '(body)', value);
    if (p) out.push(p);
  } else if (value && typeof value === 'object' && depth < 32) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const here = path ? `${path}.${k}` : k;
      const pk = controlCharProblem(`${here} (field name)`, k);
      if (pk) out.push(pk);
      controlCharProblems(v, here, depth + 1, out);
    }
  }
  return out;
}

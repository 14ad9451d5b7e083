/**
 * Check Parameter: conditions in order (equals, contains, pattern, empty, numeric comparisons),
 * the first that holds names the exit; none holds: `noMatch`.
 */
import { needString, str, type Activity } from './activity';

type Op = 'equals' | 'contains' | 'pattern' | 'empty' | 'gt' | 'lt' | 'gte' | 'lte';
interface Condition {
  op: Op;
  value?: string | number;
  exit: string;
}
const OPS: readonly Op[] = ['equals', 'contains', 'pattern', 'empty', 'gt', 'lt', 'gte', 'lte'];

function conditions(p: Record<string, unknown>): Condition[] {
  return Array.isArray(p.conditions)
    ? (p.conditions as Condition[]).filter((c) => c && OPS.includes(c.op) && typeof c.exit === 'string')
    : [];
}

export function holds(c: Condition, raw: string): boolean {
  const v = raw.trim();
  const want = c.value === undefined ? '' : String(c.value);
  const n = Number(v.replace(',', '.'));
  const m = Number(want);
  const numeric = v !== '' && Number.isFinite(n) && Number.isFinite(m);
  switch (c.op) {
    case 'equals':
      return v.toLowerCase() === want.toLowerCase();
    case 'contains':
      return v.toLowerCase().includes(want.toLowerCase());
    case 'pattern':
      try {
        return new RegExp(want).test(v);
      } catch {
        return false;
      }
    case 'empty':
      return v === '';
    case 'gt':
      return numeric && n > m;
    case 'lt':
      return numeric && n < m;
    case 'gte':
      return numeric && n >= m;
    case 'lte':
      return numeric && n <= m;
  }
}

export const checkParameterActivity: Activity = {
  kind: 'checkParameter',
  imSupported: true,
  exits: (p) => [...new Set([...conditions(p).map((c) => c.exit), 'noMatch'])],
  requiredExits: (p) => [...new Set([...conditions(p).map((c) => c.exit), 'noMatch'])],
  validate(p: Record<string, unknown>) {
    const out = needString(p, 'parameter');
    if (!Array.isArray(p.conditions) || p.conditions.length === 0) out.push('parameter "conditions" needs at least one condition');
    else if (conditions(p).length !== p.conditions.length) out.push(`every condition needs an "op" (${OPS.join(', ')}) and an "exit"`);
    return out;
  },
  run({ p, snap }) {
    const value = snap.params[str(p, 'parameter') ?? ''] ?? '';
    const hit = conditions(p).find((c) => holds(c, value));
    return { kind: 'continue', exit: hit ? hit.exit : 'noMatch' };
  },
};

/** Canned responses in the compose box: which match what the agent typed after `/`, and the text they insert. */
import type { CannedResponse } from '../../../shared/tenant/model';

/** A response as the picker lists it: the service's or the agent's own (ids may repeat across the two). */
export interface CannedChoice extends CannedResponse {
  source: 'service' | 'mine';
}

/** The query when the compose box starts with `/` and holds nothing else but it (one line, no space yet); undefined otherwise. */
export function slashQuery(text: string): string | undefined {
  const m = /^\/([^\s/]*)$/.exec(text);
  return m ? m[1]!.toLowerCase() : undefined;
}

/** Responses whose id or title contains the query (ids starting with it first), at most `limit`. */
export function matchCanned(list: readonly CannedChoice[], query: string, limit = 8): CannedChoice[] {
  const q = query.toLowerCase();
  const hits = list.filter((r) => r.id.includes(q) || r.title.toLowerCase().includes(q));
  const rank = (r: CannedChoice) => (r.id.startsWith(q) ? 0 : 1);
  return hits.sort((a, b) => rank(a) - rank(b)).slice(0, limit);
}

/** The response's text with `{customer}` and `{agent}` replaced by the names (as text: nothing is interpreted). */
export function fillCanned(text: string, names: { customer: string; agent: string }): string {
  return text.replace(/\{(customer|agent)\}/g, (_m, k: 'customer' | 'agent') => names[k]);
}

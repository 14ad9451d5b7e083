/**
 * Input Customer: a menu. Sends the prompt, matches the answer to an option's key or label
 * (case-insensitive), and leaves through that option's exit; after the retries, `noMatch`.
 */
import { render } from '../template';
import { bumpAttempts, needString, num, optNumber, resetAttempts, setParam, str, type Activity } from './activity';

interface MenuOption {
  key: string;
  label?: string;
  exit: string;
}

function options(p: Record<string, unknown>): MenuOption[] {
  return Array.isArray(p.options)
    ? (p.options as MenuOption[]).filter((o) => o && typeof o.key === 'string' && typeof o.exit === 'string')
    : [];
}

export const inputCustomerActivity: Activity = {
  kind: 'inputCustomer',
  imSupported: true,
  exits: (p) => [...new Set([...options(p).map((o) => o.exit), 'noMatch'])],
  requiredExits: (p) => [...new Set([...options(p).map((o) => o.exit), 'noMatch'])],
  validate(p) {
    const out = [...needString(p, 'prompt'), ...optNumber(p, 'retries', 0, 10)];
    if (!Array.isArray(p.options) || p.options.length === 0) out.push('parameter "options" needs at least one option');
    else if (options(p).length !== p.options.length) out.push('every option needs a "key" and an "exit"');
    return out;
  },
  run({ nodeId, p, snap, ctx, event }) {
    if (!event)
      return {
        kind: 'wait',
        wait: { kind: 'customerMessage' },
        effects: [{ type: 'sendMessage', text: render(str(p, 'prompt') ?? '', snap.params, ctx) }],
      };
    if (event.type !== 'customerMessage') return { kind: 'continue', exit: 'noMatch' };
    const answer = event.text.trim().toLowerCase();
    const hit = options(p).find((o) => o.key.toLowerCase() === answer || (o.label !== undefined && o.label.toLowerCase() === answer));
    if (hit) {
      resetAttempts(snap, nodeId);
      return { kind: 'continue', exit: hit.exit, effects: [setParam(snap, str(p, 'parameter') ?? `Menu.${nodeId}`, hit.key)] };
    }
    if (bumpAttempts(snap, nodeId) > (num(p, 'retries') ?? 2)) {
      resetAttempts(snap, nodeId);
      return { kind: 'continue', exit: 'noMatch' };
    }
    const again = str(p, 'noMatchMessage') ?? `Sorry, I did not understand. ${str(p, 'prompt') ?? ''}`;
    return { kind: 'wait', wait: { kind: 'customerMessage' }, effects: [{ type: 'sendMessage', text: render(again, snap.params, ctx) }] };
  },
};

/**
 * Transfer: to another service only (as the seed says for IM). The task continues in the target
 * service's workflow and this session ends `transferred`. Exit `failed` when the target cannot
 * take IM (unknown, the same service, IM off).
 */
import { mayServiceUseIm } from '../../licensing/service';
import { needString, str, type Activity } from './activity';

export const transferActivity: Activity = {
  kind: 'transfer',
  imSupported: true,
  terminal: true,
  exits: () => ['failed'],
  requiredExits: () => [],
  validate: (p) => needString(p, 'serviceId'),
  run({ p, ctx }) {
    const target = ctx.tenant.services.find((s) => s.id === str(p, 'serviceId'));
    if (!target || target.id === ctx.service.id || !mayServiceUseIm(target).allowed) return { kind: 'continue', exit: 'failed' };
    return { kind: 'end', outcome: 'transferred', effects: [{ type: 'transfer', serviceId: target.id }] };
  },
};

/**
 * Asks WhatsApp and SMS customers for a rating when their chat ends, however it ended (the agent,
 * the customer, inactivity, a supervisor): a durable event subscriber of the customers' `state`
 * events, so the question is sent once for the deployment, after the end committed, through the
 * channel's durable send (the channelSend job). The rules are in customers/csat.ts.
 */
import type { EventOf, Stored } from '@stratus/shared/contract/events';
import { askByMessage } from '../../customers/csat';
import type { DurableSubscriber } from '../../events/subscribers';
import type { Runtime } from '../../runtime/runtime';
import { WINDOW_MS } from './sender';

type StateEvent = Stored<EventOf<'state'>>;

const isEnd = (e: StateEvent) => e.payload.state === 'ended';
/** Only tenants with a service that asks for ratings have anything to ask. */
const tenantAsks = (rt: Runtime, tenantId: string) =>
  rt.tenants.tenant(tenantId)?.services.some((s) => s.im.chat?.satisfaction?.enabled) ?? false;

/** The subscriber; the composition root wires it beside the other durable ones. */
export function ratingQuestionSubscriber(): DurableSubscriber<'state'> {
  return {
    kind: 'durable',
    name: 'csat-questions',
    types: ['state'],
    wants: isEnd,
    handle: async (u, list) => {
      // An end makes more than one `ended` frame (the conversation's and its task's): one look per chat.
      const seen = new Set<string>();
      for (const e of list) {
        if (!isEnd(e) || seen.has(e.conversationId) || !tenantAsks(u.rt, e.tenantId)) continue;
        seen.add(e.conversationId);
        await askByMessage(u, e.tenantId, e.conversationId, WINDOW_MS);
      }
    },
  };
}

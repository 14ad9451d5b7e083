/**
 * Adaptive Cards the bot sends (schema 1.4, Universal Actions with `Action.Execute`). Customer
 * text is escaped for the markdown Teams renders in TextBlocks, so a customer can neither add
 * links nor formatting to an agent's chat.
 */
import type { AgentSession, ChatMessage } from '@stratus/shared/contract/api';

export type Card = Record<string, unknown>;

/** Escapes what Teams' TextBlock markdown would interpret (and HTML-ish brackets). */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|>~<]/g, (c) => `\\${c}`);
}

const CHANNEL: Record<string, string> = { interact: 'Website chat', whatsapp: 'WhatsApp', sms: 'SMS' };

/** Short tag for a session, so an agent with several chats can tell them apart. */
export function sessionTag(taskId: string): string {
  return `#${taskId.replace(/^task[_-]?/, '').slice(-5)}`;
}

function card(body: unknown[], actions: unknown[] = [], extra: Record<string, unknown> = {}): Card {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body,
    ...(actions.length ? { actions } : {}),
    ...extra,
  };
}

function waited(since: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
  return s < 60 ? `${s} s` : `${Math.round(s / 60)} min`;
}

function facts(s: AgentSession, now: number): unknown {
  const list = [
    { title: 'Customer', value: escapeMarkdown(s.customer.displayName) },
    { title: 'Channel', value: CHANNEL[s.channel] ?? s.channel },
    { title: 'Service', value: escapeMarkdown(s.direct ? 'Direct chat to you' : s.serviceName) },
    { title: 'Waiting', value: waited(s.createdAt, now) },
    ...(s.customer.email ? [{ title: 'Email', value: escapeMarkdown(s.customer.email) }] : []),
    ...(s.customer.phone ? [{ title: 'Phone', value: escapeMarkdown(s.customer.phone) }] : []),
    ...Object.entries(s.parameters)
      .slice(0, 10)
      .map(([k, v]) => ({ title: escapeMarkdown(k), value: escapeMarkdown(v) })),
  ];
  return { type: 'FactSet', facts: list };
}

/** The attendant notification: who, where from, how long, first message; Accept / Decline. */
export function offerCard(s: AgentSession, now: number): Card {
  return card(
    [
      { type: 'TextBlock', text: 'New chat for you', weight: 'Bolder', size: 'Medium' },
      facts(s, now),
      ...(s.firstMessage ? [{ type: 'TextBlock', text: escapeMarkdown(s.firstMessage), wrap: true, isSubtle: true, maxLines: 6 }] : []),
    ],
    [
      { type: 'Action.Execute', title: 'Accept', verb: 'accept', data: { taskId: s.id }, style: 'positive' },
      { type: 'Action.Execute', title: 'Decline', verb: 'decline', data: { taskId: s.id } },
    ],
  );
}

export type OfferOutcome = 'acceptedByYou' | 'declined' | 'expired' | 'takenByOther' | 'cancelled' | 'ended';

const OUTCOME_TEXT: Record<OfferOutcome, string> = {
  acceptedByYou: 'You accepted this chat. Write here to answer; the My Sessions tab has the whole conversation.',
  declined: 'You declined this chat.',
  expired: 'This offer expired before it was answered.',
  takenByOther: 'Another agent took this chat.',
  cancelled: 'The customer left before the chat was accepted.',
  ended: 'This chat has ended.',
};

/** The offer card once the offer is over: same facts, no buttons, what happened. */
export function offerClosedCard(s: AgentSession, outcome: OfferOutcome, now: number): Card {
  return card(
    [
      { type: 'TextBlock', text: 'Chat offer', weight: 'Bolder', size: 'Medium', isSubtle: true },
      facts(s, now),
      {
        type: 'TextBlock',
        text: OUTCOME_TEXT[outcome],
        wrap: true,
        weight: 'Bolder',
        color: outcome === 'acceptedByYou' ? 'Good' : 'Default',
      },
    ],
    outcome === 'acceptedByYou' ? sessionActions(s.id, []) : [],
  );
}

/** End and Transfer, as card actions. */
function sessionActions(taskId: string, services: { id: string; name: string }[]): unknown[] {
  return [
    { type: 'Action.Execute', title: 'End chat', verb: 'end', data: { taskId } },
    ...(services.length
      ? [
          {
            type: 'Action.ShowCard',
            title: 'Transfer',
            card: card(
              [
                {
                  type: 'Input.ChoiceSet',
                  id: 'serviceId',
                  label: 'Transfer to',
                  choices: services.map((x) => ({ title: x.name, value: x.id })),
                  isRequired: true,
                  errorMessage: 'Pick a service.',
                },
              ],
              [{ type: 'Action.Execute', title: 'Transfer', verb: 'transfer', data: { taskId } }],
            ),
          },
        ]
      : []),
  ];
}

/** Customer messages relayed into the agent's chat; with several open sessions a reply box bound to this one. */
export function relayCard(
  s: { id: string; customerName: string },
  messages: ChatMessage[],
  opts: { replyBox: boolean; services: { id: string; name: string }[] },
): Card {
  const body: unknown[] = [
    { type: 'TextBlock', text: `${escapeMarkdown(s.customerName)} ${sessionTag(s.id)}`, weight: 'Bolder', wrap: true },
    ...messages.map((m) => ({ type: 'TextBlock', text: escapeMarkdown(m.text), wrap: true, spacing: 'Small' })),
  ];
  if (opts.replyBox) body.push({ type: 'Input.Text', id: 'reply', placeholder: `Answer ${s.customerName}`, isMultiline: true });
  const actions = [
    ...(opts.replyBox ? [{ type: 'Action.Execute', title: 'Send', verb: 'reply', data: { taskId: s.id } }] : []),
    ...sessionActions(s.id, opts.services),
  ];
  return card(body, actions);
}

export function noticeCard(text: string): Card {
  return card([{ type: 'TextBlock', text: escapeMarkdown(text), wrap: true, isSubtle: true }]);
}

/** The greeting on install: what the bot does and a link to the tab. */
export function welcomeCard(displayName: string, tabUrl: string | undefined): Card {
  return card(
    [
      { type: 'TextBlock', text: `Hello ${escapeMarkdown(displayName)}`, weight: 'Bolder', size: 'Medium' },
      {
        type: 'TextBlock',
        text: "Stratus tells you here when a customer chat is offered to you, and relays the customer's messages once you accept. My Sessions has every conversation in full.",
        wrap: true,
      },
    ],
    tabUrl ? [{ type: 'Action.OpenUrl', title: 'Open My Sessions', url: tabUrl }] : [],
  );
}

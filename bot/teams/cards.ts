/**
 * Adaptive Cards the bot sends (schema 1.4, Universal Actions with `Action.Execute`). Text a
 * customer controls (messages, names, collected parameters) goes into a RichTextBlock's TextRuns:
 * Teams reads a TextBlock's text and a FactSet's values as markdown, a TextRun's text never, so a
 * customer can add neither links nor formatting, and nothing needs escaping (backslash escapes
 * show as stray backslashes on Teams mobile). Each line of a message is its own block, because
 * Teams joins single line breaks unless markdown paragraphs are used.
 */
import type { AgentSession, ChatMessage } from '@stratus/shared/contract/api';
import type { EndedBy } from '@stratus/shared/task/types';

export type Card = Record<string, unknown>;

const CHANNEL: Record<string, string> = { interact: 'Website chat', whatsapp: 'WhatsApp', sms: 'SMS' };

/** Lines of one message shown as their own blocks; the rest share the last block, so no text is lost and a card stays small. */
const MAX_LINES_PER_MESSAGE = 40;
/** Characters of one customer-controlled value shown where a short one is expected (names, parameters). */
const MAX_SHORT_CHARS = 200;

/** Short tag for a session, so an agent with several chats can tell them apart. */
export function sessionTag(taskId: string): string {
  return `#${taskId.replace(/^task[_-]?/, '').slice(-5)}`;
}

/** Control characters (but tab and line breaks) shown as U+FFFD: invisible otherwise, and nothing a card should carry. */
function visible(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '\ufffd');
}

/** A customer-controlled value on one line, cut at MAX_SHORT_CHARS (names, parameters). */
export function oneLine(s: string): string {
  const v = visible(s).replace(/\s+/g, ' ').trim();
  return v.length > MAX_SHORT_CHARS ? `${v.slice(0, MAX_SHORT_CHARS - 1)}…` : v;
}

type RunStyle = { weight?: 'Bolder'; isSubtle?: boolean; color?: 'Good' | 'Attention' };

/** Text shown exactly as written: a TextRun is never read as markdown. */
export function textRun(text: string, style: RunStyle = {}): Record<string, unknown> {
  return { type: 'TextRun', text, ...style };
}

function rich(inlines: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'RichTextBlock', inlines, ...extra };
}

/**
 * A customer's text as blocks, one per line (runs of blank lines kept as one blank line), never
 * read as markdown. Past MAX_LINES_PER_MESSAGE lines the rest shares the last block.
 */
export function textLines(text: string, extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  const lines = visible(text)
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) lines.push('');
  if (lines.length > MAX_LINES_PER_MESSAGE)
    lines.splice(MAX_LINES_PER_MESSAGE - 1, Infinity, lines.slice(MAX_LINES_PER_MESSAGE - 1).join('\n'));
  // A blank line is a no-break space: an empty run would collapse and the gap with it.
  return lines.map((l, i) => rich([textRun(l === '' ? '\u00a0' : l)], { spacing: i === 0 ? 'Small' : 'None', ...extra }));
}

/** "Jane Doe #ab12c": who a card or notice is about. */
function who(customerName: string, taskId: string, style: RunStyle = { weight: 'Bolder' }): unknown[] {
  return [textRun(oneLine(customerName), style), textRun(` ${sessionTag(taskId)}`, { isSubtle: true })];
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

/** One "label: value" line; a FactSet would read the value as markdown. */
function fact(label: string, value: string): unknown {
  return rich([textRun(`${oneLine(label)}: `, { weight: 'Bolder' }), textRun(oneLine(value))], { spacing: 'None' });
}

function facts(s: AgentSession, now: number): unknown[] {
  return [
    fact('Customer', s.customer.displayName),
    fact('Channel', CHANNEL[s.channel] ?? s.channel),
    fact('Service', s.direct ? 'Direct chat to you' : s.serviceName),
    fact('Waiting', waited(s.createdAt, now)),
    ...(s.customer.email ? [fact('Email', s.customer.email)] : []),
    ...(s.customer.phone ? [fact('Phone', s.customer.phone)] : []),
    ...Object.entries(s.parameters)
      .slice(0, 10)
      .map(([k, v]) => fact(k, v)),
  ];
}

/** The attendant notification: who, where from, how long, first message; Accept / Decline. */
export function offerCard(s: AgentSession, now: number): Card {
  return card(
    [
      { type: 'TextBlock', text: 'New chat for you', weight: 'Bolder', size: 'Medium' },
      ...facts(s, now),
      ...(s.firstMessage ? textLines(s.firstMessage, { isSubtle: true }).slice(0, 6) : []),
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
      ...facts(s, now),
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
  const body: unknown[] = [rich(who(s.customerName, s.id)), ...messages.flatMap((m) => textLines(m.text))];
  if (opts.replyBox) body.push({ type: 'Input.Text', id: 'reply', placeholder: `Answer ${oneLine(s.customerName)}`, isMultiline: true });
  const actions = [
    ...(opts.replyBox ? [{ type: 'Action.Execute', title: 'Send', verb: 'reply', data: { taskId: s.id } }] : []),
    ...sessionActions(s.id, opts.services),
  ];
  return card(body, actions);
}

/** A short notice; about a session, it names the customer and the session's tag. */
export function noticeCard(text: string, session?: { id: string; customerName: string }): Card {
  if (!session) return card(textLines(text, { isSubtle: true }));
  return card([rich([...who(session.customerName, session.id), textRun(`: ${text}`)])]);
}

/** How an accepted session ended, as its notice says it (after "Jane Doe #ab12c: "). */
export interface SessionEnd {
  by?: EndedBy;
  outcome?: string;
  /** The name of the service a transferred chat went to. */
  transferredTo?: string;
  /** A supervisor took the chat over, gave it to another agent, or ended it. */
  supervisor?: { displayName: string; action: 'takeover' | 'reassign' | 'end' };
}

/** The notice text for an accepted session that ended. */
export function sessionEndText(end: SessionEnd): string {
  if (end.supervisor) {
    const name = oneLine(end.supervisor.displayName);
    if (end.supervisor.action === 'takeover') return `taken over by ${name} (supervisor).`;
    if (end.supervisor.action === 'reassign') return `reassigned to another agent by ${name} (supervisor).`;
    return `chat ended by ${name} (supervisor).`;
  }
  if (end.outcome === 'transferred') return `transferred to ${end.transferredTo ?? 'another service'}.`;
  switch (end.by) {
    case 'customer':
      return 'the customer left the chat.';
    case 'agent':
      return 'chat ended by you.';
    case 'system':
      return end.outcome === 'inactive' ? 'chat closed by the system: the customer was inactive.' : 'chat closed by the system.';
    case 'workflow':
      return 'chat ended by the workflow.';
    case 'supervisor':
      return 'chat ended by a supervisor.';
    case undefined:
      return 'the chat has ended.';
  }
}

/** The greeting on install: what the bot does and a link to the tab. */
export function welcomeCard(displayName: string, tabUrl: string | undefined): Card {
  return card(
    [
      rich([textRun(`Hello ${oneLine(displayName)}`, { weight: 'Bolder' })]),
      {
        type: 'TextBlock',
        text: "Stratus tells you here when a customer chat is offered to you, and relays the customer's messages once you accept. My Sessions has every conversation in full.",
        wrap: true,
      },
    ],
    tabUrl ? [{ type: 'Action.OpenUrl', title: 'Open My Sessions', url: tabUrl }] : [],
  );
}

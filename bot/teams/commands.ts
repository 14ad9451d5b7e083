/**
 * The bot's own commands in the agent's Teams chat (the manifest's `commandLists`). A command is
 * answered by the bot and never reaches a customer; anything else the agent types is relayed.
 * Matching is deliberately narrow (the whole message is the command) so that an ordinary sentence
 * that starts with "help" or "end" still goes to the customer.
 */
import type { AgentSession } from '@stratus/shared/contract/api';
import { oneLine, sessionTag, textRun, type Card } from './cards';

export type BotCommandKind = 'help' | 'sessions' | 'switch' | 'end';
/** A parsed command; `switch` carries the tag typed after it (without `#`), if any. */
export type BotCommand = { kind: 'help' } | { kind: 'sessions' } | { kind: 'end' } | { kind: 'switch'; tag?: string };

/** What each command does, as `help` lists it (keep in step with appPackage/manifest.json). */
export const BOT_COMMANDS = {
  help: 'What Stratus does here',
  sessions: 'Your open chats and offers',
  switch: 'switch #tag: what you type goes to that chat',
  end: 'Ends the chat you are writing to',
} as const satisfies Record<BotCommandKind, string>;

/** The longest tag `switch` takes: anything longer is not a tag (the bot still answers, and never forwards it). */
const MAX_TAG = 40;

/**
 * The command a message is, if it is one: case-insensitive, with or without a leading slash, and
 * with the @mention Teams puts in front when the command is picked from the compose box
 * (`<at>Stratus</at> help`) removed. `switch` takes one `#tag`; `switch` without a `#` after it
 * ("switch it off") is a sentence for the customer.
 */
export function parseCommand(text: string): BotCommand | undefined {
  const bare = text
    .replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, ' ')
    .replace(/&nbsp;|\u00a0/gi, ' ')
    .trim()
    .replace(/^\/\s*/, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
  switch (bare) {
    case 'help':
    case 'sessions':
    case 'end':
    case 'switch':
      return { kind: bare };
  }
  const m = /^switch #(\S+)$/.exec(bare);
  return m ? { kind: 'switch', tag: m[1]!.slice(0, MAX_TAG) } : undefined;
}

function card(body: unknown[]): Card {
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.4', body };
}

const line = (inlines: unknown[], spacing = 'None') => ({ type: 'RichTextBlock', inlines, spacing });
/** "Jane Doe #ab12c", the name as written (a TextRun is never read as markdown). */
const named = (s: { id: string; customerName: string }) => [
  textRun(oneLine(s.customerName), { weight: 'Bolder' }),
  textRun(` ${sessionTag(s.id)}`),
];

/** The answer to `help`: what the bot does and its commands. */
export function helpCard(): Card {
  return card([
    { type: 'TextBlock', text: 'Stratus', weight: 'Bolder', size: 'Medium' },
    {
      type: 'TextBlock',
      wrap: true,
      text: "I offer you customer chats here (Accept or Decline), relay the customer's messages once you accept, and send what you type to your current chat: the one whose card you last answered from. With several chats I say which one got your message. My Sessions has every conversation in full.",
    },
    { type: 'FactSet', facts: Object.entries(BOT_COMMANDS).map(([title, value]) => ({ title, value })) },
  ]);
}

const STATE_TEXT: Partial<Record<AgentSession['state'], string>> = { connected: 'connected', offered: 'offered to you' };

/** The answer to `sessions`: the agent's open chats and offers, the one their typing goes to marked. */
export function sessionsCard(sessions: readonly AgentSession[], currentId: string | undefined): Card {
  const open = sessions.filter((s) => s.state === 'connected' || s.state === 'offered');
  if (open.length === 0) return card([{ type: 'TextBlock', text: 'You have no open chats or offers right now.', wrap: true }]);
  return card([
    { type: 'TextBlock', text: `Your open chats (${open.length})`, weight: 'Bolder' },
    ...open.map((s) =>
      line([
        ...named({ id: s.id, customerName: s.customer.displayName }),
        textRun(
          `: ${s.direct ? 'Direct chat' : s.serviceName}, ${STATE_TEXT[s.state] ?? s.state}${s.id === currentId ? ' (what you type goes here)' : ''}`,
        ),
      ]),
    ),
    { type: 'TextBlock', text: 'Type switch #tag to write to another chat.', wrap: true, isSubtle: true, spacing: 'Small' },
  ]);
}

/** One open chat, as the bot names it in its short answers. */
export interface OpenChat {
  id: string;
  customerName: string;
}

/** "Sent to Jane Doe #ab12c": the confirmation after a typed message, when the agent has several chats. */
export function sentToCard(s: OpenChat): Card {
  return card([line([textRun('Sent to ', { isSubtle: true }), ...named(s)])]);
}

/** The answer to `switch #tag` that found the chat, and after `end` when other chats remain. */
export function nowWritingToCard(s: OpenChat): Card {
  return card([line([textRun('What you type now goes to '), ...named(s)])]);
}

/** The answer to `switch` with a tag no open chat has (or without a tag): which tags there are. */
export function unknownTagCard(tag: string | undefined, open: readonly OpenChat[]): Card {
  const head = tag === undefined ? 'Type switch #tag with the tag of one of your chats.' : `None of your open chats has the tag #${tag}.`;
  if (open.length === 0) return card([line([textRun(`${head} You have no open chats right now.`)])]);
  return card([line([textRun(`${head} Your open chats:`)]), ...open.map((s) => line([textRun('• '), ...named(s)]))]);
}

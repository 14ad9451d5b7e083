/**
 * The bot's own commands in the agent's Teams chat (the manifest's `commandLists`). A command is
 * answered by the bot and never reaches a customer; anything else the agent types is relayed.
 * Matching is deliberately narrow (the whole message is the command) so that an ordinary sentence
 * that starts with "help" still goes to the customer.
 */
import type { AgentSession } from '@stratus/shared/contract/api';
import { escapeMarkdown, sessionTag, type Card } from './cards';

export type BotCommand = 'help' | 'sessions';

/** What each command does, as `help` lists it (keep in step with appPackage/manifest.json). */
export const BOT_COMMANDS = {
  help: 'What Stratus does here',
  sessions: 'Your open chats and offers',
} as const satisfies Record<BotCommand, string>;

function isCommand(s: string): s is BotCommand {
  return Object.prototype.hasOwnProperty.call(BOT_COMMANDS, s);
}

/**
 * The command a message is, if it is one: case-insensitive, with or without a leading slash, and
 * with the @mention Teams puts in front when the command is picked from the compose box
 * (`<at>Stratus</at> help`) removed.
 */
export function parseCommand(text: string): BotCommand | undefined {
  const bare = text
    .replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, ' ')
    .replace(/&nbsp;|\u00a0/gi, ' ')
    .trim()
    .replace(/^\/\s*/, '')
    .toLowerCase();
  return isCommand(bare) ? bare : undefined;
}

function card(body: unknown[]): Card {
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.4', body };
}

/** The answer to `help`: what the bot does and its commands. */
export function helpCard(): Card {
  return card([
    { type: 'TextBlock', text: 'Stratus', weight: 'Bolder', size: 'Medium' },
    {
      type: 'TextBlock',
      wrap: true,
      text: "I offer you customer chats here (Accept or Decline), relay the customer's messages once you accept, and send what you type to your current chat. My Sessions has every conversation in full.",
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
    {
      type: 'FactSet',
      facts: open.map((s) => ({
        title: `${escapeMarkdown(s.customer.displayName)} ${sessionTag(s.id)}`,
        value: `${escapeMarkdown(s.direct ? 'Direct chat' : s.serviceName)}, ${STATE_TEXT[s.state] ?? s.state}${s.id === currentId ? ' (what you type goes here)' : ''}`,
      })),
    },
  ]);
}

/**
 * Message: sends a templated text to the customer, in their language when the node has it
 * (`text_de`, `text_fr`; `text` is the English one and the fallback for every other language).
 */
import type { InteractLanguage } from '../../tenant/model';
import { render } from '../template';
import { fixed, needString, next, str, type Activity } from './activity';

/** The optional translated texts a Message node may carry, by language (English is `text`). */
export const MESSAGE_TRANSLATIONS = { de: 'text_de', fr: 'text_fr' } as const satisfies Partial<Record<InteractLanguage, string>>;

/** The node's text for the language: its translation when one is set, else `text`. */
export function messageText(p: Record<string, unknown>, language: InteractLanguage | undefined): string {
  const translated = language && language !== 'en' ? str(p, MESSAGE_TRANSLATIONS[language]) : undefined;
  return translated?.trim() ? translated : (str(p, 'text') ?? '');
}

export const messageActivity: Activity = {
  kind: 'message',
  imSupported: true,
  ...fixed(['next']),
  validate: (p) => [
    ...needString(p, 'text'),
    ...Object.values(MESSAGE_TRANSLATIONS)
      .filter((k) => p[k] !== undefined && typeof p[k] !== 'string')
      .map((k) => `parameter "${k}" must be a text`),
  ],
  run: ({ p, snap, ctx }) => next([{ type: 'sendMessage', text: render(messageText(p, ctx.language), snap.params, ctx) }]),
};

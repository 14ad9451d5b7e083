/**
 * The customer widget's own words and look (widget/src/chat.html, chat.css), so the editor's
 * preview shows what the customer will see in each language the widget speaks.
 */
import type { InteractLanguage } from '@stratus/shared/tenant/model';

/** The widget's accent when the service sets none (chat.css `--accent`): widget data, not a theme colour. */
export const WIDGET_DEFAULT_COLOR = '#4f52b2';

export interface WidgetText {
  title: (name: string) => string;
  intro: string;
  name: string;
  email: string;
  help: string;
  optional: string;
  consent: [string, string, string];
  start: string;
}

export const WIDGET_TEXT: Record<InteractLanguage, WidgetText> = {
  en: {
    title: (n) => `Chat with ${n}`,
    intro: 'Tell us who you are and we will connect you.',
    name: 'Your name',
    email: 'Email',
    help: 'How can we help?',
    optional: '(optional)',
    consent: ['I agree that my name, email and messages are processed to answer me, as described in the ', 'privacy policy', '.'],
    start: 'Start chat',
  },
  de: {
    title: (n) => `Chat mit ${n}`,
    intro: 'Sagen Sie uns, wer Sie sind, und wir verbinden Sie.',
    name: 'Ihr Name',
    email: 'E-Mail',
    help: 'Wie können wir helfen?',
    optional: '(optional)',
    consent: [
      'Ich bin einverstanden, dass mein Name, meine E-Mail-Adresse und meine Nachrichten verarbeitet werden, um mir zu antworten, wie in der ',
      'Datenschutzerklärung',
      ' beschrieben.',
    ],
    start: 'Chat starten',
  },
  fr: {
    title: (n) => `Discuter avec ${n}`,
    intro: 'Dites-nous qui vous êtes et nous vous mettrons en relation.',
    name: 'Votre nom',
    email: 'E-mail',
    help: 'Comment pouvons-nous vous aider ?',
    optional: '(facultatif)',
    consent: [
      'J’accepte que mon nom, mon e-mail et mes messages soient traités pour me répondre, comme décrit dans la ',
      'politique de confidentialité',
      '.',
    ],
    start: 'Démarrer la discussion',
  },
};

/** The snippet a website embeds to show the widget. */
export function embedSnippet(origin: string, code: string): string {
  return `<script src="${origin}/interact/loader.js" data-code="${code}" async></script>`;
}

/**
 * The server's own sentences to a customer (who joined, who left, a transfer, an end, the rating question), in the
 * languages the widget speaks. One table: a language missing a sentence breaks the build. The
 * English wording is the one tests and existing transcripts already show; do not change it.
 */
import { INTERACT_LANGUAGES, type InteractLanguage } from '../tenant/model';

export type CustomerTextKey =
  | 'agentJoined'
  | 'agentEnded'
  | 'customerLeft'
  | 'serviceUnavailable'
  | 'transferred'
  | 'endedByKeyword'
  | 'inactivityWarning'
  | 'inactivityClosed'
  | 'directUnavailable'
  | 'directTimedOut'
  | 'directDeclined'
  | 'csatQuestion'
  | 'csatThanks';

/** The names a sentence may carry; absent ones read as "an agent" / "the agent" in the language. */
export interface CustomerTextVars {
  /** The agent, or for a direct chat the person the customer wrote to. */
  agent?: string;
  customer?: string;
  service?: string;
}

type Table = Record<CustomerTextKey, (v: CustomerTextVars) => string>;

const en: Table = {
  agentJoined: (v) => `${v.agent ?? 'An agent'} joined the chat.`,
  agentEnded: (v) => `${v.agent ?? 'The agent'} ended the chat.`,
  customerLeft: (v) => `${v.customer ?? 'The customer'} left the chat.`,
  serviceUnavailable: () => 'Sorry, this service cannot take chats right now.',
  transferred: (v) => `You are being transferred to ${v.service ?? 'another team'}.`,
  endedByKeyword: () => 'You have ended the chat. Thank you for writing to us.',
  inactivityWarning: () => 'Are you still there? This chat will close soon if we do not hear from you.',
  inactivityClosed: () => 'This chat was closed because there was no reply for a while.',
  // A direct chat that ends without its person (the same sentences as shared/task/direct-chat.ts).
  directUnavailable: (v) => `${v.agent ?? 'The person you wrote to'} is not available right now. Please try again later.`,
  directTimedOut: (v) => `${v.agent ?? 'The person you wrote to'} could not take your chat. Please try again later.`,
  directDeclined: (v) => `${v.agent ?? 'The person you wrote to'} cannot take your chat right now. Please try again later.`,
  // Customer satisfaction by message (WhatsApp, SMS): the question after the chat, and the answer to a rating.
  csatQuestion: () => 'How would you rate this chat? Reply with a number from 1 (poor) to 5 (excellent).',
  csatThanks: () => 'Thank you for your rating!',
};

const de: Table = {
  agentJoined: (v) => `${v.agent ?? 'Ein Mitarbeiter'} ist dem Chat beigetreten.`,
  agentEnded: (v) => `${v.agent ?? 'Der Mitarbeiter'} hat den Chat beendet.`,
  customerLeft: (v) => `${v.customer ?? 'Der Kunde'} hat den Chat verlassen.`,
  serviceUnavailable: () => 'Leider kann dieser Dienst gerade keine Chats annehmen.',
  transferred: (v) => `Sie werden an ${v.service ?? 'ein anderes Team'} weitergeleitet.`,
  endedByKeyword: () => 'Sie haben den Chat beendet. Danke für Ihre Nachricht.',
  inactivityWarning: () => 'Sind Sie noch da? Dieser Chat wird bald geschlossen, wenn wir nichts von Ihnen hören.',
  inactivityClosed: () => 'Dieser Chat wurde geschlossen, weil längere Zeit keine Antwort kam.',
  directUnavailable: (v) =>
    `${v.agent ?? 'Die Person, der Sie geschrieben haben,'} ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal.`,
  directTimedOut: (v) =>
    `${v.agent ?? 'Die Person, der Sie geschrieben haben,'} konnte Ihren Chat nicht annehmen. Bitte versuchen Sie es später noch einmal.`,
  directDeclined: (v) =>
    `${v.agent ?? 'Die Person, der Sie geschrieben haben,'} kann Ihren Chat gerade nicht annehmen. Bitte versuchen Sie es später noch einmal.`,
  csatQuestion: () => 'Wie bewerten Sie diesen Chat? Antworten Sie mit einer Zahl von 1 (schlecht) bis 5 (ausgezeichnet).',
  csatThanks: () => 'Vielen Dank für Ihre Bewertung!',
};

const fr: Table = {
  agentJoined: (v) => `${v.agent ?? 'Un conseiller'} a rejoint la discussion.`,
  agentEnded: (v) => `${v.agent ?? 'Le conseiller'} a mis fin à la discussion.`,
  customerLeft: (v) => `${v.customer ?? 'Le client'} a quitté la discussion.`,
  serviceUnavailable: () => 'Désolé, ce service ne peut pas prendre de discussions pour le moment.',
  transferred: (v) => `Vous êtes transféré vers ${v.service ?? 'une autre équipe'}.`,
  endedByKeyword: () => 'Vous avez mis fin à la discussion. Merci de nous avoir écrit.',
  inactivityWarning: () => 'Êtes-vous toujours là ? Cette discussion sera bientôt fermée sans réponse de votre part.',
  inactivityClosed: () => 'Cette discussion a été fermée faute de réponse.',
  directUnavailable: (v) =>
    `${v.agent ?? 'La personne à qui vous avez écrit'} n’est pas disponible pour le moment. Merci de réessayer plus tard.`,
  directTimedOut: (v) =>
    `${v.agent ?? 'La personne à qui vous avez écrit'} n’a pas pu prendre votre discussion. Merci de réessayer plus tard.`,
  directDeclined: (v) =>
    `${v.agent ?? 'La personne à qui vous avez écrit'} ne peut pas prendre votre discussion pour le moment. Merci de réessayer plus tard.`,
  csatQuestion: () => 'Comment évaluez-vous cette discussion ? Répondez par un chiffre de 1 (mauvais) à 5 (excellent).',
  csatThanks: () => 'Merci pour votre évaluation !',
};

const TEXTS = { en, de, fr } satisfies Record<InteractLanguage, Table>;

/** A language the customer side speaks, from anything (a request field, a stored column); undefined otherwise. */
export function customerLanguage(v: unknown): InteractLanguage | undefined {
  return typeof v === 'string' && (INTERACT_LANGUAGES as readonly string[]).includes(v) ? (v as InteractLanguage) : undefined;
}

/** The sentence in the customer's language (English when unknown). */
export function customerText(language: string | undefined, key: CustomerTextKey, vars: CustomerTextVars = {}): string {
  return TEXTS[customerLanguage(language) ?? 'en'][key](vars);
}

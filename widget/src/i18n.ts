/**
 * Every sentence the chat page shows, in English, German and French. The language is the one the
 * admin set for the code, else the embedding page's (`<html lang>`, passed by the loader as
 * `?lang=`), else the browser's, else English. A language missing a sentence does not compile.
 */
export type Lang = 'en' | 'de' | 'fr';
export const LANGS: readonly Lang[] = ['en', 'de', 'fr'];

const en = {
  title: 'Chat',
  chatWith: 'Chat with {name}',
  intro: 'Tell us who you are and we will connect you.',
  nameLabel: 'Your name',
  emailLabel: 'Email',
  firstLabel: 'How can we help?',
  optional: '(optional)',
  consentBefore: 'I agree that my name, email and messages are processed to answer me, as described in the',
  privacyLink: 'privacy policy',
  consentAfter: '.',
  start: 'Start chat',
  conversation: 'Conversation',
  messages: 'Messages',
  inputLabel: 'Your message',
  inputPlaceholder: 'Write a message. Enter sends, Shift+Enter adds a line.',
  send: 'Send',
  end: 'End chat',
  again: 'Start a new chat',
  transcript: 'Download transcript',
  transcriptFailed: 'The transcript could not be downloaded. Please try again.',
  unavailable: 'No chat is available here.',
  errName: 'Please enter your name.',
  errEmail: 'Please enter your email address.',
  errEmailFormat: 'Please enter a valid email address, like name@example.com.',
  errConsent: 'Please agree to the privacy policy to start a chat.',
  errStart: 'The chat could not be started. Please check your connection and try again.',
  errSend: 'Your message was not sent. Please try again.',
  errEnd: 'The chat could not be ended. Please try again.',
  stateWorkflow: 'Connecting you…',
  stateQueued: 'You are number {position} in the queue.',
  stateQueuedWait: ' About {minutes} min.',
  stateWaiting: 'Waiting for the next free agent…',
  stateConnectedWith: 'You are chatting with {agent}.',
  stateConnected: 'You are connected.',
  stateEnded: 'This chat has ended.',
  gone: 'This chat is no longer available.',
  reconnecting: 'Reconnecting…',
  you: 'You',
  agent: 'Agent',
  typing: '{agent} is typing…',
  typingSomeone: 'The agent is typing…',
  ratingQuestion: 'How would you rate this chat?',
  star1: '1 star: poor',
  star2: '2 stars',
  star3: '3 stars',
  star4: '4 stars',
  star5: '5 stars: excellent',
  ratingComment: 'Anything you would like to add?',
  ratingSend: 'Send rating',
  ratingThanks: 'Thank you for your rating!',
  errRatingChoose: 'Please choose from 1 to 5 stars.',
  errRating: 'Your rating was not sent. Please try again.',
};
export type TextKey = keyof typeof en;

const de: Record<TextKey, string> = {
  title: 'Chat',
  chatWith: 'Chat mit {name}',
  intro: 'Sagen Sie uns, wer Sie sind, und wir verbinden Sie.',
  nameLabel: 'Ihr Name',
  emailLabel: 'E-Mail',
  firstLabel: 'Wie können wir helfen?',
  optional: '(optional)',
  consentBefore:
    'Ich bin einverstanden, dass mein Name, meine E-Mail und meine Nachrichten verarbeitet werden, um mir zu antworten, wie in der',
  privacyLink: 'Datenschutzerklärung',
  consentAfter: ' beschrieben.',
  start: 'Chat starten',
  conversation: 'Unterhaltung',
  messages: 'Nachrichten',
  inputLabel: 'Ihre Nachricht',
  inputPlaceholder: 'Nachricht schreiben. Enter sendet, Umschalt+Enter fügt eine Zeile ein.',
  send: 'Senden',
  end: 'Chat beenden',
  again: 'Neuen Chat starten',
  transcript: 'Verlauf herunterladen',
  transcriptFailed: 'Der Verlauf konnte nicht heruntergeladen werden. Bitte versuchen Sie es noch einmal.',
  unavailable: 'Hier ist kein Chat verfügbar.',
  errName: 'Bitte geben Sie Ihren Namen ein.',
  errEmail: 'Bitte geben Sie Ihre E-Mail-Adresse ein.',
  errEmailFormat: 'Bitte geben Sie eine gültige E-Mail-Adresse ein, etwa name@example.com.',
  errConsent: 'Bitte stimmen Sie der Datenschutzerklärung zu, um einen Chat zu starten.',
  errStart: 'Der Chat konnte nicht gestartet werden. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es noch einmal.',
  errSend: 'Ihre Nachricht wurde nicht gesendet. Bitte versuchen Sie es noch einmal.',
  errEnd: 'Der Chat konnte nicht beendet werden. Bitte versuchen Sie es noch einmal.',
  stateWorkflow: 'Sie werden verbunden…',
  stateQueued: 'Sie sind Nummer {position} in der Warteschlange.',
  stateQueuedWait: ' Etwa {minutes} Min.',
  stateWaiting: 'Warten auf den nächsten freien Mitarbeiter…',
  stateConnectedWith: 'Sie chatten mit {agent}.',
  stateConnected: 'Sie sind verbunden.',
  stateEnded: 'Dieser Chat ist beendet.',
  gone: 'Dieser Chat ist nicht mehr verfügbar.',
  reconnecting: 'Verbindung wird wiederhergestellt…',
  you: 'Sie',
  agent: 'Mitarbeiter',
  typing: '{agent} schreibt…',
  typingSomeone: 'Der Mitarbeiter schreibt…',
  ratingQuestion: 'Wie bewerten Sie diesen Chat?',
  star1: '1 Stern: schlecht',
  star2: '2 Sterne',
  star3: '3 Sterne',
  star4: '4 Sterne',
  star5: '5 Sterne: ausgezeichnet',
  ratingComment: 'Möchten Sie noch etwas ergänzen?',
  ratingSend: 'Bewertung senden',
  ratingThanks: 'Vielen Dank für Ihre Bewertung!',
  errRatingChoose: 'Bitte wählen Sie 1 bis 5 Sterne.',
  errRating: 'Ihre Bewertung wurde nicht gesendet. Bitte versuchen Sie es noch einmal.',
};

const fr: Record<TextKey, string> = {
  title: 'Discussion',
  chatWith: 'Discuter avec {name}',
  intro: 'Dites-nous qui vous êtes et nous vous mettons en relation.',
  nameLabel: 'Votre nom',
  emailLabel: 'E-mail',
  firstLabel: 'Comment pouvons-nous vous aider ?',
  optional: '(facultatif)',
  consentBefore: 'J’accepte que mon nom, mon e-mail et mes messages soient traités pour me répondre, comme décrit dans la',
  privacyLink: 'politique de confidentialité',
  consentAfter: '.',
  start: 'Démarrer la discussion',
  conversation: 'Conversation',
  messages: 'Messages',
  inputLabel: 'Votre message',
  inputPlaceholder: 'Écrivez un message. Entrée envoie, Maj+Entrée ajoute une ligne.',
  send: 'Envoyer',
  end: 'Terminer la discussion',
  again: 'Nouvelle discussion',
  transcript: 'Télécharger la transcription',
  transcriptFailed: 'La transcription n’a pas pu être téléchargée. Veuillez réessayer.',
  unavailable: 'Aucune discussion n’est disponible ici.',
  errName: 'Veuillez saisir votre nom.',
  errEmail: 'Veuillez saisir votre adresse e-mail.',
  errEmailFormat: 'Veuillez saisir une adresse e-mail valide, par exemple nom@example.com.',
  errConsent: 'Veuillez accepter la politique de confidentialité pour démarrer une discussion.',
  errStart: 'La discussion n’a pas pu démarrer. Vérifiez votre connexion et réessayez.',
  errSend: 'Votre message n’a pas été envoyé. Veuillez réessayer.',
  errEnd: 'La discussion n’a pas pu être terminée. Veuillez réessayer.',
  stateWorkflow: 'Connexion en cours…',
  stateQueued: 'Vous êtes numéro {position} dans la file d’attente.',
  stateQueuedWait: ' Environ {minutes} min.',
  stateWaiting: 'En attente du prochain conseiller disponible…',
  stateConnectedWith: 'Vous discutez avec {agent}.',
  stateConnected: 'Vous êtes connecté.',
  stateEnded: 'Cette discussion est terminée.',
  gone: 'Cette discussion n’est plus disponible.',
  reconnecting: 'Reconnexion…',
  you: 'Vous',
  agent: 'Conseiller',
  typing: '{agent} est en train d’écrire…',
  typingSomeone: 'Le conseiller est en train d’écrire…',
  ratingQuestion: 'Comment évaluez-vous cette discussion ?',
  star1: '1 étoile : mauvais',
  star2: '2 étoiles',
  star3: '3 étoiles',
  star4: '4 étoiles',
  star5: '5 étoiles : excellent',
  ratingComment: 'Souhaitez-vous ajouter quelque chose ?',
  ratingSend: 'Envoyer l’évaluation',
  ratingThanks: 'Merci pour votre évaluation !',
  errRatingChoose: 'Veuillez choisir de 1 à 5 étoiles.',
  errRating: 'Votre évaluation n’a pas été envoyée. Veuillez réessayer.',
};

const TEXTS: Record<Lang, Record<TextKey, string>> = { en, de, fr };

/** `de`, `de-CH`, `DE_at` → `de`; anything not spoken here → undefined. */
export function toLang(tag: unknown): Lang | undefined {
  if (typeof tag !== 'string') return undefined;
  const base = tag.trim().toLowerCase().split(/[-_]/)[0];
  return LANGS.find((l) => l === base);
}

/** The first language spoken here, in order: the code's setting, the embedding page's, the browser's; else English. */
export function pickLang(...candidates: (string | null | undefined)[]): Lang {
  for (const c of candidates) {
    const l = toLang(c);
    if (l) return l;
  }
  return 'en';
}

/** The sentence in `lang`, with `{name}` placeholders filled (values are plain text; the page sets textContent). */
export function t(lang: Lang, key: TextKey, vars: Record<string, string | number> = {}): string {
  return (TEXTS[lang][key] ?? TEXTS.en[key] ?? String(key)).replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** Sets every `[data-i18n]` element's text and `[data-i18n-placeholder]`/`[data-i18n-label]` attributes; `<html lang>` too. */
export function translatePage(doc: Document, lang: Lang): void {
  doc.documentElement.lang = lang;
  for (const el of Array.from(doc.querySelectorAll<HTMLElement>('[data-i18n]'))) el.textContent = t(lang, el.dataset.i18n as TextKey);
  for (const el of Array.from(doc.querySelectorAll<HTMLElement>('[data-i18n-placeholder]')))
    el.setAttribute('placeholder', t(lang, el.dataset.i18nPlaceholder as TextKey));
  for (const el of Array.from(doc.querySelectorAll<HTMLElement>('[data-i18n-label]')))
    el.setAttribute('aria-label', t(lang, el.dataset.i18nLabel as TextKey));
}

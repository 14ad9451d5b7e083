/**
 * The default IM workflow shipped with the demo configuration, one a real service could use:
 * Accept, Check Opening Hours (closed or holiday: a message and Disconnect), Queue Task with the
 * queue position sent every 60 s, on timeout (or nobody on duty) a message and Disconnect; after
 * the agent ends the session, Disconnect as Handled. Every message in English, German and French.
 */
import type { WorkflowDefinition } from './definition';

export const defaultImWorkflow: WorkflowDefinition = {
  id: 'default-im',
  name: 'Default IM workflow',
  start: 'accept',
  nodes: {
    accept: { activity: 'accept', exits: { next: 'hours' } },
    hours: { activity: 'checkOpeningHours', exits: { open: 'queue', closed: 'closedMessage', holiday: 'holidayMessage' } },
    closedMessage: {
      activity: 'message',
      params: {
        text: 'Hello {{Customer.DisplayName}}, thank you for your message. {{Service.Name}} is closed right now; please write again during our opening hours.',
        text_de:
          'Hallo {{Customer.DisplayName}}, danke für Ihre Nachricht. {{Service.Name}} ist gerade geschlossen; bitte schreiben Sie uns während unserer Öffnungszeiten wieder.',
        text_fr:
          'Bonjour {{Customer.DisplayName}}, merci pour votre message. {{Service.Name}} est fermé pour le moment ; merci de nous écrire à nouveau pendant nos heures d’ouverture.',
      },
      exits: { next: 'closedBye' },
    },
    holidayMessage: {
      activity: 'message',
      params: {
        text: 'Hello {{Customer.DisplayName}}, {{Service.Name}} is closed today ({{OpeningHours.Holiday}}). Please write again on a working day.',
        text_de:
          'Hallo {{Customer.DisplayName}}, {{Service.Name}} ist heute geschlossen ({{OpeningHours.Holiday}}). Bitte schreiben Sie uns an einem Werktag wieder.',
        text_fr:
          'Bonjour {{Customer.DisplayName}}, {{Service.Name}} est fermé aujourd’hui ({{OpeningHours.Holiday}}). Merci de nous écrire à nouveau un jour ouvré.',
      },
      exits: { next: 'closedBye' },
    },
    closedBye: { activity: 'disconnect' },
    queue: {
      activity: 'queueTask',
      params: { maxQueueTimeSec: 1800 },
      exits: { next: 'welcome', connectedEnded: 'done', timeout: 'timeoutMessage', nobodyEligible: 'nobodyMessage', customerLeft: 'left' },
    },
    welcome: {
      activity: 'message',
      params: {
        text: 'Thank you, {{Customer.DisplayName}}. You are in the queue for {{Service.Name}}; the next free agent will answer you here.',
        text_de:
          'Danke, {{Customer.DisplayName}}. Sie sind in der Warteschlange von {{Service.Name}}; der nächste freie Mitarbeiter antwortet Ihnen hier.',
        text_fr:
          'Merci, {{Customer.DisplayName}}. Vous êtes dans la file d’attente de {{Service.Name}} ; le prochain conseiller disponible vous répondra ici.',
      },
      exits: { next: 'wait' },
    },
    wait: { activity: 'delay', params: { seconds: 60 }, exits: { next: 'check' } },
    check: { activity: 'checkTask', exits: { queued: 'position', connected: 'idle', notQueued: 'idle' } },
    position: {
      activity: 'message',
      params: {
        text: 'You are number {{Queue.Position}} in the queue. Thank you for waiting.',
        text_de: 'Sie sind Nummer {{Queue.Position}} in der Warteschlange. Danke für Ihre Geduld.',
        text_fr: 'Vous êtes numéro {{Queue.Position}} dans la file d’attente. Merci de votre patience.',
      },
      exits: { next: 'wait' },
    },
    idle: { activity: 'delay', params: { seconds: 3600 }, exits: { next: 'check' } },
    timeoutMessage: {
      activity: 'message',
      params: {
        text: 'Sorry, {{Customer.DisplayName}}, nobody could take your chat in time. Please try again later.',
        text_de:
          'Entschuldigung, {{Customer.DisplayName}}, niemand konnte Ihren Chat rechtzeitig annehmen. Bitte versuchen Sie es später noch einmal.',
        text_fr: 'Désolé, {{Customer.DisplayName}}, personne n’a pu prendre votre discussion à temps. Merci de réessayer plus tard.',
      },
      exits: { next: 'bye' },
    },
    nobodyMessage: {
      activity: 'message',
      params: {
        text: 'Sorry, nobody from {{Service.Name}} is available right now. Please try again later.',
        text_de: 'Leider ist gerade niemand von {{Service.Name}} erreichbar. Bitte versuchen Sie es später noch einmal.',
        text_fr: 'Désolé, personne de {{Service.Name}} n’est disponible pour le moment. Merci de réessayer plus tard.',
      },
      exits: { next: 'bye' },
    },
    bye: { activity: 'disconnect' },
    left: { activity: 'disconnect' },
    done: { activity: 'disconnectAsHandled' },
  },
};

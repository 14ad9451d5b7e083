/**
 * The default IM workflow shipped with the demo configuration, one a real service could use:
 * Accept, Check Opening Hours (closed or holiday: a message and Disconnect), Queue Task with the
 * queue position sent every 60 s, on timeout (or nobody on duty) a message and Disconnect; after
 * the agent ends the session, Disconnect as Handled.
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
      },
      exits: { next: 'closedBye' },
    },
    holidayMessage: {
      activity: 'message',
      params: {
        text: 'Hello {{Customer.DisplayName}}, {{Service.Name}} is closed today ({{OpeningHours.Holiday}}). Please write again on a working day.',
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
      },
      exits: { next: 'wait' },
    },
    wait: { activity: 'delay', params: { seconds: 60 }, exits: { next: 'check' } },
    check: { activity: 'checkTask', exits: { queued: 'position', connected: 'idle', notQueued: 'idle' } },
    position: {
      activity: 'message',
      params: { text: 'You are number {{Queue.Position}} in the queue. Thank you for waiting.' },
      exits: { next: 'wait' },
    },
    idle: { activity: 'delay', params: { seconds: 3600 }, exits: { next: 'check' } },
    timeoutMessage: {
      activity: 'message',
      params: { text: 'Sorry, {{Customer.DisplayName}}, nobody could take your chat in time. Please try again later.' },
      exits: { next: 'bye' },
    },
    nobodyMessage: {
      activity: 'message',
      params: { text: 'Sorry, nobody from {{Service.Name}} is available right now. Please try again later.' },
      exits: { next: 'bye' },
    },
    bye: { activity: 'disconnect' },
    left: { activity: 'disconnect' },
    done: { activity: 'disconnectAsHandled' },
  },
};

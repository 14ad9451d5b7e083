/**
 * How the editor presents each activity the engine knows: a label, a group (its icon and colour)
 * and its settings as form fields. The activities keep their parameters as untyped JSON checked by
 * their `validate`; the fields here are read off each activity file (shared/workflow/activities/*),
 * and a test fills every form and checks the activity accepts it, so the two cannot drift apart.
 */
import { ACTIVITIES } from '../../../../shared/workflow/activities/registry';
import { MESSAGE_TRANSLATIONS } from '../../../../shared/workflow/activities/message';
import { DISTRIBUTION_TYPES, PRIORITIES } from '../../../../shared/tenant/model';

/** Groups give an activity its icon and colour on the graph and its section in the palette. */
export type ActivityGroup = 'flow' | 'conversation' | 'routing' | 'queue' | 'timer' | 'integration' | 'end' | 'voice';

export const GROUP_LABEL: Record<ActivityGroup, string> = {
  flow: 'Flow',
  conversation: 'Conversation',
  routing: 'Routing and parameters',
  queue: 'Queue',
  timer: 'Timing',
  integration: 'Integration',
  end: 'End',
  voice: 'Voice only (not for IM)',
};

/** One column of a list setting (menu options, conditions). */
export interface ListColumn {
  key: string;
  label: string;
  type: 'text' | 'select';
  options?: readonly string[];
}

interface FieldBase {
  /** The parameter's name in `node.params`. */
  key: string;
  label: string;
  hint?: string;
  required?: boolean;
}

/** One setting of an activity, as a form field. */
export type SettingsField =
  | (FieldBase & { type: 'text'; multiline?: boolean; placeholder?: string; keepEmpty?: boolean })
  | (FieldBase & { type: 'number'; min: number; max: number; placeholder?: string })
  | (FieldBase & { type: 'select'; options: readonly string[] })
  /** A service of the tenant, by id. */
  | (FieldBase & { type: 'service' })
  /** A list of rows (objects); a column named `exit` names one of the node's exits. */
  | (FieldBase & { type: 'list'; columns: ListColumn[]; newRow: (index: number) => Record<string, string> })
  /** A string-to-string map (HTTP headers, JSON picks). */
  | (FieldBase & { type: 'map'; keyLabel: string; valueLabel: string });

export interface ActivityInfo {
  label: string;
  group: ActivityGroup;
  /** One sentence for the palette and the settings panel. */
  description: string;
  fields: SettingsField[];
}

const TEMPLATE_HINT = 'Templates: {{Customer.DisplayName}}, {{Service.Name}}, {{Queue.Position}}, or any parameter.';
const PARAMETER_HINT = 'A parameter name, e.g. Customer.Email';

const queueFields: SettingsField[] = [
  { type: 'select', key: 'distributionType', label: 'Distribution type', options: DISTRIBUTION_TYPES, hint: "Empty: the service's" },
  { type: 'select', key: 'priority', label: 'Priority', options: PRIORITIES, hint: "Empty: the service's default" },
  { type: 'number', key: 'offerTimeoutSec', label: 'Offer timeout (seconds)', min: 5, max: 600 },
  { type: 'number', key: 'maxQueueTimeSec', label: 'Maximum queue time (seconds)', min: 10, max: 7 * 86400 },
];

const voice = (label: string): ActivityInfo => ({
  label,
  group: 'voice',
  description: 'Only for voice calls: a workflow with it cannot serve Instant Messaging.',
  fields: [],
});

/** Every activity of the registry, by kind (a test checks none is missing). */
export const ACTIVITY_CATALOG: Readonly<Record<string, ActivityInfo>> = {
  accept: { label: 'Accept', group: 'flow', description: 'The service takes the conversation.', fields: [] },
  message: {
    label: 'Message',
    group: 'conversation',
    description: 'Sends a text to the customer, in their language when it has one.',
    fields: [
      {
        type: 'text',
        key: 'text',
        label: 'Text',
        multiline: true,
        required: true,
        hint: `${TEMPLATE_HINT} Sent in English and to anyone without a translation below.`,
      },
      {
        type: 'text',
        key: MESSAGE_TRANSLATIONS.de,
        label: 'German translation (optional)',
        multiline: true,
        hint: 'Sent to customers whose chat is in German; empty: the text above.',
      },
      {
        type: 'text',
        key: MESSAGE_TRANSLATIONS.fr,
        label: 'French translation (optional)',
        multiline: true,
        hint: 'Sent to customers whose chat is in French; empty: the text above.',
      },
    ],
  },
  collectInformation: {
    label: 'Collect Information',
    group: 'conversation',
    description: 'Asks a question, checks the answer and stores it in a parameter.',
    fields: [
      { type: 'text', key: 'prompt', label: 'Question', multiline: true, required: true, hint: TEMPLATE_HINT },
      { type: 'text', key: 'parameter', label: 'Store the answer in', required: true, hint: PARAMETER_HINT },
      { type: 'select', key: 'validation', label: 'Check the answer', options: ['any', 'email', 'phone', 'number', 'pattern'] },
      { type: 'text', key: 'pattern', label: 'Pattern (regular expression)', hint: 'Used when the check is "pattern"' },
      { type: 'number', key: 'retries', label: 'Retries', min: 0, max: 10, placeholder: '2' },
      { type: 'number', key: 'timeoutSec', label: 'Timeout (seconds)', min: 5, max: 86400 },
      { type: 'text', key: 'retryMessage', label: 'Message on a wrong answer', multiline: true },
    ],
  },
  inputCustomer: {
    label: 'Input Customer (menu)',
    group: 'conversation',
    description: "A menu: the customer's answer picks an option and its exit.",
    fields: [
      { type: 'text', key: 'prompt', label: 'Question', multiline: true, required: true, hint: TEMPLATE_HINT },
      {
        type: 'list',
        key: 'options',
        label: 'Options',
        required: true,
        hint: 'The customer answers with the key or the label; each option leaves through its exit.',
        columns: [
          { key: 'key', label: 'Key', type: 'text' },
          { key: 'label', label: 'Label', type: 'text' },
          { key: 'exit', label: 'Exit', type: 'text' },
        ],
        newRow: (i) => ({ key: String(i + 1), label: '', exit: `option${i + 1}` }),
      },
      { type: 'text', key: 'parameter', label: 'Store the choice in', hint: 'Empty: Menu.<node name>' },
      { type: 'number', key: 'retries', label: 'Retries', min: 0, max: 10, placeholder: '2' },
      { type: 'text', key: 'noMatchMessage', label: 'Message on an unknown answer', multiline: true },
    ],
  },
  saveToParameter: {
    label: 'Save to Parameter',
    group: 'routing',
    description: 'Stores a value in a parameter.',
    fields: [
      { type: 'text', key: 'parameter', label: 'Parameter', required: true, hint: PARAMETER_HINT },
      { type: 'text', key: 'value', label: 'Value', keepEmpty: true, hint: TEMPLATE_HINT },
    ],
  },
  transfer: {
    label: 'Transfer',
    group: 'flow',
    description: 'Hands the conversation to another service.',
    fields: [{ type: 'service', key: 'serviceId', label: 'Service', required: true }],
  },
  disconnect: { label: 'Disconnect', group: 'end', description: 'Ends the conversation.', fields: [] },
  markAsHandled: {
    label: 'Mark as Handled',
    group: 'end',
    description: 'The session counts as handled; the workflow goes on.',
    fields: [],
  },
  disconnectAsHandled: {
    label: 'Disconnect as Handled',
    group: 'end',
    description: 'Ends the conversation as handled.',
    fields: [],
  },
  webRequest: {
    label: 'Web Request',
    group: 'integration',
    description: 'Calls a web service and picks values from its JSON answer.',
    fields: [
      { type: 'text', key: 'url', label: 'URL', required: true, placeholder: 'https://', hint: 'Parameters are URL-encoded.' },
      { type: 'select', key: 'method', label: 'Method', options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
      { type: 'map', key: 'headers', label: 'Headers', keyLabel: 'Header', valueLabel: 'Value' },
      { type: 'text', key: 'body', label: 'Body', multiline: true, hint: 'Parameters are escaped for JSON.' },
      { type: 'number', key: 'timeoutSec', label: 'Timeout (seconds)', min: 1, max: 60, placeholder: '10' },
      { type: 'map', key: 'pick', label: 'Values to keep', keyLabel: 'Parameter', valueLabel: 'JSON path' },
    ],
  },
  checkOpeningHours: {
    label: 'Check Opening Hours',
    group: 'routing',
    description: "Open, closed or holiday, by the service's calendar.",
    fields: [],
  },
  availabilityRouting: {
    label: 'Availability Routing',
    group: 'routing',
    description: 'Agents available, all busy, or nobody on duty.',
    fields: [],
  },
  getAvailableUsers: {
    label: 'Get Available Users',
    group: 'routing',
    description: 'Stores how many agents could take the chat now (Service.AvailableUsers).',
    fields: [],
  },
  checkParameter: {
    label: 'Check Parameter',
    group: 'routing',
    description: 'The first condition that holds picks the exit; none: noMatch.',
    fields: [
      { type: 'text', key: 'parameter', label: 'Parameter', required: true, hint: PARAMETER_HINT },
      {
        type: 'list',
        key: 'conditions',
        label: 'Conditions',
        required: true,
        columns: [
          { key: 'op', label: 'Test', type: 'select', options: ['equals', 'contains', 'pattern', 'empty', 'gt', 'lt', 'gte', 'lte'] },
          { key: 'value', label: 'Value', type: 'text' },
          { key: 'exit', label: 'Exit', type: 'text' },
        ],
        newRow: (i) => ({ op: 'equals', value: '', exit: `match${i + 1}` }),
      },
    ],
  },
  getQueuePosition: {
    label: 'Get Queue Position',
    group: 'queue',
    description: "Stores the chat's place in the queue (Queue.Position).",
    fields: [],
  },
  waitForParameter: {
    label: 'Wait for Parameter',
    group: 'timer',
    description: 'Goes on once the parameter has a value, or after the timeout.',
    fields: [
      { type: 'text', key: 'parameter', label: 'Parameter', required: true, hint: PARAMETER_HINT },
      { type: 'number', key: 'timeoutSec', label: 'Timeout (seconds)', min: 1, max: 86400, placeholder: '300' },
    ],
  },
  queue: { label: 'Queue', group: 'queue', description: 'Queues the chat and waits until the queue exits.', fields: queueFields },
  distributionPriority: {
    label: 'Distribution Priority',
    group: 'queue',
    description: "Changes the chat's queue priority.",
    fields: [{ type: 'select', key: 'priority', label: 'Priority', options: PRIORITIES, required: true }],
  },
  queueTask: {
    label: 'Queue Task',
    group: 'queue',
    description: 'Queues the chat and goes on (next); the queue exits are taken when the queue ends.',
    fields: queueFields,
  },
  checkTask: { label: 'Check Task', group: 'queue', description: 'Whether the chat is queued, connected or neither.', fields: [] },
  cancelTask: { label: 'Cancel Task', group: 'queue', description: 'Takes the chat out of the queue.', fields: [] },
  delay: {
    label: 'Delay',
    group: 'timer',
    description: 'Waits, then goes on.',
    fields: [{ type: 'number', key: 'seconds', label: 'Seconds', min: 1, max: 86400, required: true }],
  },
  playMusic: voice('Play Music'),
  voiceMessage: voice('Voice Message'),
  forward: voice('Forward'),
  standbyDuty: voice('Standby Duty'),
  virtualUser: voice('Virtual User'),
  announcement: voice('Announcement'),
};

const UNKNOWN: ActivityInfo = {
  label: 'Unknown activity',
  group: 'flow',
  description: 'The engine does not know this activity.',
  fields: [],
};

/** What the editor shows for an activity kind (unknown kinds get a stand-in). */
export function activityInfo(kind: string): ActivityInfo {
  return Object.prototype.hasOwnProperty.call(ACTIVITY_CATALOG, kind) ? ACTIVITY_CATALOG[kind]! : { ...UNKNOWN, label: kind };
}

/** The palette: every activity of the registry, grouped, IM activities first. */
export function paletteGroups(): { group: ActivityGroup; kinds: string[] }[] {
  const order: ActivityGroup[] = ['flow', 'conversation', 'routing', 'queue', 'timer', 'integration', 'end', 'voice'];
  return order
    .map((group) => ({ group, kinds: Object.keys(ACTIVITIES).filter((k) => activityInfo(k).group === group) }))
    .filter((g) => g.kinds.length > 0);
}

/**
 * Tenant configuration: who may receive IM tasks, for which services, through which channels.
 * Plain data (JSON-serializable) so it can be loaded from a file, stored and validated.
 */
import type { WorkflowDefinition } from '../workflow/definition';

/** User licenses of the seed: the IM modality, and the Interact User add-on (direct website contact). */
export type UserLicense = 'im' | 'interactUser';
/** Service licenses of the seed: Contact Center (IM workflows, WhatsApp) and the Interact service add-on. */
export type ServiceLicense = 'contactCenter' | 'interact';
/**
 * Teams presence as Stratus sees it (shared/distribution/presence.ts maps Graph's values).
 * `inBlockingCall` is separate: IM is non-blocking, audio/video is.
 */
export type Presence = 'online' | 'busy' | 'away' | 'beRightBack' | 'doNotDisturb' | 'offline';
export const PRESENCES: readonly Presence[] = ['online', 'busy', 'away', 'beRightBack', 'doNotDisturb', 'offline'];
/** Queue priority; `strict` is always served first. */
export type Priority = 'low' | 'normal' | 'high' | 'strict';
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'strict'];
/** Named distribution policies; each is one file under shared/distribution/policies/. */
export type DistributionType = 'direct' | 'broadcast' | 'roundRobin' | 'mostAvailable';
export const DISTRIBUTION_TYPES: readonly DistributionType[] = ['direct', 'broadcast', 'roundRobin', 'mostAvailable'];
/** Customer channel kinds. Reporting tells them apart (the seed's product does not). */
export type ChannelKind = 'interact' | 'whatsapp' | 'sms';
export const CHANNEL_KINDS: readonly ChannelKind[] = ['interact', 'whatsapp', 'sms'];

export interface InteractSettings {
  /** The public code embedded in the widget snippet (`data-code`). Unique per tenant across services and users. */
  code: string;
  /** Origins allowed to embed the widget and call the customer API; empty means any origin. */
  allowedOrigins: string[];
  /** Link shown next to the privacy consent checkbox. */
  privacyPolicyUrl?: string;
  /** The widget's title bar text (default: the service's or user's name). */
  title?: string;
  /** The widget's accent colour, `#rrggbb` (default: Teams purple). */
  color?: string;
  /** Shown to the customer above the start form. */
  greeting?: string;
  /** The widget's language (`en`, `de`, `fr`); absent: the page's or browser's. */
  language?: InteractLanguage;
}

/** Languages the widget speaks. */
export type InteractLanguage = 'en' | 'de' | 'fr';
export const INTERACT_LANGUAGES: readonly InteractLanguage[] = ['en', 'de', 'fr'];

export interface UserConfig {
  /** Stable internal id (e.g. `alice`). */
  id: string;
  /** User principal name, e.g. `alice@contoso.com`. */
  upn: string;
  /** Entra ID object id: how a Teams activity or SSO token is mapped to this user. */
  entraObjectId?: string;
  displayName: string;
  licenses: UserLicense[];
  /** Initial presence; at run time presence lives in the agent state. */
  presence: Presence;
  inBlockingCall?: boolean;
  onDuty: boolean;
  /** Direct contact through Interact (needs the `interactUser` license). */
  interact?: InteractSettings;
}

export interface ServiceMember {
  userId: string;
  /** The per-service "Active" flag: the member opted in to receive this service's tasks. */
  active: boolean;
}

export interface DistributionSettings {
  type: DistributionType;
  /** Broadcast: how many users are offered the task at once (default 10). */
  broadcastSize: number;
  /** Seconds an offer stays open before it is redirected (RONA), default 30. */
  offerTimeoutSec: number;
  /** Concurrent IM tasks (offered + connected) a user may hold for this service, default 3. */
  maxConcurrentIm: number;
  /** Whether users in Busy / Away count as available. */
  busyIsAvailable: boolean;
  awayIsAvailable: boolean;
  defaultPriority: Priority;
  /** Persistent RONA: a decline or miss puts the user in RONA for `resetSec` (10 s to 8 h, default 600). */
  persistentRona: { enabled: boolean; resetSec: number };
  /** Longest a task may wait in the queue before it leaves through the timeout exit (seconds). */
  maxQueueTimeSec: number;
}

export interface WeeklyHours {
  /** 0 = Sunday ... 6 = Saturday (as `Date.getDay`). */
  day: number;
  /** `HH:MM`, local to the calendar's time zone; `to` may be `24:00`. */
  from: string;
  to: string;
}

export interface CalendarException {
  /** `YYYY-MM-DD` in the calendar's time zone. */
  date: string;
  name: string;
  /** `holiday` closes the whole day; `open` replaces the day's hours with `hours`. */
  kind: 'holiday' | 'open';
  hours?: { from: string; to: string }[];
}

export interface OpeningHours {
  /** IANA time zone, e.g. `Europe/Zurich`. */
  timeZone: string;
  weekly: WeeklyHours[];
  exceptions: CalendarException[];
}

export interface WhatsAppSettings {
  /** The sender the service is reached at, `whatsapp:+15550100` (or `+15550100` for SMS). */
  sender: string;
  /** Also reachable by SMS at the same number. */
  sms?: boolean;
}

export interface ImSettings {
  enabled: boolean;
  workflowId: string;
  interact?: InteractSettings;
  whatsapp?: WhatsAppSettings;
  distribution: DistributionSettings;
  /** How a connected chat behaves: inactivity, after-chat work, canned responses, end keywords. */
  chat?: ChatSettings;
  /**
   * The service-level threshold in seconds (default DEFAULT_SERVICE_LEVEL_SEC): a chat accepted
   * within it from entering the queue counts as answered in time.
   */
  serviceLevelSec?: number;
}

/** Service level: accepted within 20 s of entering the queue, unless the service says otherwise. */
export const DEFAULT_SERVICE_LEVEL_SEC = 20;

/** A service's service-level threshold in milliseconds (the default for no service: direct chats). */
export const serviceLevelMs = (service: Pick<ServiceConfig, 'im'> | undefined): number =>
  (service?.im.serviceLevelSec ?? DEFAULT_SERVICE_LEVEL_SEC) * 1000;

/** A ready answer an agent inserts by typing `/`; `{customer}` and `{agent}` are replaced by the names. */
export interface CannedResponse {
  /** Short, unique within its list (`greeting`): what the agent types after `/`. */
  id: string;
  title: string;
  text: string;
}

/** Per-service behaviour of a connected chat. Every part is optional: absent means off. */
export interface ChatSettings {
  /**
   * A customer silent for `customerWarnSec` after the agent's last message is warned; silent
   * `customerCloseSec` more, the chat ends with the outcome `inactive`. `agentFlagSec`: a customer
   * message left unanswered this long flags the session in the agent's tab.
   */
  inactivity?: { customerWarnSec?: number; customerCloseSec?: number; agentFlagSec?: number };
  /** After-chat work: no next offer for `seconds` after the agent's chat ends (or until they file it); outcomes to choose beyond handled / not handled. */
  wrapUp?: { seconds: number; reasons: string[] };
  cannedResponses?: CannedResponse[];
  /** WhatsApp / SMS: a customer message that is one of these words (any case) ends the chat. */
  endKeywords?: string[];
  /**
   * Customer satisfaction: at the end of a chat an agent accepted, ask for a rating from 1 to 5
   * and a comment (the website widget; WhatsApp / SMS by message within WhatsApp's 24-hour window).
   */
  satisfaction?: { enabled: boolean };
}

export interface ServiceConfig {
  id: string;
  name: string;
  licenses: ServiceLicense[];
  members: ServiceMember[];
  /** Service supervisors (user ids): they read the service's reporting. */
  supervisors?: string[];
  /**
   * Service owners (user ids): they change the service's members, opening hours, Interact
   * settings and distribution (nothing else), and read its reporting.
   */
  owners?: string[];
  im: ImSettings;
  openingHours: OpeningHours;
}

export interface TwilioConnector {
  accountSid: string;
  authToken: string;
  /** Twilio region; the seed's product supports `us1` only, we accept Twilio's other regions. */
  region: 'us1' | 'ie1' | 'au1';
}

/** Where the tenant's Web Request activities may call. */
export interface WebRequestSettings {
  /** Hosts that may be called (`api.example.com`; `*.example.org` for its subdomains); absent: any public host. */
  allowedHosts?: string[];
  /**
   * Lets the hosts in `allowedHosts` resolve to private addresses (10/8, 172.16/12, 192.168/16,
   * 100.64/10, fc00::/7). Loopback, link-local (cloud metadata) and other special addresses stay refused.
   */
  allowPrivateNetworks?: boolean;
}

export interface TenantConfig {
  /** Stratus tenant id, e.g. `contoso`. */
  id: string;
  name: string;
  /** Entra ID (Azure AD) tenant id: activities and tokens from other tenants are refused. */
  entraTenantId?: string;
  twilio?: TwilioConnector;
  users: UserConfig[];
  services: ServiceConfig[];
  workflows: WorkflowDefinition[];
  /** Tenant admins (user ids): they read every service's reporting. */
  admins?: string[];
  /** Web Request activity limits (host allow-list); absent: any public host. */
  webRequests?: WebRequestSettings;
  /**
   * Longest a direct chat (a customer reaching a user's own Interact code) waits for that user,
   * in seconds; absent: DEFAULT_DIRECT_CHAT_WAIT_SEC. The customer is then told and the chat ends.
   */
  directChatWaitSec?: number;
  /** How Stratus lives in Teams for this tenant. */
  teams?: TeamsSettings;
  /** How long customer data is kept. */
  retention?: RetentionSettings;
}

export interface RetentionSettings {
  /**
   * Messages older than this many days (1 to 3650) are deleted by a daily job, with the relayed
   * copies in agents' Teams chats; reporting sessions (figures, no message text) stay. Absent: kept.
   */
  messagesDays?: number;
}

export interface TeamsSettings {
  /** Install the app for every licensed service member through Graph (default true). */
  installForMembers?: boolean;
  /** An activity-feed notification for each new offer to an agent whose tab is not open (default false). */
  activityFeed?: boolean;
}

/** Two minutes: a direct chat has one possible agent, so a longer wait rarely ends in an answer. */
export const DEFAULT_DIRECT_CHAT_WAIT_SEC = 120;

/** Defaults applied where a configuration leaves distribution settings out. */
export const DEFAULT_DISTRIBUTION: DistributionSettings = {
  type: 'direct',
  broadcastSize: 10,
  offerTimeoutSec: 30,
  maxConcurrentIm: 3,
  busyIsAvailable: false,
  awayIsAvailable: false,
  defaultPriority: 'normal',
  persistentRona: { enabled: false, resetSec: 600 },
  maxQueueTimeSec: 1800,
};

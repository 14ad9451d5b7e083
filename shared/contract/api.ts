/**
 * The HTTP contract's types, shared by the server (bot/), the tab and the widget (tab/).
 * Field names are a public contract (see README): add fields freely, rename none.
 */
import type { CannedResponse, ChannelKind, InteractLanguage, Presence } from '../tenant/model';
import type { EndedBy } from '../task/types';

/** Error body of every non-2xx JSON answer. */
export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

export type MessageFrom = 'customer' | 'agent' | 'system';
/** WhatsApp / SMS delivery state of an agent's message, forward-only. */
export type DeliveryState = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'undelivered';

export interface ChatMessage {
  /** Server id; clients dedupe by it. */
  id: string;
  /** Per-conversation sequence number, 1-based, gap-free. */
  seq: number;
  from: MessageFrom;
  text: string;
  /** ISO 8601 time. */
  at: string;
  /** Display name of the author (customer or agent); absent for system notices. */
  author?: string;
  /** The client's own id for idempotent posts, echoed back. */
  clientMessageId?: string;
  delivery?: { state: DeliveryState; error?: string };
}

/** What the customer sees of the conversation's state. */
export type CustomerChatState = 'workflow' | 'queued' | 'connected' | 'ended';

/** Frames pushed on the customer's WebSocket. */
export type CustomerFrame =
  | { type: 'message'; message: ChatMessage }
  | ({ type: 'state' } & CustomerStatus)
  | { type: 'error'; error: ApiError['error'] }
  /** The agent is typing (sent at most every few seconds while they type; the widget shows it for ~6 s). */
  | { type: 'typing'; agentName?: string };

/** Frames the widget may send on its socket after `auth`: it is typing; it has shown messages up to `seq`. */
export type CustomerClientFrame = { type: 'typing' } | { type: 'read'; seq: number };

/** The conversation's state as the customer sees it, with the queue position while queued. */
export interface CustomerStatus {
  state: CustomerChatState;
  position?: number;
  agentName?: string;
  estimatedWaitSec?: number;
  /** An ended chat an agent accepted, in a service that asks for ratings: the customer may rate it, or did. */
  rating?: CustomerRating;
}

/** A customer's rating of a chat: 1 (poor) to 5 (excellent). */
export type CsatRating = 1 | 2 | 3 | 4 | 5;

/** Whether the customer may still rate the ended chat (`asked`), or the rating they gave. */
export type CustomerRating = { asked: true } | { given: CsatRating };

/** `POST /api/interact/chats/{chatId}/rating`, once, after the chat ended. `comment`: at most 1,000 characters. */
export interface RateChatRequest {
  rating: CsatRating;
  comment?: string;
}
export interface RateChatResponse {
  chatId: string;
  rating: { given: CsatRating };
}

export interface StartChatRequest {
  displayName: string;
  email: string;
  privacyAccepted: boolean;
  message?: string;
  /** The widget's language; the server's own messages to this customer use it. */
  language?: InteractLanguage;
}
export interface StartChatResponse {
  chatId: string;
  token: string;
}
export interface PostMessageRequest {
  text: string;
  clientMessageId?: string;
}
export interface PostMessageResponse {
  id: string;
  seq: number;
}

/** The session states an agent sees. */
export type AgentSessionState = 'offered' | 'connected' | 'ended';

export interface AgentSession {
  id: string;
  state: AgentSessionState;
  serviceId: string;
  serviceName: string;
  channel: ChannelKind;
  /** True when the customer reached this user directly (Interact user code). */
  direct: boolean;
  customer: { displayName: string; email?: string; phone?: string };
  /** Parameters collected by the workflow (name -> value). */
  parameters: Record<string, string>;
  firstMessage?: string;
  createdAt: string;
  /** When the offer to this agent expires (offered only). */
  offerExpiresAt?: string;
  acceptedAt?: string;
  endedAt?: string;
  outcome?: string;
  /** Last sequence number of the conversation, for unread counts. */
  lastSeq: number;
  /** Why an offer to this agent closed without them (ended offers only). */
  offerClosed?: OfferClosed;
  /** Who ended the chat (ended sessions). */
  endedBy?: EndedBy;
  /** The service a transferred chat went to (outcome `transferred`). */
  transferredTo?: { serviceId: string; serviceName: string };
  /** The supervisor who took the chat over or assigned it to another agent (outcome `transferred`), or ended it. */
  supervisor?: { userId: string; displayName: string; action: 'takeover' | 'reassign' | 'end' };
  /** The highest seq the customer has seen: the agent's messages up to it are read. */
  customerReadSeq?: number;
  /** Set while a customer message waits for the agent's answer: since when, and when the session counts as flagged. */
  unanswered?: { since: string; flagAt?: string };
  /** After-chat work of an ended session the agent handled: until when, and what they filed. */
  wrapUp?: WrapUp;
}

/** After-chat work on an ended session. `outcome`: `handled`, `notHandled` or one of the service's reasons. */
export interface WrapUp {
  until: string;
  outcome?: string;
  note?: string;
  filedAt?: string;
}

/** `POST /api/agent/sessions/{id}/wrapup`: files the wrap-up (ends the wrap-up time). */
export interface WrapUpRequest {
  outcome: string;
  note?: string;
}

/** The agent's own settings (`GET/PUT /api/agent/prefs`). */
export interface AgentPrefs {
  /** The agent's own canned responses (beside the service's). */
  cannedResponses: CannedResponse[];
  /** Desktop notification and sound for a new offer (off by default). */
  offerAlerts: boolean;
}

/** How an offer closed for an agent who did not take it. */
export type OfferClosed = 'acceptedByOther' | 'expired' | 'declined' | 'cancelled';

export interface AgentMe {
  id: string;
  upn: string;
  displayName: string;
  tenantId: string;
  onDuty: boolean;
  presence: Presence;
  /** In an audio or video call (Teams): no chat offers meanwhile. */
  inBlockingCall?: boolean;
  /** When Teams presence was last read (ISO); absent: the presence is the configured one. */
  presenceAsOf?: string;
  ronaUntil?: string;
  /** After-chat work: no offers until then (or until the wrap-up is filed). */
  wrapUpUntil?: string;
  services: { id: string; name: string; active: boolean; imEnabled: boolean }[];
}

/** Events on the agent's server-sent-event stream (`id:` is a resumable cursor). */
export type AgentEvent =
  | { type: 'session'; session: AgentSession }
  | { type: 'message'; sessionId: string; message: ChatMessage }
  | { type: 'me'; me: AgentMe }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; text: string; sessionId?: string }
  /** The customer of the session is typing (shown for a few seconds). */
  | { type: 'typing'; sessionId: string }
  /** The customer has seen the agent's messages up to `seq`. */
  | { type: 'read'; sessionId: string; seq: number };

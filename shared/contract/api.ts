/**
 * The HTTP contract's types, shared by the server (bot/), the tab and the widget (tab/).
 * Field names are a public contract (see README): add fields freely, rename none.
 */
import type { ChannelKind, Presence } from '../tenant/model';

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
  { type: 'message'; message: ChatMessage } | ({ type: 'state' } & CustomerStatus) | { type: 'error'; error: ApiError['error'] };

/** The conversation's state as the customer sees it, with the queue position while queued. */
export interface CustomerStatus {
  state: CustomerChatState;
  position?: number;
  agentName?: string;
  estimatedWaitSec?: number;
}

export interface StartChatRequest {
  displayName: string;
  email: string;
  privacyAccepted: boolean;
  message?: string;
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
  services: { id: string; name: string; active: boolean; imEnabled: boolean }[];
}

/** Events on the agent's server-sent-event stream (`id:` is a resumable cursor). */
export type AgentEvent =
  | { type: 'session'; session: AgentSession }
  | { type: 'message'; sessionId: string; message: ChatMessage }
  | { type: 'me'; me: AgentMe }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; text: string; sessionId?: string };

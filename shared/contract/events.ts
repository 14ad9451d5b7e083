/**
 * The server's events: what a committed change tells the customer's socket, the agent's stream
 * and the Teams relay. One discriminated union, built only by the constructors below from the
 * contract types of shared/contract, so a payload has one shape wherever it is made (the SQL
 * function of the chat's hot path builds the same `message` event: the parity test compares them).
 *
 * Routing: `conversationId` set means the conversation's customer receives it, `userId` set means
 * that agent does. Subscribers (subscribers.ts) declare the types they handle; the compiler rejects
 * a misspelt type and the composition root one that nobody handles.
 */
import type { AgentEvent, AgentMe, AgentSession, ChatMessage, CustomerStatus } from './api';

type Agent<K extends AgentEvent['type']> = Omit<Extract<AgentEvent, { type: K }>, 'type'>;

export type ServerEvent =
  /** A message of the conversation, or a change to one (delivery state): to its customer and/or its agent. */
  | {
      type: 'message';
      tenantId: string;
      conversationId?: string;
      userId?: string;
      payload: Omit<Agent<'message'>, 'sessionId'> & { sessionId?: string };
    }
  /** The customer's view of the conversation changed (queued with a position, connected, ended). */
  | { type: 'state'; tenantId: string; conversationId: string; userId?: undefined; payload: CustomerStatus & { conversationId: string } }
  /** A session as one agent sees it (offered, connected, ended; an offer that closed without them). */
  | { type: 'session'; tenantId: string; conversationId?: undefined; userId: string; payload: Agent<'session'> }
  /** The agent's own state (duty, Active switches, RONA). */
  | { type: 'me'; tenantId: string; conversationId?: undefined; userId: string; payload: Agent<'me'> }
  /** A notice for the agent; `teams: false` keeps it out of their Teams chat (notices about Teams itself). */
  | { type: 'notice'; tenantId: string; conversationId?: undefined; userId: string; payload: Agent<'notice'> & { teams?: false } }
  /**
   * Someone is typing: `from: 'customer'` goes to the session's agent (tab stream, and a typing
   * activity in Teams), `from: 'agent'` to the conversation's customer. Ephemeral in meaning, but
   * carried like any event so that every instance delivers it.
   */
  | {
      type: 'typing';
      tenantId: string;
      conversationId?: string;
      userId?: string;
      payload: { from: 'customer' | 'agent'; sessionId?: string; agentName?: string };
    }
  /** The customer has seen the conversation up to `seq`: to the session's agent. */
  | { type: 'read'; tenantId: string; conversationId?: undefined; userId: string; payload: { sessionId: string; seq: number } }
  /** The tenant's configuration has a new live revision: every instance runs it (bot/tenants/live.ts). */
  | { type: 'config'; tenantId: string; conversationId?: undefined; userId?: undefined; payload: { revision: number } };

declare const made: unique symbol;
/** An event made by `events` (below): the outbox takes no other. */
export type Made<E extends ServerEvent = ServerEvent> = E & { readonly [made]: true };

export type EventType = ServerEvent['type'];
export type EventOf<K extends EventType> = Extract<ServerEvent, { type: K }>;

/** A committed event as subscribers receive it: the outbox id is its resumable cursor. */
export type Stored<E extends ServerEvent = ServerEvent> = E & { id: number; createdAt: number };

const make = <E extends ServerEvent>(e: E) => e as Made<E>;

/** The only way events are made. */
export const events = {
  /** A new message: to the customer of the conversation, and to the agent of the session when there is one. */
  message(tenantId: string, conversationId: string, message: ChatMessage, session?: { id: string; agentId?: string }) {
    return make<EventOf<'message'>>({
      type: 'message',
      tenantId,
      conversationId,
      ...(session?.agentId ? { userId: session.agentId } : {}),
      payload: { ...(session ? { sessionId: session.id } : {}), message },
    });
  },
  /** A message changed (its delivery state): to the agent only. */
  messageToAgent(tenantId: string, userId: string, sessionId: string, message: ChatMessage) {
    return make<EventOf<'message'>>({ type: 'message', tenantId, userId, payload: { sessionId, message } });
  },
  customerState(tenantId: string, conversationId: string, status: CustomerStatus) {
    return make<EventOf<'state'>>({ type: 'state', tenantId, conversationId, payload: { conversationId, ...status } });
  },
  session(tenantId: string, userId: string, session: AgentSession) {
    return make<EventOf<'session'>>({ type: 'session', tenantId, userId, payload: { session } });
  },
  me(tenantId: string, userId: string, me: AgentMe) {
    return make<EventOf<'me'>>({ type: 'me', tenantId, userId, payload: { me } });
  },
  /** The customer is typing: to the session's agent. */
  customerTyping(tenantId: string, userId: string, sessionId: string) {
    return make<EventOf<'typing'>>({ type: 'typing', tenantId, userId, payload: { from: 'customer', sessionId } });
  },
  /** The agent is typing: to the conversation's customer. */
  agentTyping(tenantId: string, conversationId: string, agentName?: string) {
    return make<EventOf<'typing'>>({
      type: 'typing',
      tenantId,
      conversationId,
      payload: { from: 'agent', ...(agentName ? { agentName } : {}) },
    });
  },
  /** The customer has seen the conversation up to `seq`. */
  customerRead(tenantId: string, userId: string, sessionId: string, seq: number) {
    return make<EventOf<'read'>>({ type: 'read', tenantId, userId, payload: { sessionId, seq } });
  },
  /** A new revision of the tenant's configuration is live. */
  config(tenantId: string, revision: number) {
    return make<EventOf<'config'>>({ type: 'config', tenantId, payload: { revision } });
  },
  notice(
    tenantId: string,
    userId: string,
    level: Agent<'notice'>['level'],
    text: string,
    opts: { sessionId?: string; teams?: false } = {},
  ) {
    return make<EventOf<'notice'>>({
      type: 'notice',
      tenantId,
      userId,
      payload: { level, text, ...(opts.sessionId ? { sessionId: opts.sessionId } : {}), ...(opts.teams === false ? { teams: false } : {}) },
    });
  },
};

/** The agent-stream frame of an event addressed to an agent (`teams` is the server's own business). */
export function toAgentEvent(e: Stored): AgentEvent | undefined {
  switch (e.type) {
    case 'message':
      return e.payload.sessionId ? { type: 'message', sessionId: e.payload.sessionId, message: e.payload.message } : undefined;
    case 'session':
      return { type: 'session', session: e.payload.session };
    case 'me':
      return { type: 'me', me: e.payload.me };
    case 'notice': {
      const { teams: _teams, ...rest } = e.payload;
      return { type: 'notice', ...rest };
    }
    case 'typing':
      return e.payload.from === 'customer' && e.payload.sessionId ? { type: 'typing', sessionId: e.payload.sessionId } : undefined;
    case 'read':
      return { type: 'read', sessionId: e.payload.sessionId, seq: e.payload.seq };
    case 'state':
    case 'config':
      return undefined;
  }
}

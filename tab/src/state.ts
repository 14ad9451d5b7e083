/** The tab's state: sessions by id, messages per session, unread counts, notices. Pure reducer. */
import type { AgentEvent, AgentMe, AgentSession, ChatMessage } from '../../shared/contract/api';

export interface Notice {
  id: number;
  level: 'info' | 'warning' | 'error';
  text: string;
  sessionId?: string;
}

export interface State {
  me?: AgentMe;
  sessions: Record<string, AgentSession>;
  messages: Record<string, ChatMessage[]>;
  /** Last sequence number the agent has seen per session. */
  seen: Record<string, number>;
  selected?: string;
  notices: Notice[];
  /** Until when (ms) the customer of a session shows as typing. */
  typingUntil: Record<string, number>;
}

export const initialState: State = { sessions: {}, messages: {}, seen: {}, notices: [], typingUntil: {} };

/** How long "is typing…" shows after the customer's last typing signal. */
export const TYPING_SHOWN_MS = 6000;

export type Action =
  | { type: 'me'; me: AgentMe }
  | { type: 'sessions'; sessions: AgentSession[] }
  | { type: 'session'; session: AgentSession }
  | { type: 'messages'; sessionId: string; messages: ChatMessage[] }
  | { type: 'event'; event: AgentEvent; now?: number }
  | { type: 'select'; sessionId: string | undefined }
  | { type: 'dismiss'; id: number };

let noticeId = 0;

/** Merges messages by id (a delivery update replaces the message), ordered by seq. */
export function mergeMessages(list: ChatMessage[] | undefined, add: ChatMessage[]): ChatMessage[] {
  const byId = new Map((list ?? []).map((m) => [m.id, m] as const));
  for (const m of add) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

export function reducer(s: State, a: Action): State {
  switch (a.type) {
    case 'me':
      return { ...s, me: a.me };
    case 'sessions': {
      const sessions: Record<string, AgentSession> = {};
      for (const x of a.sessions) sessions[x.id] = x;
      return { ...s, sessions };
    }
    case 'session':
      return { ...s, sessions: { ...s.sessions, [a.session.id]: a.session } };
    case 'messages': {
      const messages = mergeMessages(s.messages[a.sessionId], a.messages);
      const seen = s.selected === a.sessionId ? { ...s.seen, [a.sessionId]: messages.at(-1)?.seq ?? 0 } : s.seen;
      return { ...s, messages: { ...s.messages, [a.sessionId]: messages }, seen };
    }
    case 'event': {
      const e = a.event;
      if (e.type === 'me') return { ...s, me: e.me };
      if (e.type === 'session') return reducer(s, { type: 'session', session: e.session });
      if (e.type === 'message') {
        const next = reducer(s, { type: 'messages', sessionId: e.sessionId, messages: [e.message] });
        const sess = next.sessions[e.sessionId];
        if (sess) {
          let changed = sess;
          if (e.message.seq > sess.lastSeq) changed = { ...changed, lastSeq: e.message.seq };
          // The agent answered: nothing waits for them any more (the server flags the next wait itself).
          if (e.message.from === 'agent' && changed.unanswered) {
            const { unanswered: _done, ...rest } = changed;
            changed = rest;
          }
          if (changed !== sess) next.sessions = { ...next.sessions, [e.sessionId]: changed };
        }
        // A message from the customer ends their typing.
        if (e.message.from === 'customer' && next.typingUntil[e.sessionId]) {
          const { [e.sessionId]: _gone, ...typingUntil } = next.typingUntil;
          next.typingUntil = typingUntil;
        }
        return next;
      }
      if (e.type === 'typing') return { ...s, typingUntil: { ...s.typingUntil, [e.sessionId]: (a.now ?? Date.now()) + TYPING_SHOWN_MS } };
      if (e.type === 'read') {
        const sess = s.sessions[e.sessionId];
        if (!sess || (sess.customerReadSeq ?? 0) >= e.seq) return s;
        return { ...s, sessions: { ...s.sessions, [e.sessionId]: { ...sess, customerReadSeq: e.seq } } };
      }
      if (e.type === 'notice')
        return {
          ...s,
          notices: [
            ...s.notices.slice(-4),
            { id: ++noticeId, level: e.level, text: e.text, ...(e.sessionId ? { sessionId: e.sessionId } : {}) },
          ],
        };
      return s;
    }
    case 'select': {
      const seen = a.sessionId ? { ...s.seen, [a.sessionId]: s.sessions[a.sessionId]?.lastSeq ?? 0 } : s.seen;
      return { ...s, selected: a.sessionId, seen };
    }
    case 'dismiss':
      return { ...s, notices: s.notices.filter((n) => n.id !== a.id) };
  }
}

/** Unread messages of a session (customer messages after the last one the agent saw). */
export function unread(s: State, id: string): number {
  if (s.selected === id) return 0;
  const seen = s.seen[id] ?? 0;
  const list = s.messages[id];
  if (list) return list.filter((m) => m.seq > seen && m.from === 'customer').length;
  return Math.max(0, (s.sessions[id]?.lastSeq ?? 0) - seen);
}

export function waitingFor(since: string, now: number): string {
  const sec = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
  if (sec < 60) return `${sec} s`;
  const min = Math.floor(sec / 60);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

export const CHANNEL_LABEL: Record<string, string> = { interact: 'Website', whatsapp: 'WhatsApp', sms: 'SMS' };

/** Whether a session counts as waiting too long for the agent's answer (the server says from when). */
export function isFlagged(x: AgentSession, now: number): boolean {
  return x.state === 'connected' && x.unanswered?.flagAt !== undefined && Date.parse(x.unanswered.flagAt) <= now;
}

/** Whether an ended session still asks for the agent's wrap-up (not filed, within its time). */
export function wrapUpOpen(x: AgentSession, now: number): boolean {
  return x.state === 'ended' && x.wrapUp !== undefined && x.wrapUp.filedAt === undefined && Date.parse(x.wrapUp.until) > now;
}

/** Until when the agent is in wrap-up (the latest of the server's word and their open wrap-ups), if they are. */
export function wrapUpUntil(s: State, now: number): number | undefined {
  let until = s.me?.wrapUpUntil ? Date.parse(s.me.wrapUpUntil) : 0;
  for (const x of Object.values(s.sessions)) if (wrapUpOpen(x, now)) until = Math.max(until, Date.parse(x.wrapUp!.until));
  return until > now ? until : undefined;
}

/**
 * The supervisor's event stream as React state: the three boards (snapshots, replaced whole), and
 * for a monitored session its conversation (history from the messages route, then live frames,
 * deduped by id) and who has it now. One stream per service filter and monitored session: the
 * server decides what a stream shows, so changing either opens a new one.
 */
import { useEffect, useState } from 'react';
import type { ChatMessage } from '@stratus/shared/contract/api';
import type { SupervisedSession, SupervisorAgent, SupervisorFrame, SupervisorQueueTask } from '@stratus/shared/contract/supervisor';
import { openStream, type StreamStatus } from '../stream';
import type { SupervisorApi } from './api';

export interface Boards {
  /** Undefined until the first snapshot. */
  tasks?: SupervisorQueueTask[];
  /** When the queue snapshot arrived (waiting times count on from it). */
  queueAt: number;
  agents?: SupervisorAgent[];
  sessions?: SupervisedSession[];
}

export interface Monitored {
  messages: ChatMessage[];
  /** From the `monitor` frame: the session the conversation is in now, and its state. */
  current?: Extract<SupervisorFrame, { type: 'monitor' }>;
  error?: string;
}

const merge = (old: ChatMessage[], add: readonly ChatMessage[]) => {
  const byId = new Map(old.map((m) => [m.id, m]));
  for (const m of add) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
};

export function useSupervisorStream(opts: { api: SupervisorApi; token: () => Promise<string>; service?: string; monitor?: string }) {
  const { api, token, service, monitor } = opts;
  const [boards, setBoards] = useState<Boards>({ queueAt: Date.now() });
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [monitored, setMonitored] = useState<Monitored>({ messages: [] });

  // A different service's boards must not show under this one's filter.
  useEffect(() => setBoards({ queueAt: Date.now() }), [service]);
  useEffect(() => setMonitored({ messages: [] }), [monitor]);

  useEffect(() => {
    const loadHistory = () => {
      if (!monitor) return;
      api.messages(monitor).then(
        (list) => setMonitored((m) => ({ ...m, messages: merge(m.messages, list), error: undefined })),
        (e: unknown) => setMonitored((m) => ({ ...m, error: e instanceof Error ? e.message : 'The conversation could not be loaded.' })),
      );
    };
    return openStream({
      url: api.eventsUrl(service, monitor),
      token,
      onStatus: setStatus,
      // Subscribed from here on: the history fills whatever came before (merged by id).
      onResumed: loadHistory,
      onEvent: (e) => {
        // The reader is typed for the agent stream; these frames are the supervisor's (their `type` is in the data).
        const f = e as unknown as SupervisorFrame;
        switch (f.type) {
          case 'queue':
            return setBoards((b) => ({ ...b, tasks: f.tasks, queueAt: Date.now() }));
          case 'agents':
            return setBoards((b) => ({ ...b, agents: f.agents }));
          case 'sessions':
            return setBoards((b) => ({ ...b, sessions: f.sessions }));
          case 'message':
            return setMonitored((m) => ({ ...m, messages: merge(m.messages, [f.message]) }));
          case 'monitor':
            return setMonitored((m) => ({ ...m, current: f }));
          default:
            return undefined;
        }
      },
    });
  }, [api, token, service, monitor]);

  return { boards, status, monitored };
}

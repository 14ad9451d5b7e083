/**
 * The agent event stream (server-sent events) read with fetch, so the token goes in a header.
 * It reconnects with backoff and resumes with Last-Event-ID, so nothing is missed; `onStatus`
 * drives the visible "Reconnecting" state.
 */
import type { AgentEvent } from '../../shared/contract/api';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

export function openStream(opts: {
  url: string;
  token: () => Promise<string>;
  onEvent: (e: AgentEvent) => void;
  onStatus: (s: StreamStatus) => void;
  /** Every time the stream is live (first time and after a reconnect). */ onResumed?: () => void;
}): () => void {
  let lastId: string | undefined;
  let stopped = false;
  let attempt = 0;
  let ctrl: AbortController | undefined;
  const run = async () => {
    while (!stopped) {
      ctrl = new AbortController();
      try {
        const res = await fetch(opts.url, {
          headers: {
            authorization: `Bearer ${await opts.token()}`,
            accept: 'text/event-stream',
            ...(lastId ? { 'last-event-id': lastId } : {}),
          },
          signal: ctrl.signal,
        });
        if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
        opts.onStatus('live');
        // Subscribed from here on: reload the state, so nothing between a snapshot and the stream is missed.
        opts.onResumed?.();
        attempt = 0;
        const reader = res.body.getReader();
        const dec = new TextDecoder();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('id: ')) lastId = line.slice(4);
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (data) {
              try {
                opts.onEvent(JSON.parse(data) as AgentEvent);
              } catch {
                /* a malformed event is skipped */
              }
            }
          }
        }
      } catch {
        if (stopped) return;
      }
      if (stopped) return;
      opts.onStatus('reconnecting');
      attempt += 1;
      await new Promise((r) => setTimeout(r, Math.min(10_000, 300 * 2 ** attempt)));
    }
  };
  opts.onStatus('connecting');
  void run();
  return () => {
    stopped = true;
    ctrl?.abort();
  };
}

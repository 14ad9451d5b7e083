/**
 * The agent's server-sent-event stream, resumable with Last-Event-ID (the outbox event id).
 * It subscribes before replaying, holds live events until the replay is done, and drops
 * anything at or below the last id sent, so a resume neither loses nor repeats. A client that
 * stops reading has a capped buffer: past it the stream is closed and the client resumes.
 */
import type { AgentAuth } from '../../agents/agent-auth';
import { Listeners } from '../../events/listeners';
import { liveSubscriber } from '../../events/subscribers';
import { toAgentEvent, type Stored } from '@stratus/shared/contract/events';
import type { Runtime } from '../../runtime/runtime';
import { errorMessage } from '../../util/log';
import { AppError } from '../../errors';
import type { Request, Response, Server } from '../server';

const MAX_BUFFERED_BYTES = 1024 * 1024;
const PING_MS = 15_000;

/** This instance's agent streams, by agent: the agents' side of the events. */
export class AgentStreams {
  readonly open = new Set<Response>();
  readonly listeners = new Listeners<Stored>();
  readonly subscriber;

  constructor(rt: Runtime) {
    const route = (e: Stored) => {
      if (e.userId)
        this.listeners.emit(`${e.tenantId}/${e.userId}`, e, (err) =>
          rt.log.error('agent stream write failed', { error: errorMessage(err) }),
        );
    };
    this.subscriber = liveSubscriber('agent streams', {
      message: route,
      session: route,
      me: route,
      notice: route,
      typing: route,
      read: route,
    });
  }

  /** Ends every stream (the app is stopping; clients resume elsewhere with Last-Event-ID). */
  close(): void {
    for (const s of this.open) s.end();
  }
}

export function registerAgentEvents(server: Server, rt: Runtime, auth: AgentAuth, streams: AgentStreams): void {
  const { open } = streams;
  server.get('/api/agent/events', async (req: Request, res: Response) => {
    let principal;
    try {
      // The header only: a token in the query (`access_token`) would be written to access logs.
      principal = await auth.verify(req.header('authorization'));
    } catch (e) {
      const err = e instanceof AppError ? e : new AppError(401, 'unauthorized', 'Sign in first.');
      res.send(err.status, err.toBody());
      return;
    }
    const { tenantId, userId } = principal;
    const fromHeader = req.header('last-event-id') ?? (req.query as Record<string, string | undefined>)?.after;
    let cursor = fromHeader !== undefined && /^\d+$/.test(fromHeader) ? Number(fromHeader) : rt.bus.position;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 2000\n: connected\n\n`);
    open.add(res);
    let replaying = true;
    const held: Stored[] = [];
    let closed = false;
    const send = (e: Stored) => {
      if (closed || e.id <= cursor) return;
      cursor = e.id;
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        end();
        return;
      }
      const frame = toAgentEvent(e);
      if (frame) res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(frame)}\n\n`);
    };
    const unsubscribe = streams.listeners.add(`${tenantId}/${userId}`, (e) => (replaying ? held.push(e) : send(e)));
    const ping = setInterval(() => !closed && res.write(': ping\n\n'), PING_MS);
    const end = () => {
      if (closed) return;
      closed = true;
      clearInterval(ping);
      unsubscribe();
      open.delete(res);
      res.end();
    };
    req.on('close', end);
    try {
      for (;;) {
        const list = await rt.bus.userEventsAfter(tenantId, userId, cursor, 500);
        for (const e of list) send(e);
        if (list.length < 500 || closed) break;
      }
    } catch (e) {
      rt.log.warn('agent stream replay failed', { error: errorMessage(e) });
      end();
    } finally {
      replaying = false;
      for (const e of held.splice(0).sort((a, b) => a.id - b.id)) send(e);
    }
  });
}

/**
 * The supervisor's server-sent-event stream, `GET /api/supervisor/events?service=&monitor=`.
 *
 * Boards are snapshots: the queue, the sessions and the agents of the watched services are sent
 * whole at connect and again, at most every SNAPSHOT_MS, after an event that may change them (a
 * customer's state, an agent's session or state), only when they did change. A monitored
 * session's conversation streams message by message, both sides, with the outbox id as the frame
 * id: a client resuming with Last-Event-ID gets the boards afresh and the messages it missed,
 * replayed from the outbox (subscribed before the replay, held until it is done, deduped by id).
 * Only the caller's services reach the stream: the boards are built for the viewer, and a
 * monitor is opened only on a session of a watched service. A client that stops reading is
 * closed at a capped buffer and resumes.
 */
import type { ChatMessage } from '@stratus/shared/contract/api';
import type { Stored } from '@stratus/shared/contract/events';
import type { SupervisorFrame } from '@stratus/shared/contract/supervisor';
import { liveSubscriber } from '../events/subscribers';
import type { Runtime } from '../runtime/runtime';
import { getConversationById, getTask } from '../store/repo';
import { errorMessage } from '../util/log';
import { supervisorAgents } from './board';
import { requireWatched, supervisorQueue, supervisorSessions, watchedServices, type Viewer } from './supervisor';

const MAX_BUFFERED_BYTES = 1024 * 1024;
const PING_MS = 15_000;
/** Boards are rebuilt at most this often per stream (a burst of queue changes is one snapshot). */
export const SNAPSHOT_MS = 300;
/** Streams one user may hold on this instance (a few windows); a new one closes their oldest. */
export const MAX_STREAMS_PER_USER = 6;

type Board = 'queue' | 'sessions' | 'agents';
const ALL: readonly Board[] = ['queue', 'sessions', 'agents'];

/** What a stream writes to: the HTTP response, seen as the few calls the stream makes. */
export interface Sink {
  write(chunk: string): unknown;
  end(): unknown;
  readonly writableLength: number;
}

export interface StreamPlan {
  v: Viewer;
  service: string | undefined;
  monitor: { taskId: string; conversationId: string } | undefined;
  after: number | undefined;
}

interface Watch {
  v: Viewer;
  service: string | undefined;
  monitor: { taskId: string; conversationId: string } | undefined;
  sink: Sink;
  cursor: number;
  /** Live message events held while the resume replay runs. */
  held: Stored[] | undefined;
  dirty: Set<Board>;
  timer: NodeJS.Timeout | undefined;
  last: Map<string, string>;
  closed: boolean;
  ping: NodeJS.Timeout;
}

export class SupervisorStreams {
  private readonly byTenant = new Map<string, Set<Watch>>();

  readonly subscriber = liveSubscriber('supervisor streams', {
    state: (e) => {
      this.touch(e.tenantId, ['queue', 'sessions']);
      this.monitorChanged(e.tenantId, e.conversationId);
    },
    session: (e) => this.touch(e.tenantId, ALL),
    me: (e) => this.touch(e.tenantId, ['agents']),
    message: (e) => {
      const watches = e.conversationId ? this.byTenant.get(e.tenantId) : undefined;
      if (!watches) return;
      for (const w of watches) if (w.monitor?.conversationId === e.conversationId) this.deliver(w, e);
    },
  });

  constructor(private readonly rt: Runtime) {}

  get size(): number {
    let n = 0;
    for (const s of this.byTenant.values()) n += s.size;
    return n;
  }

  /**
   * Checks what a stream for `v` may show, before anything is written: 403 when they supervise
   * nothing or not `service`, 404 for a monitor outside their services.
   */
  async resolve(v: Viewer, opts: { service?: string; monitor?: string; after?: number }): Promise<StreamPlan> {
    watchedServices(this.rt, v, opts.service);
    let monitor: Watch['monitor'];
    if (opts.monitor) {
      const row = await getTask(this.rt.store.db, v.tenantId, opts.monitor);
      requireWatched(this.rt, v, row?.task);
      monitor = { taskId: row.task.id, conversationId: row.task.conversationId };
    }
    return { v, service: opts.service, monitor, after: opts.after };
  }

  /** Starts a resolved stream: the boards, the monitor's state, the missed messages, then live. Returns its closer. */
  async open(plan: StreamPlan, sink: Sink): Promise<() => void> {
    const { v, monitor } = plan;
    const opts = plan;
    const w: Watch = {
      v,
      service: plan.service,
      monitor,
      sink,
      cursor: opts.after ?? this.rt.bus.position,
      held: opts.after !== undefined && monitor ? [] : undefined,
      dirty: new Set(),
      timer: undefined,
      last: new Map(),
      closed: false,
      ping: setInterval(() => !w.closed && sink.write(': ping\n\n'), PING_MS),
    };
    // Each stream costs board rebuilds: one user's are capped, oldest first (a Set keeps insertion order).
    const theirs = [...(this.byTenant.get(v.tenantId) ?? [])].filter((x) => x.v.userId === v.userId);
    for (const old of theirs.slice(0, Math.max(0, theirs.length - MAX_STREAMS_PER_USER + 1))) this.close(old);
    let set = this.byTenant.get(v.tenantId);
    if (!set) this.byTenant.set(v.tenantId, (set = new Set()));
    set.add(w);
    sink.write(`retry: 2000\n: connected\n\n`);
    await this.flush(w, ALL);
    if (monitor) await this.sendMonitor(w);
    if (w.held && monitor) {
      try {
        for (;;) {
          const list = await this.rt.bus.conversationEventsAfter(v.tenantId, monitor.conversationId, w.cursor, 500);
          for (const e of list)
            if (e.type === 'message') this.write(w, e.id, { type: 'message', sessionId: monitor.taskId, message: e.payload.message });
          if (list.length < 500 || w.closed) break;
        }
      } catch (e) {
        this.rt.log.warn('supervisor stream replay failed', { error: errorMessage(e) });
        this.close(w);
      } finally {
        const held = w.held.splice(0).sort((a, b) => a.id - b.id);
        w.held = undefined;
        for (const e of held) this.deliver(w, e);
      }
    }
    return () => this.close(w);
  }

  /** Ends every stream (the app is stopping; clients resume elsewhere with Last-Event-ID). */
  closeAll(): void {
    for (const set of this.byTenant.values()) for (const w of [...set]) this.close(w);
  }

  private close(w: Watch): void {
    if (w.closed) return;
    w.closed = true;
    clearInterval(w.ping);
    clearTimeout(w.timer);
    const set = this.byTenant.get(w.v.tenantId);
    set?.delete(w);
    if (set?.size === 0) this.byTenant.delete(w.v.tenantId);
    w.sink.end();
  }

  private write(w: Watch, id: number | undefined, frame: SupervisorFrame): void {
    if (w.closed) return;
    if (w.sink.writableLength > MAX_BUFFERED_BYTES) return this.close(w);
    if (id !== undefined && id > w.cursor) w.cursor = id;
    w.sink.write(`id: ${w.cursor}\nevent: ${frame.type}\ndata: ${JSON.stringify(frame)}\n\n`);
  }

  private deliver(w: Watch, e: Stored): void {
    if (w.held) return void w.held.push(e);
    if (e.id <= w.cursor || e.type !== 'message' || !w.monitor) return;
    const message: ChatMessage = e.payload.message;
    this.write(w, e.id, { type: 'message', sessionId: w.monitor.taskId, message });
  }

  /** Marks boards of the tenant's streams for a rebuild (one per SNAPSHOT_MS at most). */
  private touch(tenantId: string, boards: readonly Board[]): void {
    const watches = this.byTenant.get(tenantId);
    if (!watches) return;
    for (const w of watches) {
      for (const b of boards) w.dirty.add(b);
      if (!w.timer)
        w.timer = setTimeout(() => {
          w.timer = undefined;
          const todo = [...w.dirty];
          w.dirty.clear();
          void this.flush(w, todo);
        }, SNAPSHOT_MS);
    }
  }

  private async flush(w: Watch, boards: readonly Board[]): Promise<void> {
    if (w.closed) return;
    try {
      for (const b of boards) {
        const frame: SupervisorFrame =
          b === 'queue'
            ? { type: 'queue', ...(await supervisorQueue(this.rt, w.v, w.service)) }
            : b === 'sessions'
              ? { type: 'sessions', ...(await supervisorSessions(this.rt, w.v, w.service)) }
              : { type: 'agents', ...(await supervisorAgents(this.rt, w.v, w.service)) };
        const json = JSON.stringify(frame);
        if (w.last.get(b) === json) continue;
        w.last.set(b, json);
        this.write(w, undefined, frame);
      }
    } catch (e) {
      // Rights gone (a config change), or storage failing: the client reconnects and is told why.
      this.rt.log.info('supervisor stream closed', { error: errorMessage(e) });
      this.close(w);
    }
  }

  private monitorChanged(tenantId: string, conversationId: string): void {
    const watches = this.byTenant.get(tenantId);
    if (!watches) return;
    for (const w of watches) if (w.monitor?.conversationId === conversationId) void this.sendMonitor(w);
  }

  /** The monitored conversation's current session: who has it, or that it ended. */
  private async sendMonitor(w: Watch): Promise<void> {
    const m = w.monitor;
    if (!m || w.closed) return;
    try {
      const conv = await getConversationById(this.rt.store.db, m.conversationId);
      const row = await getTask(this.rt.store.db, w.v.tenantId, conv?.currentTaskId ?? m.taskId);
      if (!row) return;
      const t = row.task;
      const frame: SupervisorFrame = {
        type: 'monitor',
        sessionId: t.id,
        state: t.state === 'connected' && conv?.open ? 'connected' : 'ended',
        ...(t.userId ? { userId: t.userId } : {}),
        ...(t.outcome ? { outcome: t.outcome } : {}),
      };
      const json = JSON.stringify(frame);
      if (w.last.get('monitor') === json) return;
      w.last.set('monitor', json);
      this.write(w, undefined, frame);
    } catch (e) {
      this.rt.log.warn('supervisor monitor read failed', { error: errorMessage(e) });
    }
  }
}

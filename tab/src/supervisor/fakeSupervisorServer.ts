/**
 * A fake Stratus at the Supervisor page's one edge, `fetch`: JSON routes as in the admin tests,
 * and the event stream as a real server-sent-event body the test writes frames into. Records
 * every request (with its query); anything unexpected is a 500 so that it shows. jsdom tests only.
 */
import { TextDecoder as NodeTextDecoder, TextEncoder as NodeTextEncoder } from 'node:util';
import type { ChatMessage } from '@stratus/shared/contract/api';
import type { SupervisorFrame } from '@stratus/shared/contract/supervisor';

export interface Sent {
  method: string;
  path: string;
  query: URLSearchParams;
  body?: unknown;
  lastEventId?: string;
}
export interface Answer {
  status?: number;
  body?: unknown;
  text?: string;
}
export type Route = (req: Sent) => Answer;

interface OpenStream {
  query: URLSearchParams;
  push: (text: string) => void;
  closed: boolean;
}

const json = (status: number, body: unknown, text?: string) => ({
  ok: status < 400,
  status,
  headers: { get: () => null },
  text: async () => text ?? (body === undefined ? '' : JSON.stringify(body)),
});

export function fakeSupervisorServer(routes: Record<string, Route>) {
  const sent: Sent[] = [];
  const streams: OpenStream[] = [];
  const encoder = new NodeTextEncoder();
  let nextId = 1;

  const openStream = (query: URLSearchParams, signal: AbortSignal | undefined) => {
    const chunks: Uint8Array[] = [];
    let wake: (() => void) | undefined;
    const s: OpenStream = {
      query,
      closed: false,
      push: (text) => {
        chunks.push(encoder.encode(text));
        wake?.();
      },
    };
    signal?.addEventListener('abort', () => {
      s.closed = true;
      wake?.();
    });
    streams.push(s);
    const reader = {
      read: async (): Promise<{ value?: Uint8Array; done: boolean }> => {
        for (;;) {
          if (s.closed) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
          const value = chunks.shift();
          if (value) return { value, done: false };
          await new Promise<void>((r) => (wake = r));
        }
      },
    };
    return { ok: true, status: 200, headers: { get: () => 'text/event-stream' }, body: { getReader: () => reader }, text: async () => '' };
  };

  const fetch = async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const u = new URL(url, 'http://localhost');
    const headers = (init.headers ?? {}) as Record<string, string>;
    const req: Sent = {
      method,
      path: u.pathname,
      query: u.searchParams,
      ...(init.body !== undefined ? { body: JSON.parse(String(init.body)) } : {}),
      ...(headers['last-event-id'] ? { lastEventId: headers['last-event-id'] } : {}),
    };
    sent.push(req);
    const route = routes[`${method} ${u.pathname}`];
    if (method === 'GET' && u.pathname === '/api/supervisor/events') {
      const refused = route?.(req);
      if (refused) return json(refused.status ?? 200, refused.body);
      return openStream(u.searchParams, init.signal ?? undefined);
    }
    const a: Answer = route
      ? route(req)
      : { status: 500, body: { error: { code: 'unexpected', message: `No route for ${method} ${u.pathname}` } } };
    return json(a.status ?? 200, a.body, a.text);
  };

  return {
    fetch,
    sent,
    /** Requests that change something, as `METHOD path` with their bodies. */
    writes: () => sent.filter((r) => r.method !== 'GET').map((r) => ({ call: `${r.method} ${r.path}`, body: r.body })),
    /** The event streams open now (the page closes one when its filter or monitored session changes). */
    open: () => streams.filter((s) => !s.closed),
    /** Sends a frame on every open stream (or those `where` picks), as the server writes it. */
    frame(f: SupervisorFrame, where: (q: URLSearchParams) => boolean = () => true) {
      const id = nextId++;
      for (const s of streams) if (!s.closed && where(s.query)) s.push(`id: ${id}\nevent: ${f.type}\ndata: ${JSON.stringify(f)}\n\n`);
    },
  };
}

/**
 * `GET /api/supervisor/sessions/{id}/messages` as the server pages it: the messages after
 * `?after=` (a sequence number), in order, at most `pageSize` of them.
 */
export function pagedMessages(messages: readonly ChatMessage[], pageSize = 500): Route {
  return (req) => {
    const after = Number(req.query.get('after') ?? 0);
    return { body: { messages: messages.filter((m) => m.seq > after).slice(0, pageSize) } };
  };
}

/** The platform pieces jsdom lacks: a ResizeObserver for Fluent, a TextDecoder for the stream reader, object URLs for downloads. */
export function installBrowserStubs(): { downloads: { name: string; text: Promise<string> }[] } {
  class NoResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  const downloads: { name: string; text: Promise<string> }[] = [];
  const blobs = new Map<string, Blob>();
  Object.assign(globalThis, { ResizeObserver: NoResizeObserver, TextDecoder: NodeTextDecoder });
  Object.assign(URL, {
    createObjectURL: (b: Blob) => {
      const url = `blob:fake/${blobs.size}`;
      blobs.set(url, b);
      return url;
    },
    revokeObjectURL: () => undefined,
  });
  // jsdom does not navigate: a click on a download link is recorded instead.
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    const b = blobs.get(this.href);
    if (!b || !this.download) return;
    // jsdom's Blob has no text(): a FileReader reads it.
    const text = new Promise<string>((resolve) => {
      const r = new FileReader();
      r.onload = () => resolve(String(r.result));
      r.readAsText(b);
    });
    downloads.push({ name: this.download, text });
  };
  return { downloads };
}

/**
 * A fake Stratus admin API at the one edge the Admin page has, `fetch`: answers from its routes,
 * records every request with its headers, and answers 500 to anything unexpected so it shows.
 * For the jsdom tests only.
 */
import type { AdminMe } from '@stratus/shared/contract/admin';
import type { TeamsInstallResult } from './api';

export interface Sent {
  method: string;
  path: string;
  ifMatch?: string;
  body?: unknown;
}
export interface Answer {
  status?: number;
  body?: unknown;
  etag?: string;
}
export type Route = (req: Sent) => Answer;

export const ADMIN_ME: AdminMe = {
  tenantId: 'contoso',
  tenantName: 'Contoso',
  userId: 'alice',
  displayName: 'Alice Anders',
  admin: true,
  owns: [],
  supervises: [],
  revision: 7,
  directory: true,
};

/** The server's 503 to `POST /api/admin/teams/install` when Microsoft Graph is not configured. */
export const TEAMS_INSTALL_UNAVAILABLE: Answer = {
  status: 503,
  body: {
    error: {
      code: 'unavailable',
      message:
        'Microsoft Graph is not configured on this server (GRAPH_CLIENT_ID or the bot credentials, and TEAMS_APP_ID or TEAMS_APP_CATALOG_ID): the app cannot be installed for agents.',
    },
  },
};

/** `POST /api/admin/teams/install`: answers each request with the next of `answers` (results or an error answer), the last one again once they run out. */
export function teamsInstallRoute(...answers: (TeamsInstallResult[] | Answer)[]): Record<string, Route> {
  let i = 0;
  return {
    'POST /api/admin/teams/install': () => {
      const a = answers[Math.min(i++, answers.length - 1)] ?? [];
      return Array.isArray(a) ? { body: { results: a } } : a;
    },
  };
}

export function fakeAdminServer(routes: Record<string, Route>) {
  const sent: Sent[] = [];
  const fetch = async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const path = new URL(url, 'http://localhost').pathname;
    const headers = (init.headers ?? {}) as Record<string, string>;
    const req: Sent = {
      method,
      path,
      ...(headers['if-match'] ? { ifMatch: headers['if-match'] } : {}),
      ...(init.body !== undefined ? { body: JSON.parse(String(init.body)) } : {}),
    };
    sent.push(req);
    const route = routes[`${method} ${path}`];
    const answer: Answer = route
      ? route(req)
      : { status: 500, body: { error: { code: 'unexpected', message: `No route for ${method} ${path}` } } };
    const status = answer.status ?? 200;
    return {
      ok: status < 400,
      status,
      headers: { get: (name: string) => (name.toLowerCase() === 'etag' ? (answer.etag ?? null) : null) },
      text: async () => (answer.body === undefined ? '' : JSON.stringify(answer.body)),
    };
  };
  return {
    fetch,
    sent,
    /** Requests that change something (everything but GET), in order. */
    writes: () => sent.filter((r) => r.method !== 'GET'),
  };
}

/** The platform pieces jsdom lacks and Fluent needs (MessageBar measures itself with a ResizeObserver). */
export function installBrowserStubs(): void {
  class NoResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.assign(globalThis, { ResizeObserver: NoResizeObserver });
}

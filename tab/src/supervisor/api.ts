/**
 * The supervisor's API as the Supervisor page uses it (shared/contract/supervisor.ts): the same
 * bearer token and `{error:{code,message}}` errors as My Sessions, through AgentApi's `call`.
 */
import type { ChatMessage } from '@stratus/shared/contract/api';
import type {
  KpiGroupBy,
  KpiRow,
  SupervisedSession,
  SupervisorActionResult,
  SupervisorAgent,
  SupervisorQueueTask,
  SupervisorServices,
} from '@stratus/shared/contract/supervisor';
import type { ReportingSession } from '@stratus/shared/reporting/session';
import type { Outcome } from '@stratus/shared/task/types';
import type { ChannelKind, Priority } from '@stratus/shared/tenant/model';
import { AgentApi, ApiError } from '../api';

/** What a KPI request asks for; `service` and `channel` absent mean all the caller may see. */
export interface KpiQuery {
  from: string;
  to: string;
  groupBy: KpiGroupBy;
  service?: string;
  channel?: ChannelKind;
}

/** What a sessions report asks for (GET /api/reporting/sessions): creation times, inclusive, newest first. */
export interface SessionsQuery {
  from?: string;
  to?: string;
  service?: string;
  channel?: ChannelKind;
  outcome?: Outcome;
  limit: number;
}

/** The most pages a transcript is read in (the route gives 500 messages a page): a bound, not a figure anyone should meet. */
const MAX_TRANSCRIPT_PAGES = 100;

const enc = encodeURIComponent;
const svc = (service?: string) => (service ? `?service=${enc(service)}` : '');

export function kpiSearch(q: KpiQuery, csv = false): string {
  const p = new URLSearchParams({ from: q.from, to: q.to, groupBy: q.groupBy });
  if (q.service) p.set('service', q.service);
  if (q.channel) p.set('channel', q.channel);
  if (csv) p.set('format', 'csv');
  return p.toString();
}

export class SupervisorApi {
  private readonly http: AgentApi;

  constructor(
    private readonly token: () => Promise<string>,
    private readonly base = '',
  ) {
    this.http = new AgentApi(token, base);
  }

  services = () => this.http.call<SupervisorServices>('GET', '/api/supervisor/services');
  queue = (service?: string) =>
    this.http.call<{ tasks: SupervisorQueueTask[] }>('GET', `/api/supervisor/queue${svc(service)}`).then((r) => r.tasks);
  agents = (service?: string) =>
    this.http.call<{ agents: SupervisorAgent[] }>('GET', `/api/supervisor/agents${svc(service)}`).then((r) => r.agents);
  sessions = (service?: string) =>
    this.http.call<{ sessions: SupervisedSession[] }>('GET', `/api/supervisor/sessions${svc(service)}`).then((r) => r.sessions);
  messages = (id: string) =>
    this.http.call<{ messages: ChatMessage[] }>('GET', `/api/supervisor/sessions/${enc(id)}/messages`).then((r) => r.messages);
  takeOver = (id: string) => this.http.call<SupervisorActionResult>('POST', `/api/supervisor/sessions/${enc(id)}/takeover`, {});
  reassign = (id: string, userId: string) =>
    this.http.call<SupervisorActionResult>('POST', `/api/supervisor/sessions/${enc(id)}/reassign`, { userId });
  end = (id: string) => this.http.call<SupervisorActionResult>('POST', `/api/supervisor/sessions/${enc(id)}/end`, {});
  move = (id: string, serviceId: string) =>
    this.http.call<SupervisorActionResult>('POST', `/api/supervisor/tasks/${enc(id)}/move`, { serviceId });
  priority = (id: string, priority: Priority) =>
    this.http.call<SupervisorActionResult>('POST', `/api/supervisor/tasks/${enc(id)}/priority`, { priority });
  /** The messages of a session's conversation after `after` (one page). */
  messagesAfter = (id: string, after: number) =>
    this.http
      .call<{ messages: ChatMessage[] }>('GET', `/api/supervisor/sessions/${enc(id)}/messages${after ? `?after=${after}` : ''}`)
      .then((r) => r.messages);
  sessionsReport = (q: SessionsQuery) => {
    const p = new URLSearchParams();
    for (const k of ['from', 'to', 'service', 'channel', 'outcome'] as const) if (q[k]) p.set(k, q[k]);
    p.set('limit', String(q.limit));
    return this.http.call<{ sessions: ReportingSession[] }>('GET', `/api/reporting/sessions?${p}`).then((r) => r.sessions);
  };
  kpis = (q: KpiQuery) => this.http.call<{ rows: KpiRow[] }>('GET', `/api/reporting/kpis?${kpiSearch(q)}`).then((r) => r.rows);

  /**
   * A session's whole conversation, both sides and the system's notices: page after page
   * (`?after=` the last sequence number) until a page comes back empty.
   */
  async transcript(id: string): Promise<ChatMessage[]> {
    const out: ChatMessage[] = [];
    let after = 0;
    for (let page = 0; page < MAX_TRANSCRIPT_PAGES; page++) {
      const got = await this.messagesAfter(id, after);
      const last = got.at(-1)?.seq ?? after;
      // An empty page is the end; one that does not move on would loop forever.
      if (got.length === 0 || last <= after) break;
      out.push(...got);
      after = last;
    }
    return out;
  }

  /** The event stream's URL for a service filter and a monitored session. */
  eventsUrl(service?: string, monitor?: string): string {
    const p = new URLSearchParams();
    if (service) p.set('service', service);
    if (monitor) p.set('monitor', monitor);
    const q = p.toString();
    return `${this.base}/api/supervisor/events${q ? `?${q}` : ''}`;
  }

  /** The KPI rows as CSV text (the token goes in a header, so a plain link cannot download it). */
  async kpisCsv(q: KpiQuery): Promise<string> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/api/reporting/kpis?${kpiSearch(q, true)}`, {
        headers: { authorization: `Bearer ${await this.token()}`, accept: 'text/csv' },
      });
    } catch {
      throw new ApiError(0, 'network', 'Stratus cannot be reached. Check your connection.');
    }
    const text = await res.text();
    if (!res.ok) {
      let message = `Stratus answered ${res.status}.`;
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        // Not JSON: the status says enough.
      }
      throw new ApiError(res.status, 'http_error', message);
    }
    return text;
  }
}

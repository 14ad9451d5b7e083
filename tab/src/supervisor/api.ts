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
  kpis = (q: KpiQuery) => this.http.call<{ rows: KpiRow[] }>('GET', `/api/reporting/kpis?${kpiSearch(q)}`).then((r) => r.rows);

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

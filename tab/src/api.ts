/** The agent API as the tab uses it: JSON with `{error:{code,message}}` errors, a bearer token. */
import type { AgentMe, AgentPrefs, AgentSession, ChatMessage, WrapUpRequest } from '../../shared/contract/api';
import type { CannedResponse } from '../../shared/tenant/model';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class AgentApi {
  constructor(
    private readonly token: () => Promise<string>,
    private readonly base = '',
  ) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: { authorization: `Bearer ${await this.token()}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new ApiError(0, 'network', 'Stratus cannot be reached. Check your connection.');
    }
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (!res.ok) {
      const e = (data as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(res.status, e?.code ?? 'http_error', e?.message ?? `Stratus answered ${res.status}.`);
    }
    return data as T;
  }

  me = () => this.call<AgentMe>('GET', '/api/agent/me');
  sessions = () => this.call<{ sessions: AgentSession[] }>('GET', '/api/agent/sessions').then((r) => r.sessions);
  services = () => this.call<{ services: { id: string; name: string }[] }>('GET', '/api/agent/services').then((r) => r.services);
  messages = (id: string) =>
    this.call<{ messages: ChatMessage[] }>('GET', `/api/agent/sessions/${encodeURIComponent(id)}/messages`).then((r) => r.messages);
  accept = (id: string) =>
    this.call<{ session: AgentSession }>('POST', `/api/agent/sessions/${encodeURIComponent(id)}/accept`, {}).then((r) => r.session);
  decline = (id: string) =>
    this.call<{ session: AgentSession }>('POST', `/api/agent/sessions/${encodeURIComponent(id)}/decline`, {}).then((r) => r.session);
  end = (id: string) =>
    this.call<{ session: AgentSession }>('POST', `/api/agent/sessions/${encodeURIComponent(id)}/end`, {}).then((r) => r.session);
  transfer = (id: string, serviceId: string) =>
    this.call<{ session: AgentSession }>('POST', `/api/agent/sessions/${encodeURIComponent(id)}/transfer`, { serviceId }).then(
      (r) => r.session,
    );
  send = (id: string, text: string, clientMessageId: string) =>
    this.call<{ id: string; seq: number }>('POST', `/api/agent/sessions/${encodeURIComponent(id)}/messages`, { text, clientMessageId });
  duty = (onDuty: boolean) => this.call<AgentMe>('POST', '/api/agent/me/duty', { onDuty });
  active = (serviceId: string, active: boolean) =>
    this.call<AgentMe>('POST', `/api/agent/me/services/${encodeURIComponent(serviceId)}/active`, { active });
  resetRona = () => this.call<AgentMe>('POST', '/api/agent/me/rona/reset', {});
  typing = (id: string) => this.call<void>('POST', `/api/agent/sessions/${encodeURIComponent(id)}/typing`, {});
  wrapUpOptions = (id: string) => this.call<{ outcomes: string[] }>('GET', `/api/agent/sessions/${encodeURIComponent(id)}/wrapup`);
  wrapUp = (id: string, body: WrapUpRequest) =>
    this.call<{ session: AgentSession }>('POST', `/api/agent/sessions/${encodeURIComponent(id)}/wrapup`, body).then((r) => r.session);
  canned = (id: string) =>
    this.call<{ service: CannedResponse[]; mine: CannedResponse[] }>('GET', `/api/agent/sessions/${encodeURIComponent(id)}/canned`);
  prefs = () => this.call<AgentPrefs>('GET', '/api/agent/prefs');
  putPrefs = (prefs: Partial<AgentPrefs>) => this.call<AgentPrefs>('PUT', '/api/agent/prefs', prefs);
}

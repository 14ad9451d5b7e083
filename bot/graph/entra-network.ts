/**
 * msal-node's network module (`system.networkClient`), on fetch. Two reasons to replace msal's
 * own: its token POST has no timeout at all, and msal accepts only https authorities, so a local
 * stand-in (http) is reached the way twilio-client.ts reaches one: msal is given the public
 * authority and this module sends what it asks of that host to the stand-in instead.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { causeOf, EntraUnreachable, isTimeout } from './graph-error';

export interface EntraRewrite {
  /** An origin msal calls, `https://login.microsoftonline.com`. */
  from: string;
  /** Where those calls go instead (a stand-in's base URL, possibly with a path). */
  to: string;
}

export class EntraNetwork implements INetworkModule {
  constructor(
    private readonly timeoutMs: number,
    private readonly rewrite?: EntraRewrite,
  ) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private target(url: string): string {
    const r = this.rewrite;
    return r && url.startsWith(`${r.from}/`) ? r.to + url.slice(r.from.length) : url;
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const ms = Math.min(timeout ?? this.timeoutMs, this.timeoutMs);
    let status: number;
    let headers: Record<string, string>;
    let text: string;
    try {
      const res = await fetch(this.target(url), {
        method,
        headers: options?.headers,
        ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
        redirect: 'error',
        signal: AbortSignal.timeout(ms),
      });
      status = res.status;
      headers = Object.fromEntries(res.headers);
      text = await res.text();
    } catch (e) {
      throw new EntraUnreachable(isTimeout(e) ? `no answer within ${ms / 1000} s` : causeOf(e));
    }
    return { status, headers, body: parseBody(status, text) as T };
  }
}

/** JSON, or (like msal's own client) an OAuth-shaped error for a body that is not, so msal reports the status. */
function parseBody(status: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (an HTML error page from a proxy, an empty 502): describe it the way msal's client does.
    return {
      error: status >= 500 ? 'server_error' : status >= 400 ? 'client_error' : 'unknown_error',
      error_description: `Entra ID answered HTTP ${status} with a body that is not JSON`,
    };
  }
}

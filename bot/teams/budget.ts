/**
 * Teams' limits for a bot: in one chat 7 messages a second, 60 per 30 s and 1,800 per hour; for
 * the app about 30 requests a second per tenant. Sliding windows of send times answer "how long
 * until the next send is allowed". Kept per instance: with N instances a chat could see N times
 * the rate, so each instance's share is the limit divided by `instances`.
 */
export interface Window {
  ms: number;
  max: number;
}

export const CHAT_WINDOWS: Window[] = [
  { ms: 1000, max: 7 },
  { ms: 30_000, max: 60 },
  { ms: 3_600_000, max: 1800 },
];
export const TENANT_WINDOWS: Window[] = [{ ms: 1000, max: 30 }];

class Windows {
  private readonly times = new Map<string, number[]>();
  constructor(
    private readonly windows: Window[],
    private readonly share: number,
  ) {}

  /** Milliseconds until one more send fits every window (0: now). */
  wait(key: string, now: number): number {
    const list = this.prune(key, now);
    let wait = 0;
    for (const w of this.windows) {
      const max = Math.max(1, Math.floor(w.max / this.share));
      const inWindow = list.filter((t) => t > now - w.ms);
      if (inWindow.length >= max) wait = Math.max(wait, (inWindow[inWindow.length - max] as number) + w.ms - now);
    }
    return wait;
  }

  /** Sends that still fit the tightest window right now. */
  room(key: string, now: number): number {
    const list = this.prune(key, now);
    let room = Infinity;
    for (const w of this.windows)
      room = Math.min(room, Math.max(1, Math.floor(w.max / this.share)) - list.filter((t) => t > now - w.ms).length);
    return Math.max(0, room);
  }

  record(key: string, now: number): void {
    const list = this.times.get(key) ?? [];
    list.push(now);
    this.times.set(key, list);
  }

  private prune(key: string, now: number): number[] {
    const longest = Math.max(...this.windows.map((w) => w.ms));
    const list = (this.times.get(key) ?? []).filter((t) => t > now - longest);
    this.times.set(key, list);
    return list;
  }
}

export class SendBudget {
  private readonly chats: Windows;
  private readonly tenants: Windows;
  constructor(instances = 1, chat: Window[] = CHAT_WINDOWS, tenant: Window[] = TENANT_WINDOWS) {
    this.chats = new Windows(chat, instances);
    this.tenants = new Windows(tenant, instances);
  }

  wait(tenantId: string, chatKey: string, now: number): number {
    return Math.max(this.chats.wait(chatKey, now), this.tenants.wait(tenantId, now));
  }

  /** How many sends the chat's tightest window still allows (fold when fewer than waiting). */
  room(chatKey: string, now: number): number {
    return this.chats.room(chatKey, now);
  }

  record(tenantId: string, chatKey: string, now: number): void {
    this.chats.record(chatKey, now);
    this.tenants.record(tenantId, now);
  }
}

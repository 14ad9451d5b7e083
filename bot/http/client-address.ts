/**
 * The client's address, for rate limits and logs. With `TRUST_PROXY=N` (N proxies in front of
 * us) each proxy appended the address it saw to X-Forwarded-For, so the client is the Nth entry
 * from the right; anything further left was written by the client and may be forged.
 */
import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';

/** Canonical text of an address (`::ffff:1.2.3.4` → `1.2.3.4`), or undefined when it is not one. */
export function normalizeIp(text: string): string | undefined {
  let t = text.trim();
  // Some proxies write `1.2.3.4:5678` or `[2001:db8::1]:443`.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(t);
  if (bracketed) t = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(t)) t = t.slice(0, t.lastIndexOf(':'));
  t = t.replace(/%.*$/, ''); // zone index (fe80::1%eth0)
  if (!ipaddr.isValid(t)) return undefined;
  return ipaddr.process(t).toString();
}

/**
 * The address of the client that sent `req`: the socket's with `trustProxy` 0, else the entry
 * `trustProxy` from the right of X-Forwarded-For (the leftmost when there are fewer entries, the
 * socket's when there is no header). An entry that is not an address gives `invalid`, one key,
 * so garbage cannot mint fresh rate-limit buckets.
 */
export function clientAddress(req: IncomingMessage, trustProxy: number): string {
  const socketAddress = normalizeIp(req.socket?.remoteAddress ?? '') ?? 'unknown';
  if (trustProxy <= 0) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return socketAddress;
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0) return socketAddress;
  const entry = list[Math.max(0, list.length - trustProxy)]!;
  return normalizeIp(entry) ?? 'invalid';
}

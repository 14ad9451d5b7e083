/**
 * Where a Web Request activity may connect: the address classification and the tenant's host
 * allow-list, kept apart from the HTTP client so they can be tested as plain functions. The rule
 * is an allow-list of address kinds (public unicast only), never a list of known-bad ranges, so
 * a range nobody thought of is refused.
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** public: unicast on the internet; private: an organisation's own network; forbidden: anything else. */
export type AddressKind = 'public' | 'private' | 'forbidden';

export interface AddressClass {
  kind: AddressKind;
  /** ipaddr.js's range name (`loopback`, `private`, `linkLocal`, ...), for the log. */
  range: string;
}

/** IPv4 ranges an organisation uses for its own hosts (RFC 1918, carrier-grade NAT). */
const PRIVATE_V4 = new Set(['private', 'carrierGradeNat']);

function classifyV4(ip: ipaddr.IPv4, via?: string): AddressClass {
  const range = ip.range();
  const label = via ? `${via} of ${range}` : range;
  if (range === 'unicast') return { kind: 'public', range: label };
  return { kind: PRIVATE_V4.has(range) ? 'private' : 'forbidden', range: label };
}

function v4(hi: number, lo: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

/** Classifies one IP address (as DNS returns it, or an IP literal); anything unparsable is forbidden. */
export function classifyAddress(address: string): AddressClass {
  if (isIP(address) === 0) return { kind: 'forbidden', range: 'invalid' };
  const ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv4') return classifyV4(ip as ipaddr.IPv4);
  const v6 = ip as ipaddr.IPv6;
  const p = v6.parts;
  const range = v6.range();
  // IPv6 forms that carry an IPv4 address reach that address: judge the IPv4 one.
  if (range === 'ipv4Mapped' || range === 'rfc6145') return classifyV4(v4(p[6]!, p[7]!), range);
  if (range === 'rfc6052' && p[2] === 0) return classifyV4(v4(p[6]!, p[7]!), 'NAT64');
  if (range === '6to4') return classifyV4(v4(p[1]!, p[2]!), '6to4');
  // ::/8 also holds the deprecated IPv4-compatible form (::127.0.0.1), which ipaddr.js calls unicast.
  if (range === 'unicast' && p[0]! < 0x100) return { kind: 'forbidden', range: 'reserved' };
  if (range === 'unicast') return { kind: 'public', range };
  return { kind: range === 'uniqueLocal' ? 'private' : 'forbidden', range };
}

/** The host as compared with an allow-list: lower case, no trailing dot, IPv6 without brackets. */
export function normalHost(hostname: string): string {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** True when `host` is in the list: an exact name, or a subdomain of a `*.example.org` entry. */
export function hostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  const h = normalHost(host);
  return allowedHosts.some((entry) => {
    const a = entry.toLowerCase();
    return a.startsWith('*.') ? h.endsWith(a.slice(1)) && h.length > a.length - 1 : h === a;
  });
}

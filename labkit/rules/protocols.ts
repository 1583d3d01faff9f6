/** IP protocol names ↔ numbers (subset of /etc/protocols), so `-p 50` ≡ `-p esp`. */

const PROTOCOLS: ReadonlyArray<readonly [string, number]> = [
  ['icmp', 1],
  ['igmp', 2],
  ['ipencap', 4],
  ['tcp', 6],
  ['egp', 8],
  ['udp', 17],
  ['ipv6', 41],
  ['ipv6-route', 43],
  ['ipv6-frag', 44],
  ['rsvp', 46],
  ['gre', 47],
  ['esp', 50],
  ['ah', 51],
  ['ipv6-icmp', 58],
  ['ipv6-nonxt', 59],
  ['ipv6-opts', 60],
  ['ospf', 89],
  ['ipip', 94],
  ['pim', 103],
  ['ipcomp', 108],
  ['vrrp', 112],
  ['l2tp', 115],
  ['sctp', 132],
  ['mh', 135],
  ['udplite', 136],
];

const BY_NAME = new Map<string, number>(PROTOCOLS.map(([n, v]) => [n, v]));
const BY_NUMBER = new Map<number, string>(PROTOCOLS.map(([n, v]) => [v, n]));
BY_NAME.set('icmpv6', 58);
BY_NAME.set('ospfigp', 89);

export const PROTOCOL_NAMES: readonly string[] = PROTOCOLS.map(([n]) => n);

/**
 * Canonical protocol: lowercase name when known, else the number as a string.
 * 'all' / 0 → 'all' (callers treat that as "no protocol condition").
 * Returns undefined for unknown names.
 */
export function canonicalProtocol(value: string | number): string | undefined {
  const text = String(value).trim().toLowerCase();
  if (text === 'all' || text === '0') return 'all';
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n > 255) return undefined;
    return BY_NUMBER.get(n) ?? String(n);
  }
  const n = BY_NAME.get(text);
  return n === undefined ? undefined : (BY_NUMBER.get(n) ?? text);
}

export function protocolNumber(canonical: string): number | undefined {
  if (/^\d+$/.test(canonical)) return Number(canonical);
  return BY_NAME.get(canonical);
}

/** Protocols whose match module provides --dport/--sport. */
export const PORT_PROTOCOLS: ReadonlySet<string> = new Set(['tcp', 'udp', 'sctp', 'udplite', 'dccp']);

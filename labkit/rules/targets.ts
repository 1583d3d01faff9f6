/** Known jump targets and REJECT reasons. */

/** Targets that end evaluation of the packet. */
export const TERMINAL_TARGETS: ReadonlySet<string> = new Set(['ACCEPT', 'DROP', 'REJECT', 'QUEUE', 'NFQUEUE']);

/** Targets that are always available (built-in verdicts and common extensions). */
export const KNOWN_TARGETS: ReadonlySet<string> = new Set([
  'ACCEPT',
  'DROP',
  'REJECT',
  'RETURN',
  'QUEUE',
  'NFQUEUE',
  'LOG',
  'NFLOG',
  'ULOG',
  'MARK',
  'CONNMARK',
  'MASQUERADE',
  'SNAT',
  'DNAT',
  'REDIRECT',
  'NETMAP',
  'TCPMSS',
  'TOS',
  'DSCP',
  'CT',
  'NOTRACK',
  'TRACE',
  'CLASSIFY',
  'SET',
  'AUDIT',
  'CHECKSUM',
  'TPROXY',
  'TEE',
  'CONNSECMARK',
  'SECMARK',
  'IDLETIMER',
  'LED',
  'HMARK',
  'RATEEST',
  'SYNPROXY',
  'TTL',
]);

const REJECT_WITH: ReadonlyArray<readonly [string, string]> = [
  ['icmp-net-unreachable', 'net-unreach'],
  ['icmp-host-unreachable', 'host-unreach'],
  ['icmp-proto-unreachable', 'proto-unreach'],
  ['icmp-port-unreachable', 'port-unreach'],
  ['icmp-net-prohibited', 'net-prohib'],
  ['icmp-host-prohibited', 'host-prohib'],
  ['tcp-reset', 'tcp-rst'],
  ['icmp-admin-prohibited', 'admin-prohib'],
];

export const REJECT_WITH_NAMES: readonly string[] = REJECT_WITH.map(([n]) => n);

/** The reason REJECT uses when none is given (iptables-save prints it explicitly). */
export const DEFAULT_REJECT_WITH = 'icmp-port-unreachable';

/** Canonical --reject-with value; accepts aliases and unique prefixes like iptables does. */
export function canonicalRejectWith(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  const exact = REJECT_WITH.find(([full, alias]) => full === t || alias === t);
  if (exact) return exact[0];
  const hits = REJECT_WITH.filter(([full, alias]) => full.startsWith(t) || alias.startsWith(t));
  return hits.length === 1 && hits[0] ? hits[0][0] : undefined;
}

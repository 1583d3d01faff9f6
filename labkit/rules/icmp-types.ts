/** ICMP type names as iptables knows them (libxt_icmp), so `echo-request` ≡ `8`, `any` ≡ `255` ≡ no condition. */

const ICMP_TYPES: ReadonlyArray<readonly [string, number, number?]> = [
  ['echo-reply', 0],
  ['pong', 0],
  ['destination-unreachable', 3],
  ['network-unreachable', 3, 0],
  ['host-unreachable', 3, 1],
  ['protocol-unreachable', 3, 2],
  ['port-unreachable', 3, 3],
  ['fragmentation-needed', 3, 4],
  ['source-route-failed', 3, 5],
  ['network-unknown', 3, 6],
  ['host-unknown', 3, 7],
  ['network-prohibited', 3, 9],
  ['host-prohibited', 3, 10],
  ['tos-network-unreachable', 3, 11],
  ['tos-host-unreachable', 3, 12],
  ['communication-prohibited', 3, 13],
  ['host-precedence-violation', 3, 14],
  ['precedence-cutoff', 3, 15],
  ['source-quench', 4],
  ['redirect', 5],
  ['network-redirect', 5, 0],
  ['host-redirect', 5, 1],
  ['tos-network-redirect', 5, 2],
  ['tos-host-redirect', 5, 3],
  ['echo-request', 8],
  ['ping', 8],
  ['router-advertisement', 9],
  ['router-solicitation', 10],
  ['time-exceeded', 11],
  ['ttl-exceeded', 11],
  ['ttl-zero-during-transit', 11, 0],
  ['ttl-zero-during-reassembly', 11, 1],
  ['parameter-problem', 12],
  ['ip-header-bad', 12, 0],
  ['required-option-missing', 12, 1],
  ['timestamp-request', 13],
  ['timestamp-reply', 14],
  ['address-mask-request', 17],
  ['address-mask-reply', 18],
];

export const ICMP_TYPE_NAMES: readonly string[] = ICMP_TYPES.map(([n]) => n);

/**
 * Canonical icmp-type: 'any' for any/255, else "type" or "type/code".
 * Like iptables, names match case-insensitively and by unique prefix (`echo-req`).
 */
export function canonicalIcmpType(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'any' || t === '255') return 'any';
  const num = /^(\d{1,3})(?:\/(\d{1,3}))?$/.exec(t);
  if (num) {
    const type = Number(num[1]);
    const code = num[2] === undefined ? undefined : Number(num[2]);
    if (type > 255 || (code !== undefined && code > 255)) return undefined;
    return code === undefined ? String(type) : `${type}/${code}`;
  }
  const exact = ICMP_TYPES.find(([n]) => n === t);
  const hits = exact ? [exact] : ICMP_TYPES.filter(([n]) => n.startsWith(t));
  const distinct = new Set(hits.map(([, ty, c]) => `${ty}/${c ?? ''}`));
  const hit = hits[0];
  if (!hit || distinct.size !== 1) return undefined;
  const [, type, code] = hit;
  return code === undefined ? String(type) : `${type}/${code}`;
}

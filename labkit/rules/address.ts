/** IPv4 address/network normalisation and containment (`10.1.1.5/24` → `10.1.1.0/24`). */

export interface Network {
  /** Network address as an unsigned 32-bit number. */
  addr: number;
  mask: number;
}

export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function prefixToMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Prefix length for a contiguous mask, or undefined (e.g. 255.255.0.255). */
function maskToPrefix(mask: number): number | undefined {
  for (let len = 0; len <= 32; len++) if (prefixToMask(len) === mask) return len;
  return undefined;
}

/** Parses "a.b.c.d", "a.b.c.d/len" or "a.b.c.d/m.m.m.m"; `localhost` is what iptables resolves it to. */
export function parseNetwork(text: string): Network | undefined {
  const t = text.trim().toLowerCase() === 'localhost' ? '127.0.0.1' : text.trim();
  const [ipText = '', maskText, extra] = t.split('/');
  if (extra !== undefined) return undefined;
  // `0/0` is the common shorthand for "anywhere".
  const ip = ipText === '0' ? 0 : parseIpv4(ipText);
  if (ip === undefined) return undefined;
  let mask = 0xffffffff;
  if (maskText !== undefined) {
    if (/^\d{1,2}$/.test(maskText) && Number(maskText) <= 32) mask = prefixToMask(Number(maskText));
    else {
      const m = parseIpv4(maskText);
      if (m === undefined) return undefined;
      mask = m;
    }
  }
  return { addr: (ip & mask) >>> 0, mask };
}

/** Canonical text: "10.1.1.0/24"; non-contiguous masks keep dotted form like iptables-save. */
export function formatNetwork(n: Network): string {
  const len = maskToPrefix(n.mask);
  return `${formatIpv4(n.addr)}/${len === undefined ? formatIpv4(n.mask) : len}`;
}

export function canonicalNetwork(text: string): string | undefined {
  const n = parseNetwork(text);
  return n ? formatNetwork(n) : undefined;
}

/** Whether `ip` (dotted quad) lies inside canonical or raw network `net`. */
export function networkContains(net: string, ip: string): boolean {
  const n = parseNetwork(net);
  const a = parseIpv4(ip);
  return n !== undefined && a !== undefined && (a & n.mask) >>> 0 === n.addr;
}

/** True when the network matches every address (0.0.0.0/0). */
export function isAnyNetwork(canonical: string): boolean {
  return canonical.endsWith('/0');
}

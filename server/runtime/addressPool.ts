/**
 * Chooses subnets for concurrent labs. Docker refuses overlapping subnets on one host, so each
 * lab network's template is filled with the first slot whose subnets are all free.
 */

/** The operator's part of the pool: the slot range, and templates that replace a lab's own. */
export interface PoolSettings {
  firstSlot: number;
  lastSlot: number;
  /** network id -> template with "{n}", overriding the lab's NetworkSpec.subnet. */
  overrides: Record<string, string>;
}

export interface PoolConfig {
  /** Templates with "{n}" for the slot, e.g. "10.1.{n}.0/24". */
  templates: Record<string, string>;
  firstSlot: number;
  lastSlot: number;
}

interface Cidr {
  base: number;
  bits: number;
}

export function parseIpv4(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${ip}`);
  let value = 0;
  for (const part of parts) {
    const octet = Number(part);
    if (!/^\d{1,3}$/.test(part) || octet > 255) throw new Error(`not an IPv4 address: ${ip}`);
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function parseCidr(cidr: string): Cidr {
  const [ip, bitsText] = cidr.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (ip === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) throw new Error(`not a CIDR: ${cidr}`);
  const size = 2 ** (32 - bits);
  return { base: Math.floor(parseIpv4(ip) / size) * size, bits };
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  const xEnd = x.base + 2 ** (32 - x.bits);
  const yEnd = y.base + 2 ** (32 - y.bits);
  return x.base < yEnd && y.base < xEnd;
}

/** The address of host number `host` inside `subnet`, e.g. ("10.1.2.0/24", 10) -> "10.1.2.10". */
export function hostAddress(subnet: string, host: number): string {
  const { base, bits } = parseCidr(subnet);
  if (host <= 0 || host >= 2 ** (32 - bits) - 1) throw new Error(`host ${host} does not fit in ${subnet}`);
  return formatIpv4(base + host);
}

/** The pool for one lab: its networks' own templates, unless the operator moved them. */
export function poolFor(networks: readonly { id: string; subnet: string }[], settings: PoolSettings): PoolConfig {
  const templates: Record<string, string> = {};
  for (const n of networks) templates[n.id] = settings.overrides[n.id] ?? n.subnet;
  return { templates, firstSlot: settings.firstSlot, lastSlot: settings.lastSlot };
}

/** One address slot of a lab's pool: its number and each network's subnet, computed once. */
export interface Slot {
  n: number;
  /** network id -> subnet, e.g. { lan: "10.1.3.0/24" } */
  subnets: Readonly<Record<string, string>>;
}

/** Slot `n` of the pool: each template with "{n}" filled in. */
export function slotAt(config: PoolConfig, n: number): Slot {
  const subnets: Record<string, string> = {};
  for (const [network, template] of Object.entries(config.templates)) {
    subnets[network] = template.replaceAll('{n}', String(n));
  }
  return { n, subnets };
}

/** First slot whose subnets overlap nothing in use; null when the pool is exhausted. */
export function pickFreeSlot(
  config: PoolConfig,
  inUse: readonly string[],
  skip: ReadonlySet<number> = new Set(),
): Slot | null {
  for (let n = config.firstSlot; n <= config.lastSlot; n++) {
    if (skip.has(n)) continue;
    const slot = slotAt(config, n);
    if (Object.values(slot.subnets).every((subnet) => inUse.every((used) => !cidrsOverlap(subnet, used)))) return slot;
  }
  return null;
}

/** The last usable address: where Docker's (unused) gateway is parked, away from the lab's hosts. */
export function lastHostAddress(subnet: string): string {
  const { base, bits } = parseCidr(subnet);
  return formatIpv4(base + 2 ** (32 - bits) - 2);
}

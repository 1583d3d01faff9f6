/**
 * What a ruleset does with a packet from *every* source address, not only from the machines a
 * lab has: the address space is cut wherever a rule's source condition starts or ends, so one
 * address per piece stands for all of it, and each piece is evaluated once.
 */
import { formatIpv4, formatNetwork, parseIpv4, parseNetwork } from './address';
import { evaluatePacket, type EvaluationResult } from './evaluate';
import { otherSourceRanges, type AddressRange } from './other-matches';
import type { Packet } from './packet-match';
import { getTable } from './query';
import type { RulesetModel } from './types';

export type { AddressRange } from './other-matches';

const SPACE_END = 2 ** 32;

export interface SourceVerdict {
  range: AddressRange;
  inInterface: string;
  result: EvaluationResult;
}

export function networkRange(cidr: string): AddressRange | undefined {
  const n = parseNetwork(cidr);
  if (!n) return undefined;
  return { first: n.addr, last: n.addr + (SPACE_END - 1 - n.mask) };
}

/** Pieces of the address space within which every source condition of the table agrees. */
export function sourcePieces(model: RulesetModel, table = 'filter', extra: readonly string[] = []): AddressRange[] {
  const cuts = new Set<number>([0, SPACE_END]);
  const add = (r: AddressRange | undefined): void => {
    if (!r) return;
    cuts.add(r.first);
    cuts.add(r.last + 1);
  };
  for (const chain of getTable(model, table)?.chains ?? []) {
    for (const rule of chain.rules) {
      if (rule.source !== undefined) add(networkRange(rule.source));
      for (const entry of rule.matches.other) otherSourceRanges(entry).forEach(add);
    }
  }
  extra.forEach((cidr) => add(networkRange(cidr)));
  const sorted = [...cuts].sort((a, b) => a - b);
  return sorted.slice(0, -1).map((first, i) => ({ first, last: (sorted[i + 1] ?? SPACE_END) - 1 }));
}

/**
 * The verdict for `packet` from each piece of the address space, arriving on the interfaces
 * `arrivesOn` names for that piece (the interface its traffic would come in on).
 */
export function verdictsBySource(
  model: RulesetModel,
  packet: Omit<Packet, 'src' | 'inInterface'>,
  arrivesOn: (range: AddressRange) => readonly string[],
  extra: readonly string[] = [],
): SourceVerdict[] {
  return sourcePieces(model, packet.table ?? 'filter', extra).flatMap((range) =>
    arrivesOn(range).map((inInterface) => ({
      range,
      inInterface,
      result: evaluatePacket(model, { ...packet, src: formatIpv4(range.first), inInterface }),
    })),
  );
}

export const rangeContains = (outer: AddressRange, inner: AddressRange): boolean =>
  inner.first >= outer.first && inner.last <= outer.last;

/** Adjacent ranges joined into one, in address order. */
export function mergeRanges(ranges: readonly AddressRange[]): AddressRange[] {
  const out: AddressRange[] = [];
  for (const r of [...ranges].sort((a, b) => a.first - b.first)) {
    const last = out[out.length - 1];
    if (last && r.first <= last.last + 1) last.last = Math.max(last.last, r.last);
    else out.push({ ...r });
  }
  return out;
}

/** The fewest networks that cover exactly `range` ("172.16.0.0/16", ...). */
export function rangeToNetworks(range: AddressRange): string[] {
  const out: string[] = [];
  let at = range.first;
  while (at <= range.last) {
    let size = 1;
    while (at % (size * 2) === 0 && at + size * 2 - 1 <= range.last && size < SPACE_END) size *= 2;
    out.push(formatNetwork({ addr: at, mask: (SPACE_END - size) >>> 0 }));
    at += size;
  }
  return out;
}

/** Address count of the ranges. */
export const rangeSize = (ranges: readonly AddressRange[]): number =>
  ranges.reduce((n, r) => n + (r.last - r.first + 1), 0);

/** The ranges of the address space not in `ranges`. */
export function complement(ranges: readonly AddressRange[]): AddressRange[] {
  const out: AddressRange[] = [];
  let next = 0;
  for (const r of mergeRanges(ranges)) {
    if (r.first > next) out.push({ first: next, last: r.first - 1 });
    next = r.last + 1;
  }
  if (next < SPACE_END) out.push({ first: next, last: SPACE_END - 1 });
  return out;
}

/** A human list of addresses: "172.16.0.0/16 except 172.16.3.0/24", "every address except 10.1.3.0/24". */
export function describeRanges(ranges: readonly AddressRange[], max = 3): string {
  const merged = mergeRanges(ranges);
  const list = (rs: readonly AddressRange[]): string => {
    const nets = rs.flatMap(rangeToNetworks);
    const shown = nets.slice(0, max).join(', ');
    return nets.length > max ? `${shown} and ${nets.length - max} more` : shown;
  };
  if (rangeSize(merged) > SPACE_END / 2) return `every address except ${list(complement(merged))}`;
  return list(merged);
}

/** Documentation addresses (RFC 5737): an example from them reads as "some address out there". */
const EXAMPLES = ['203.0.113.10', '198.51.100.10', '192.0.2.10'];
/** 0.0.0.0/8 and 127.0.0.0/8 make odd examples. */
const odd = (n: number): boolean => n < 2 ** 24 || (n >= 127 * 2 ** 24 && n < 128 * 2 ** 24);

/** One address of the ranges that reads well in a message (not a network's first address). */
export function exampleAddress(ranges: readonly AddressRange[]): string | undefined {
  const merged = mergeRanges(ranges);
  const doc = EXAMPLES.find((ip) => merged.some((r) => addressIn(r, ip)));
  if (doc) return doc;
  const r = merged.find((x) => !odd(x.last)) ?? merged[0];
  if (!r) return undefined;
  const first = odd(r.first) && !odd(r.last) ? 2 ** 24 : r.first;
  return formatIpv4(r.last - first >= 10 ? first + 10 : first);
}

export const addressIn = (range: AddressRange, ip: string): boolean => {
  const n = parseIpv4(ip);
  return n !== undefined && n >= range.first && n <= range.last;
};

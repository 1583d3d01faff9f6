/**
 * Who may reach Machine 1, judged from the rules' meaning over every source address rather
 * than from the lab's two clients: "only the remote office" must fail for a rule that admits
 * 172.16.0.0/16 even though no lab machine sits in the extra range.
 */
import {
  describeRanges,
  evaluatePacket,
  exampleAddress,
  mergeRanges,
  networkRange,
  rangeContains,
  rangeSize,
  rangeToNetworks,
  verdictsBySource,
  type AddressRange,
  type EvaluationResult,
  type RulesetModel,
  type SourceVerdict,
} from '../../labkit/rules';
import type { Packet } from '../../labkit/rules';
import { ruleWithPlace, type RuleView } from './ruleWhere';

export interface LabAddresses {
  m2: string;
  pc: string;
  lan: string;
  office: string;
}

/**
 * The interface a source's packets come in on: the LAN's and the office's own addresses on their
 * segments, every other address through the LAN, where Machine 1's default route points.
 */
export function arrivesOn(a: LabAddresses): (range: AddressRange) => string[] {
  const office = networkRange(a.office);
  return (range) => (office !== undefined && rangeContains(office, range) ? ['eth1'] : ['eth0']);
}

/** "`-s 172.16.0.0/16 ... -j ACCEPT`, rule 6 of RH-Firewall-1-INPUT (...)", or "the INPUT policy". */
export function decidedBy(result: EvaluationResult, view: RuleView): string {
  if (!result.rule || result.index === undefined) return `the ${result.chain} policy`;
  return ruleWithPlace(view, result.chain, result.index, result.rule);
}

export const verb = (verdict: string): string =>
  verdict === 'ACCEPT' ? 'accepts' : verdict === 'DROP' ? 'drops' : verdict === 'REJECT' ? 'rejects' : 'decides';

export interface Reach {
  verdicts: SourceVerdict[];
  /** What the model could not evaluate exactly (e.g. `-m limit`): then only probes can tell. */
  assumptions: string[];
}

/** The verdict for `packet` from every source address, each on the interface it arrives on. */
export function reach(model: RulesetModel, packet: Omit<Packet, 'src' | 'inInterface'>, a: LabAddresses): Reach {
  const verdicts = verdictsBySource(model, packet, arrivesOn(a), [a.lan, a.office]);
  return { verdicts, assumptions: [...new Set(verdicts.flatMap((v) => v.result.assumptions))] };
}

/** One machine's verdict (a lab client), on its own interface. */
export const verdictFor = (
  model: RulesetModel,
  packet: Omit<Packet, 'src' | 'inInterface'>,
  src: string,
  inInterface: string,
): EvaluationResult => evaluatePacket(model, { ...packet, src, inInterface });

export interface DecidedGroup {
  result: EvaluationResult;
  ranges: AddressRange[];
}

/** Pieces grouped by the rule (or policy) that decided them, in rule order of first appearance. */
export function groupByDecider(verdicts: readonly SourceVerdict[]): DecidedGroup[] {
  const groups = new Map<string, DecidedGroup>();
  for (const v of verdicts) {
    const key = `${v.result.chain}#${v.result.index ?? 'policy'}`;
    const group = groups.get(key) ?? { result: v.result, ranges: [] };
    group.ranges.push(v.range);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({ ...g, ranges: mergeRanges(g.ranges) }));
}

/** "172.16.0.0/16 (e.g. 172.16.0.10)". */
export function addressesText(ranges: readonly AddressRange[]): string {
  const example = exampleAddress(ranges);
  return `${describeRanges(ranges)}${example ? ` (e.g. ${example})` : ''}`;
}

/** Pieces inside / outside a network. */
export function split(
  verdicts: readonly SourceVerdict[],
  cidr: string,
): { inside: SourceVerdict[]; outside: SourceVerdict[] } {
  const net = networkRange(cidr);
  const inside = verdicts.filter((v) => net !== undefined && rangeContains(net, v.range));
  return { inside, outside: verdicts.filter((v) => !inside.includes(v)) };
}

/**
 * Addresses admitted beyond an allowed network, said the short way: "the rest of 172.16.0.0/16",
 * "every address except 10.1.3.0/24", or a list; with an example address.
 */
export function beyond(extra: readonly AddressRange[], allowed: string): string {
  const net = networkRange(allowed);
  const withAllowed = mergeRanges(net ? [...extra, net] : extra);
  const whole = withAllowed.length === 1 && withAllowed[0] ? rangeToNetworks(withAllowed[0]) : [];
  const example = exampleAddress(extra);
  const eg = example ? ` (e.g. ${example})` : '';
  if (whole.length === 1 && whole[0] && !whole[0].endsWith('/0')) return `the rest of ${whole[0]}${eg}`;
  return `${describeRanges(rangeSize(withAllowed) > 2 ** 31 ? withAllowed : extra)}${eg}`;
}

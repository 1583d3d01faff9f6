/**
 * Verdicts that hold however the model's unknowns turn out. The evaluator assumes an unknown
 * match (`-m statistic`, `-m length`, a source port the packet leaves open) matches; a grade that
 * rests on "this is refused" must not, or a learner could write a rule that only looks like a
 * refusal. Here every rule with such a condition is tried both ways, matching and not.
 */
import { evaluatePacket } from './evaluate';
import { otherMatchResult } from './other-matches';
import type { Packet } from './packet-match';
import type { Rule, RulesetModel } from './types';

/** Beyond this many uncertain rules on the packets' way, nothing is certain (2^n rulesets to try). */
export const MAX_UNCERTAIN_RULES = 6;

/** Targets that never decide a packet's fate: trying them both ways changes nothing. */
const PASSIVE = new Set(['LOG', 'NFLOG', 'ULOG', 'TRACE']);

/** The conditions of `rule` the model cannot decide for `packet`; empty when it can. */
function unknownsOf(rule: Rule, packet: Packet): { other: string[]; ports: boolean } {
  const other = rule.matches.other.filter((entry) => otherMatchResult(entry, packet.src, packet.dst) === undefined);
  const ports = packet.sport === undefined && (rule.matches.sport !== undefined || rule.matches.ports !== undefined);
  return { other, ports };
}

const isUncertain = (rule: Rule, packets: readonly Packet[]): boolean =>
  rule.target !== undefined &&
  !PASSIVE.has(rule.target) &&
  packets.some((p) => {
    const u = unknownsOf(rule, p);
    return u.other.length > 0 || u.ports;
  });

/** The rule with its undecidable conditions taken out: it matches whatever they would say. */
function matchingAnyway(rule: Rule, packets: readonly Packet[]): Rule {
  const unknown = new Set(packets.flatMap((p) => unknownsOf(rule, p).other));
  const ports = packets.some((p) => unknownsOf(rule, p).ports);
  const matches = { ...rule.matches, other: rule.matches.other.filter((entry) => !unknown.has(entry)) };
  if (ports) {
    delete matches.sport;
    delete matches.ports;
  }
  return { ...rule, matches };
}

/**
 * True when every packet is dropped or rejected in every way the uncertain rules could go; false
 * when one could be accepted (or queued, or the unknowns are too many to try).
 */
export function refusedForCertain(ruleset: RulesetModel, packets: readonly Packet[]): boolean {
  const uncertain: Rule[] = [];
  const tables = new Set(packets.map((p) => p.table ?? 'filter'));
  for (const table of ruleset.tables.filter((t) => tables.has(t.name)))
    for (const chain of table.chains)
      for (const rule of chain.rules) if (isUncertain(rule, packets)) uncertain.push(rule);
  if (uncertain.length > MAX_UNCERTAIN_RULES) return false;
  for (let ways = 0; ways < 2 ** uncertain.length; ways++) {
    const matching = new Map(uncertain.map((rule, i) => [rule, (ways >> i) % 2 === 1]));
    const tried: RulesetModel = {
      ...ruleset,
      tables: ruleset.tables.map((table) => ({
        ...table,
        chains: table.chains.map((chain) => ({
          ...chain,
          rules: chain.rules.flatMap((rule) => {
            const m = matching.get(rule);
            if (m === undefined) return [rule];
            return m ? [matchingAnyway(rule, packets)] : [];
          }),
        })),
      })),
    };
    for (const packet of packets) {
      const { verdict } = evaluatePacket(tried, packet);
      if (verdict !== 'DROP' && verdict !== 'REJECT') return false;
    }
  }
  return true;
}

/**
 * Mutable state while one rule's arguments are parsed, plus the final normalisation
 * that makes equivalent spellings produce identical Rule objects.
 */
import { isAnyNetwork } from './address';
import { makeProblem, hasErrors } from './problems';
import { DEFAULT_REJECT_WITH } from './targets';
import type { Problem, ProblemCode, Rule, Severity } from './types';

export type CommandAction = 'A' | 'I' | 'D' | 'R' | 'C' | 'L' | 'S' | 'F' | 'Z' | 'N' | 'X' | 'P' | 'E';

export interface CommandInfo {
  action: CommandAction;
  chain?: string;
  /** -I/-R/-D rule number (1-based). */
  position?: number;
  /** -P target. */
  policy?: string;
  /** -E new name. */
  newName?: string;
}

export interface RuleState {
  line: number;
  inFile: boolean;
  rule: Rule;
  problems: Problem[];
  command?: CommandInfo;
  table?: string;
  sources: string[];
  destinations: string[];
  /** Match modules loaded with -m, lowercase, in order. */
  modules: string[];
  /** Unknown module currently collecting options (generic capture). */
  genericModule?: string;
  /** Set once a -j/-g target was seen; used to scope target options. */
  targetSeen: boolean;
}

export function createRuleState(line: number, inFile: boolean): RuleState {
  return {
    line,
    inFile,
    rule: { chain: '', negated: {}, matches: { other: [] }, targetOptions: {} },
    problems: [],
    sources: [],
    destinations: [],
    modules: [],
    targetSeen: false,
  };
}

export function report(s: RuleState, severity: Severity, code: ProblemCode, text: string): void {
  s.problems.push(makeProblem(s.line, severity, code, text));
}

/** Drops conditions that match everything so `-s 0.0.0.0/0` ≡ no `-s`, `--icmp-type any` ≡ none, etc. */
function normalise(rule: Rule): void {
  const n = rule.negated;
  if (rule.protocol === 'all' && !n.protocol) delete rule.protocol;
  if (rule.source !== undefined && isAnyNetwork(rule.source) && !n.source) delete rule.source;
  if (rule.destination !== undefined && isAnyNetwork(rule.destination) && !n.destination) delete rule.destination;
  if (rule.matches.icmpType === 'any' && !n.icmpType) delete rule.matches.icmpType;
  if (rule.target === 'REJECT' && rule.targetOptions['reject-with'] === undefined) {
    rule.targetOptions['reject-with'] = DEFAULT_REJECT_WITH;
  }
  if (rule.target === 'LOG' && ['4', 'warning', 'warn'].includes(rule.targetOptions['log-level'] ?? '')) {
    delete rule.targetOptions['log-level'];
  }
  rule.matches.other.sort();
}

/**
 * Finalises the rule. iptables expands `-s a,b -d c,d` into one rule per
 * source × destination pair, so `rules` holds that expansion.
 */
export function finishRule(s: RuleState): { rule: Rule; rules: Rule[] } {
  const rule = s.rule;
  rule.valid = !hasErrors(s.problems);
  const sources = s.sources.length ? s.sources : [undefined];
  const dests = s.destinations.length ? s.destinations : [undefined];
  const rules: Rule[] = [];
  for (const src of sources) {
    for (const dst of dests) {
      const copy: Rule = structuredClone(rule);
      if (src !== undefined) copy.source = src;
      if (dst !== undefined) copy.destination = dst;
      normalise(copy);
      rules.push(copy);
    }
  }
  const first = rules[0] ?? rule;
  return { rule: first, rules };
}

/** Lookup helpers for checkers. Rule indexes are 0-based; human messages use 1-based numbers. */
import { ruleKey } from './format';
import { parseRuleArgs } from './parse-args';
import { tokenize } from './tokenize';
import type { ChainModel, Rule, RulesetModel, TableModel } from './types';

export type RulePredicate = ((rule: Rule, index: number) => boolean) | string;

export function getTable(ruleset: RulesetModel, table = 'filter'): TableModel | undefined {
  return ruleset.tables.find((t) => t.name === table);
}

export function getChain(ruleset: RulesetModel, chain: string, table = 'filter'): ChainModel | undefined {
  return getTable(ruleset, table)?.chains.find((c) => c.name === chain);
}

/** Parses a rule spec like "-p tcp --dport 80 -j ACCEPT" (a leading "-A CHAIN" is optional). */
export function parseRuleSpec(spec: string): Rule {
  const tokens = tokenize(spec, 'shell').tokens;
  return parseRuleArgs(tokens).rule;
}

function toPredicate(p: RulePredicate): (rule: Rule, index: number) => boolean {
  if (typeof p !== 'string') return p;
  const key = ruleKey(parseRuleSpec(p), { includeChain: false });
  return (rule) => ruleKey(rule, { includeChain: false }) === key;
}

function rulesOf(chain: ChainModel | readonly Rule[] | undefined): readonly Rule[] {
  if (!chain) return [];
  return 'rules' in chain ? chain.rules : chain;
}

/**
 * Rules matching `predicate`: a function, or a rule spec string compared semantically
 * (so "-p icmp --icmp-type any -j ACCEPT" finds "-p icmp -m icmp --icmp-type 255 -j ACCEPT").
 */
export function findRules(chain: ChainModel | readonly Rule[] | undefined, predicate: RulePredicate): Rule[] {
  const pred = toPredicate(predicate);
  return rulesOf(chain).filter((r, i) => pred(r, i));
}

/** 0-based index of the first matching rule, or -1. */
export function findRuleIndex(chain: ChainModel | readonly Rule[] | undefined, predicate: RulePredicate): number {
  const pred = toPredicate(predicate);
  return rulesOf(chain).findIndex((r, i) => pred(r, i));
}

/** A rule with no conditions at all: it matches every packet that reaches it. */
export function isUnconditional(rule: Rule): boolean {
  const m = rule.matches;
  return (
    rule.protocol === undefined &&
    rule.source === undefined &&
    rule.destination === undefined &&
    rule.inInterface === undefined &&
    rule.outInterface === undefined &&
    !rule.fragment &&
    m.dport === undefined &&
    m.sport === undefined &&
    m.ports === undefined &&
    m.icmpType === undefined &&
    m.state === undefined &&
    m.tcpFlags === undefined &&
    m.other.length === 0
  );
}

/**
 * 0-based index of the catch-all REJECT/DROP (an unconditional rule with that target), or -1.
 * Returns the first one: every rule after it is unreachable.
 */
export function indexOfFinalReject(chain: ChainModel | readonly Rule[] | undefined): number {
  return rulesOf(chain).findIndex((r) => isUnconditional(r) && (r.target === 'REJECT' || r.target === 'DROP'));
}

/** Rules placed after the catch-all REJECT/DROP, which can never match. */
export function unreachableRules(chain: ChainModel | readonly Rule[] | undefined): Rule[] {
  const i = indexOfFinalReject(chain);
  return i < 0 ? [] : rulesOf(chain).slice(i + 1);
}

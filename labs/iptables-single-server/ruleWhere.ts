/**
 * Says which view a rule position belongs to. The running firewall numbers rules per chain, as
 * `iptables -L <chain> --line-numbers` shows them; a rules file has line numbers. They differ
 * (the file has comments and headers), so every message names its view, and the file line is
 * preferred where the learner edits the file.
 */
import { describeRule, type Rule } from '../../labkit/rules';

/** Where a ruleset came from: the running firewall, or a file at `path`. */
export type RuleView = { kind: 'live' } | { kind: 'file'; path: string };

export const LIVE: RuleView = { kind: 'live' };
export const fileView = (path: string): RuleView => ({ kind: 'file', path });

/** "rule 2 of RH-Firewall-1-INPUT (`iptables -L RH-Firewall-1-INPUT --line-numbers`)". */
export const liveRuleAt = (chain: string, index: number): string =>
  `rule ${index + 1} of ${chain} (\`iptables -L ${chain} --line-numbers\`)`;

/** "line 11 of `/etc/sysconfig/iptables`", or the rule number when the line is unknown. */
export function ruleAt(view: RuleView, chain: string, index: number, rule: Rule | undefined): string {
  if (view.kind === 'file' && rule?.line !== undefined) return `line ${rule.line} of \`${view.path}\``;
  if (view.kind === 'file') return `rule ${index + 1} of ${chain} in \`${view.path}\``;
  return liveRuleAt(chain, index);
}

/** A rule with its position: "`-p icmp -j ACCEPT`, line 11 of `/etc/sysconfig/iptables`". */
export const ruleWithPlace = (view: RuleView, chain: string, index: number, rule: Rule): string =>
  `\`${describeRule(rule)}\`, ${ruleAt(view, chain, index, rule)}`;

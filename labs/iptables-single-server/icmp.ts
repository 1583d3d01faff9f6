/** What a ruleset does with a ping, explained with the rule that decides. */
import { describeRule, evaluatePacket, type RulesetModel } from '../../labkit/rules';

export interface IcmpVerdict {
  verdict: string;
  /** e.g. "rule 2 (`-p icmp --icmp-type any -j ACCEPT`, line 9)". */
  decidedBy: string;
  line: number | undefined;
}

export function icmpVerdict(model: RulesetModel, src: string, inInterface = 'eth0'): IcmpVerdict {
  const r = evaluatePacket(model, { protocol: 'icmp', icmpType: 8, src, inInterface });
  if (!r.rule || r.index === undefined)
    return { verdict: r.verdict, decidedBy: `the ${r.chain} policy`, line: undefined };
  const where = r.rule.line !== undefined ? `, line ${r.rule.line}` : '';
  return {
    verdict: r.verdict,
    decidedBy: `rule ${r.index + 1} of ${r.chain} (\`${describeRule(r.rule)}\`${where})`,
    line: r.rule.line,
  };
}

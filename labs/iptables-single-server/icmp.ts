/** What a ruleset does with a ping, explained with the rule that decides. */
import { evaluatePacket, type RulesetModel } from '../../labkit/rules';
import { ruleWithPlace, type RuleView } from './ruleWhere';

export interface IcmpVerdict {
  verdict: string;
  /** e.g. "`-p icmp --icmp-type any -j ACCEPT`, line 11 of `/etc/sysconfig/iptables`". */
  decidedBy: string;
  /** The deciding rule's line in the file, for a file view. */
  line: number | undefined;
  /** 0-based index of the deciding rule in its chain. */
  index: number | undefined;
}

export function icmpVerdict(model: RulesetModel, view: RuleView, src: string, inInterface = 'eth0'): IcmpVerdict {
  const r = evaluatePacket(model, { protocol: 'icmp', icmpType: 8, src, inInterface });
  if (!r.rule || r.index === undefined)
    return { verdict: r.verdict, decidedBy: `the ${r.chain} policy`, line: undefined, index: undefined };
  return {
    verdict: r.verdict,
    decidedBy: ruleWithPlace(view, r.chain, r.index, r.rule),
    line: view.kind === 'file' ? r.rule.line : undefined,
    index: r.index,
  };
}

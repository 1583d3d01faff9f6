/**
 * Step 7's rules, judged from their meaning: every LAN address gets its pings answered, and
 * pings from every other address are dropped, not rejected. Pure: a ruleset in, a problem out.
 */
import type { RulesetModel } from '../../labkit/rules';
import {
  addressesText,
  beyond,
  decidedBy,
  groupByDecider,
  reach,
  split,
  verb,
  verdictFor,
  type LabAddresses,
} from './admitted';
import type { RuleView } from './ruleWhere';

export interface PingProblem {
  code: 'lan' | 'office' | 'lan-part' | 'outsiders-accepted' | 'outsiders-rejected';
  message: string;
}

export interface PingJudgement {
  problem?: PingProblem;
  assumptions: string[];
}

const ping = { protocol: 'icmp', icmpType: 8 } as const;

export function judgePings(model: RulesetModel, a: LabAddresses, view: RuleView): PingJudgement {
  const all = reach(model, ping, a);
  const done = (problem: PingProblem): PingJudgement => ({ problem, assumptions: all.assumptions });
  const lan = verdictFor(model, ping, a.m2, 'eth0');
  if (lan.verdict !== 'ACCEPT')
    return done({
      code: 'lan',
      message: `Machine 2 (${a.m2}) cannot ping Machine 1: ${decidedBy(lan, view)} ${verb(lan.verdict)} its pings. Exclude the LAN with \`! -s ${a.lan}\` and accept ICMP after the DROP.`,
    });
  const office = verdictFor(model, ping, a.pc, 'eth1');
  if (office.verdict !== 'DROP')
    return done({
      code: 'office',
      message: `office-pc's pings are not dropped: ${decidedBy(office, view)} ${verb(office.verdict)} them. A DROP for sources outside ${a.lan} must come first.`,
    });
  const { inside, outside } = split(all.verdicts, a.lan);
  const shut = groupByDecider(inside.filter((v) => v.result.verdict !== 'ACCEPT'))[0];
  if (shut)
    return done({
      code: 'lan-part',
      message: `Part of the LAN cannot ping Machine 1: ${decidedBy(shut.result, view)} ${verb(shut.result.verdict)} pings from ${addressesText(shut.ranges)}. Every address of \`${a.lan}\` should get replies.`,
    });
  const accepted = groupByDecider(outside.filter((v) => v.result.verdict === 'ACCEPT'))[0];
  if (accepted)
    return done({
      code: 'outsiders-accepted',
      message: `${decidedBy(accepted.result, view)} accepts pings from ${beyond(accepted.ranges, a.lan)}, outside the LAN. Only \`${a.lan}\` may ping Machine 1: drop every other source with \`! -s ${a.lan}\`.`,
    });
  const rejected = groupByDecider(outside.filter((v) => v.result.verdict !== 'DROP'))[0];
  if (rejected)
    return done({
      code: 'outsiders-rejected',
      message: `Pings from ${addressesText(rejected.ranges)}, outside the LAN, are not dropped: ${decidedBy(rejected.result, view)} ${verb(rejected.result.verdict)} them, so they learn that Machine 1 is there. The DROP must cover every source outside \`${a.lan}\`: use \`! -s ${a.lan}\`.`,
    });
  return { assumptions: all.assumptions };
}

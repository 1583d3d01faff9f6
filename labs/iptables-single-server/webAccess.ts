/**
 * Step 8's rule, judged from its meaning: port 80 admits exactly the remote office, ssh still
 * admits both clients, and no other port admits anyone. Pure: a ruleset in, a problem out.
 */
import { getTable, type RulesetModel } from '../../labkit/rules';
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
import { CHAPTER_PORTS } from './ports';
import type { RuleView } from './ruleWhere';
import { listPorts } from './nmapFile';

export interface Problem {
  /** Which requirement failed, so the running firewall's and the file's problems can be compared. */
  code: 'lan-80' | 'office-80' | 'office-part' | 'extra-80' | 'ssh' | 'leak';
  message: string;
}

export interface Judgement {
  problem?: Problem;
  /** What the model could not evaluate exactly; the clients' probes must settle those. */
  assumptions: string[];
}

const web = { protocol: 'tcp', dport: 80 } as const;

/** The ports that must stay closed: the chapter's services, and any port a rule names, but 22 and 80. */
export function portsToKeepClosed(model: RulesetModel): number[] {
  const named = (getTable(model)?.chains ?? []).flatMap((c) =>
    c.rules.flatMap((r) => (r.matches.dport ?? []).filter((d) => /^\d+$/.test(d)).map(Number)),
  );
  return [...new Set([...CHAPTER_PORTS, ...named])].filter((p) => p !== 22 && p !== 80).sort((x, y) => x - y);
}

export function judgeWebAccess(model: RulesetModel, a: LabAddresses, view: RuleView): Judgement {
  const toWeb = reach(model, web, a);
  const assumptions = [...toWeb.assumptions];
  const done = (problem: Problem): Judgement => ({ problem, assumptions });

  const fromLan = verdictFor(model, web, a.m2, 'eth0');
  if (fromLan.verdict === 'ACCEPT')
    return done({
      code: 'lan-80',
      message: `Machine 2 (${a.m2}) can still open port 80: ${decidedBy(fromLan, view)} accepts it. Restrict the port 80 rule with \`-s ${a.office}\` and restart iptables.`,
    });
  const fromOffice = verdictFor(model, web, a.pc, 'eth1');
  if (fromOffice.verdict !== 'ACCEPT')
    return done({
      code: 'office-80',
      message: `office-pc (${a.pc}) cannot open port 80: ${decidedBy(fromOffice, view)} ${verb(fromOffice.verdict)} it, so port 80 is closed to the remote office too. Keep the port 80 rule, with \`-s ${a.office}\`.`,
    });
  const { inside, outside } = split(toWeb.verdicts, a.office);
  const shut = groupByDecider(inside.filter((v) => v.result.verdict !== 'ACCEPT'))[0];
  if (shut)
    return done({
      code: 'office-part',
      message: `Only part of the remote office can open port 80: ${decidedBy(shut.result, view)} ${verb(shut.result.verdict)} ${addressesText(shut.ranges)}. The whole office, \`${a.office}\`, should get in.`,
    });
  const extra = groupByDecider(outside.filter((v) => v.result.verdict === 'ACCEPT'))[0];
  if (extra)
    return done({
      code: 'extra-80',
      message: `${decidedBy(extra.result, view)} also lets ${beyond(extra.ranges, a.office)} reach port 80, not only the remote office (\`${a.office}\`). Use \`-s ${a.office}\` in the port 80 rule, and no other rule that accepts port 80.`,
    });

  for (const [who, src, inInterface] of [
    ['Machine 2', a.m2, 'eth0'],
    ['office-pc', a.pc, 'eth1'],
  ] as const) {
    const ssh = verdictFor(model, { protocol: 'tcp', dport: 22 }, src, inInterface);
    assumptions.push(...ssh.assumptions);
    if (ssh.verdict !== 'ACCEPT')
      return done({
        code: 'ssh',
        message: `ssh (port 22) must still answer both clients, but ${decidedBy(ssh, view)} ${verb(ssh.verdict)} it from ${who}.`,
      });
  }

  const leaks = portsToKeepClosed(model).flatMap((dport) => {
    const open = reach(model, { protocol: 'tcp', dport }, a).verdicts.filter((v) => v.result.verdict === 'ACCEPT');
    return open.length > 0 ? [{ dport, group: groupByDecider(open)[0] }] : [];
  });
  const first = leaks[0]?.group;
  if (first)
    return done({
      code: 'leak',
      message: `Port(s) ${listPorts(leaks.map((l) => l.dport))} should stay closed, but ${decidedBy(first.result, view)} accepts connections to ${leaks.length > 1 ? 'them' : 'it'} from ${addressesText(first.ranges)}. Only 22 and 80 may be open.`,
    });
  return { assumptions: [...new Set(assumptions)] };
}

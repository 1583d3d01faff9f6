import { stepText } from '../../../labkit/content';
import { describeRule, indexOfFinalReject, parseRulesFile, type ChainModel } from '../../../labkit/rules';
import { fail, pass, type LabStep } from '../../../labkit/types';
import { icmpVerdict } from '../icmp';
import { addrs, CHAIN, FIREWALL_DOWN, liveRules, readFile, RULES_FILE, runningChain } from '../machines';
import { describePing, probePing } from '../../../labkit/probes';
import { fileView, LIVE, liveRuleAt } from '../ruleWhere';

/** Index of an unconditional "drop all ICMP" rule, or -1. */
function icmpDropIndex(chain: ChainModel): number {
  return chain.rules.findIndex(
    (r) => r.protocol === 'icmp' && r.target === 'DROP' && r.source === undefined && r.matches.icmpType === undefined,
  );
}

/** Latches: the next step narrows this rule to outsiders. */
export const drop: LabStep = {
  id: 'drop',
  ...stepText(new URL('./06-drop.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const a = addrs(ctx.view);
    const live = await liveRules(ctx);
    const chain = runningChain(live);
    if (!chain) return fail(FIREWALL_DOWN);
    const reject = indexOfFinalReject(chain);
    const dropAt = icmpDropIndex(chain);
    if (dropAt > reject) {
      return fail(
        `Your DROP rule is ${liveRuleAt(CHAIN, dropAt)}, after the REJECT (rule ${reject + 1}), so it never matches. Put it above the REJECT, where the ICMP ACCEPT was.`,
      );
    }
    const running = icmpVerdict(live, LIVE, a.m2);
    const file = parseRulesFile((await readFile(ctx, 'machine1', RULES_FILE)).text);
    const inFile = icmpVerdict(file, fileView(RULES_FILE), a.m2);
    if (running.verdict !== 'DROP') {
      if (inFile.verdict === 'DROP')
        return fail(
          `Your file drops ICMP, but the running firewall still decides with ${running.decidedBy}. Restart iptables.`,
        );
      return fail(
        `Pings are not dropped: ${inFile.decidedBy} decides them first. Replace that ICMP ACCEPT rule with \`-p icmp --icmp-type any -j DROP\`, then restart iptables.`,
      );
    }
    if (inFile.verdict !== 'DROP')
      return fail(
        `The running firewall drops ICMP, but \`${RULES_FILE}\` does not (there ${inFile.decidedBy} decides). Save with \`service iptables save\`, or the change is lost at the next restart.`,
      );
    const probe = await probePing(ctx, { from: 'machine2', to: a.m1, expected: 'timeout' });
    if (probe !== 'timeout')
      return fail(`A ping from Machine 2 ${describePing[probe]}; with a DROP it should time out silently.`);
    const rule = chain.rules[dropAt];
    return pass(
      `Pings now time out without any answer: \`${rule ? describeRule(rule) : 'DROP'}\` is ${liveRuleAt(CHAIN, dropAt)}, before the REJECT.`,
    );
  },
  async solve(ctx) {
    await ctx.sh(
      'machine1',
      `sed -i 's/^\\(-A RH-Firewall-1-INPUT -p icmp .*-j\\) ACCEPT$/\\1 DROP/' ${RULES_FILE} && service iptables restart`,
    );
    await ctx.sh('machine2', `ping -c 1 -W 1 ${addrs(ctx.view).m1} || true`);
  },
};

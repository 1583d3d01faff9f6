import { parseRulesFile, rulesetEquivalent } from '../../../labkit/rules';
import { fail, pass, type LabStep } from '../../../labkit/types';
import { icmpVerdict } from '../icmp';
import { addrs, FIREWALL_DOWN, liveRules, readFile, RULES_FILE, runningChain } from '../machines';
import { describePing, probePing } from '../../../labkit/probes';
import { BAK } from './04-icmp-off';

/** Latches: the next step replaces this very rule with a DROP. */
export const icmpOn: LabStep = {
  id: 'icmp-on',
  title: 'ICMP minilab: put the rule back',
  latching: 'latch',
  instructions: (
    view,
  ) => `Undo your change: on **Machine 1**, remove the \`#\` you added in front of the ICMP rule in \`/etc/sysconfig/iptables\` (or copy \`/etc/sysconfig/iptables-BAK\` back over it with \`cp -a\`). Then load the file again:

\`\`\`machine1
service iptables restart
\`\`\`

From **Machine 2**, check that Machine 1 answers again:

\`\`\`machine2
ping -c 3 ${addrs(view).m1}
\`\`\`

Why did the pings fail in the first place? With the ACCEPT rule gone, nothing in the chain matched them until the catch-all REJECT at the bottom. Order matters.`,
  hints: () => [
    '`diff /etc/sysconfig/iptables-BAK /etc/sysconfig/iptables` shows what is still different.',
    'Editing the file is not enough: the running firewall changes only when you restart iptables.',
  ],
  async check(ctx) {
    const a = addrs(ctx.view);
    const [bak, file] = await Promise.all([readFile(ctx, 'machine1', BAK), readFile(ctx, 'machine1', RULES_FILE)]);
    if (!bak.exists)
      return fail(
        `\`${BAK}\` is missing on Machine 1; it is the copy this step restores from (see the previous step).`,
      );
    const same = rulesetEquivalent(parseRulesFile(bak.text), parseRulesFile(file.text));
    if (!same.equal) {
      const inFile = icmpVerdict(parseRulesFile(file.text), a.m2);
      if (inFile.verdict !== 'ACCEPT')
        return fail(
          `\`${RULES_FILE}\` still does not accept ICMP: remove the \`#\` in front of the ICMP rule (or copy \`${BAK}\` back).`,
        );
      return fail(`\`${RULES_FILE}\` does not match \`${BAK}\` yet: ${same.differences[0] ?? ''}.`);
    }
    const live = await liveRules(ctx);
    if (!runningChain(live)) return fail(FIREWALL_DOWN);
    const running = icmpVerdict(live, a.m2);
    if (running.verdict !== 'ACCEPT')
      return fail(
        `The file is restored, but the running firewall still ${running.verdict === 'DROP' ? 'drops' : 'rejects'} ping (${running.decidedBy}) — restart iptables on Machine 1.`,
      );
    const probe = await probePing(ctx, 'machine2', a.m1);
    if (probe !== 'reply') return fail(`A ping from Machine 2 ${describePing[probe]}; it should get a reply.`);
    return pass('Machine 1 answers ping again, and its rules file matches the backup.');
  },
  async solve(ctx) {
    await ctx.sh(
      'machine1',
      `sed -i 's/^#\\s*\\(-A RH-Firewall-1-INPUT -p icmp\\)/\\1/' ${RULES_FILE} && service iptables restart`,
    );
    await ctx.sh('machine2', `ping -c 1 -W 2 ${addrs(ctx.view).m1}`);
  },
};

import { stepText } from '../../../labkit/content';
import { parseRulesFile } from '../../../labkit/rules';
import { fail, pass, type LabStep } from '../../../labkit/types';
import { icmpVerdict } from '../icmp';
import { addrs, FIREWALL_DOWN, liveRules, readFile, RULES_FILE, runningChain } from '../machines';
import { describePing, probePing } from '../../../labkit/probes';
import { fileView, LIVE } from '../ruleWhere';

/** Current state: nothing later in the lab is meant to undo it. */
export const outsiders: LabStep = {
  id: 'outsiders',
  ...stepText(new URL('./07-outsiders.md', import.meta.url)),
  latching: 'current',
  async check(ctx) {
    const a = addrs(ctx.view);
    const live = await liveRules(ctx);
    if (!runningChain(live)) return fail(FIREWALL_DOWN);
    const file = parseRulesFile((await readFile(ctx, 'machine1', RULES_FILE)).text);
    const fileLan = icmpVerdict(file, fileView(RULES_FILE), a.m2, 'eth0');
    const fileOffice = icmpVerdict(file, fileView(RULES_FILE), a.pc, 'eth1');
    // Name the file's line when the file says the same as the running firewall: that is what the learner edits.
    const liveLan = icmpVerdict(live, LIVE, a.m2, 'eth0');
    const liveOffice = icmpVerdict(live, LIVE, a.pc, 'eth1');
    const fromLan = fileLan.verdict === liveLan.verdict ? fileLan : liveLan;
    const fromOffice = fileOffice.verdict === liveOffice.verdict ? fileOffice : liveOffice;
    if (liveLan.verdict !== 'ACCEPT')
      return fail(
        `Machine 2 (${a.m2}) cannot ping Machine 1: ${fromLan.decidedBy} ${fromLan.verdict === 'DROP' ? 'drops' : 'rejects'} its pings. Exclude the LAN with \`! -s ${a.lan}\` and accept ICMP after the DROP.`,
      );
    if (liveOffice.verdict !== 'DROP')
      return fail(
        `office-pc's pings are not dropped: ${fromOffice.decidedBy} ${fromOffice.verdict === 'ACCEPT' ? 'accepts' : 'rejects'} them. A DROP for sources outside ${a.lan} must come first.`,
      );
    if (fileLan.verdict !== 'ACCEPT' || fileOffice.verdict !== 'DROP') {
      return fail(
        `The running firewall is right, but \`${RULES_FILE}\` is not (there, ${fileLan.verdict !== 'ACCEPT' ? `Machine 2 is decided by ${fileLan.decidedBy}` : `office-pc is decided by ${fileOffice.decidedBy}`}). Save with \`service iptables save\`.`,
      );
    }
    const [lanPing, officePing] = await Promise.all([
      probePing(ctx, 'machine2', a.m1),
      probePing(ctx, 'office-pc', a.m1Office),
    ]);
    if (lanPing !== 'reply') return fail(`A ping from Machine 2 ${describePing[lanPing]}; it should get a reply.`);
    if (officePing !== 'timeout')
      return fail(`A ping from office-pc ${describePing[officePing]}; it should be dropped silently.`);
    return pass(`Machine 2 (inside ${a.lan}) gets replies; office-pc (${a.pc}) gets nothing at all.`);
  },
  async solve(ctx) {
    const a = addrs(ctx.view);
    const drop = `-A RH-Firewall-1-INPUT -p icmp --icmp-type any ! -s ${a.lan} -j DROP`;
    const accept = '-A RH-Firewall-1-INPUT -p icmp --icmp-type any -j ACCEPT';
    await ctx.sh(
      'machine1',
      `sed -i 's|^-A RH-Firewall-1-INPUT -p icmp .*-j DROP$|${drop}\\n${accept}|' ${RULES_FILE} && service iptables restart`,
    );
  },
};

import { stepText } from '../../../labkit/content';
import { parseRulesFile } from '../../../labkit/rules';
import { couldNotTest, describePing, probePing } from '../../../labkit/probes';
import { fail, inconclusive, pass, type LabStep } from '../../../labkit/types';
import { changedElsewhere } from '../elsewhere';
import { addrs, FIREWALL_DOWN, liveRules, readFile, RULES_FILE, runningChain } from '../machines';
import { judgePings } from '../pingAccess';
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
    const fileText = (await readFile(ctx, 'machine1', RULES_FILE)).text;
    const elsewhere = await changedElsewhere(ctx, fileText);
    if (elsewhere) return fail(elsewhere);
    const file = parseRulesFile(fileText);
    const running = judgePings(live, a, LIVE);
    if (running.problem) {
      // Name the file's line when the file has the same problem: that is what the learner edits.
      const saved = judgePings(file, a, fileView(RULES_FILE)).problem;
      return fail(saved?.code === running.problem.code ? saved.message : running.problem.message);
    }
    const saved = judgePings(file, a, fileView(RULES_FILE)).problem;
    if (saved)
      return fail(
        `The running firewall is right, but \`${RULES_FILE}\` is not, and a restart would load it: ${saved.message} Save with \`service iptables save\`.`,
      );
    // Only where the model could not evaluate a rule (\`-m limit\`, ...) do the clients' pings decide.
    if (running.assumptions.length > 0) {
      const [lanPing, officePing] = await Promise.all([
        probePing(ctx, 'machine2', a.m1, 'reply'),
        probePing(ctx, 'office-pc', a.m1Office, 'timeout'),
      ]);
      if (lanPing === 'unknown') return inconclusive(couldNotTest('a ping from Machine 2'));
      if (lanPing !== 'reply') return fail(`A ping from Machine 2 ${describePing[lanPing]}; it should get a reply.`);
      if (officePing !== 'timeout')
        return fail(`A ping from office-pc ${describePing[officePing]}; it should be dropped silently.`);
    }
    return pass(
      `Every address of the LAN (${a.lan}), Machine 2 included, gets replies; pings from anywhere else, office-pc (${a.pc}) included, are dropped without an answer.`,
    );
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

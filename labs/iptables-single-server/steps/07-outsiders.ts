import { stepText } from '../../../labkit/content';
import { couldNotTest, describePing, probePing } from '../../../labkit/probes';
import { fail, inconclusive, pass, type LabStep } from '../../../labkit/types';
import { judgeRunningAndSaved } from '../runningAndSaved';
import { addrs, RULES_FILE } from '../machines';
import { judgePings } from '../pingAccess';

/** Current state: nothing later in the lab is meant to undo it. */
export const outsiders: LabStep = {
  id: 'outsiders',
  ...stepText(new URL('./07-outsiders.md', import.meta.url)),
  latching: 'current',
  async check(ctx) {
    const a = addrs(ctx.view);
    const judged = await judgeRunningAndSaved(ctx, judgePings);
    if ('failed' in judged) return judged.failed;
    // Only where the model could not evaluate a rule (\`-m limit\`, ...) do the clients' pings decide.
    if (judged.assumptions.length > 0) {
      const [lanPing, officePing] = await Promise.all([
        probePing(ctx, { from: 'machine2', to: a.m1, expected: 'reply' }),
        probePing(ctx, { from: 'office-pc', to: a.m1Office, expected: 'timeout' }),
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

import { stepText } from '../../../labkit/content';
import type { LabJournal } from '../../../labkit/journal';
import { parseRulesFile } from '../../../labkit/rules';
import { couldNotTest, describePort, probePort } from '../../../labkit/probes';
import { fail, inconclusive, pass, type LabStep } from '../../../labkit/types';
import { addrs, CHAIN, FIREWALL_DOWN, liveRules, runningChain } from '../machine1';
import { acceptsEstablished } from './05-state-off';

/**
 * Did Machine 1 ever run its firewall without the state rule? "Put it back" means it was away:
 * otherwise a fresh lab, or a grading run over a learner who never began, would pass this step.
 * Without a journal (an in-memory runtime) there is nothing to ask, and the step judges the rules alone.
 */
export async function stateRuleWasAway(journal: LabJournal | undefined): Promise<boolean> {
  if (!journal) return true;
  const rulesets = await journal.events('ruleset');
  return rulesets.some((r) => {
    if (r.machineId !== 'machine1' || r.firewall !== 'running') return false;
    const chain = runningChain(parseRulesFile(r.rules));
    return chain !== undefined && !acceptsEstablished(chain);
  });
}

/** Current: Machine 1's own connections must keep working. */
export const stateOn: LabStep = {
  id: 'state-on',
  ...stepText(new URL('./06-state-on.md', import.meta.url)),
  latching: 'current',
  async check(ctx) {
    const a = addrs(ctx.view);
    const chain = runningChain(await liveRules(ctx));
    if (!chain) return fail(FIREWALL_DOWN);
    if (!acceptsEstablished(chain))
      return fail(
        `No rule above the final REJECT accepts ESTABLISHED packets yet. Run \`service iptables restart\`, or insert \`-m state --state ESTABLISHED,RELATED -j ACCEPT\` into ${CHAIN} above the REJECT.`,
      );
    if (!(await stateRuleWasAway(ctx.journal)))
      return fail(
        `The state rule is in ${CHAIN}, but it was never taken away: this step puts it back after step 5. Delete it there (\`iptables -D ${CHAIN} N\`), see Machine 1's connection to Machine 2 get no answer, then bring it back.`,
      );
    const outcome = await probePort(ctx, { from: 'machine1', to: a.m2, port: 80 });
    if (outcome === 'unknown') return inconclusive(couldNotTest("Machine 1's connection to Machine 2"));
    if (outcome !== 'refused' && outcome !== 'open')
      return fail(
        `The state rule is there, but Machine 1's connection to Machine 2 port 80 ${describePort[outcome]}. Is it above the REJECT?`,
      );
    return pass(
      "Machine 1's own connections get their answers again: Machine 2's reset comes back as *Connection refused*.",
    );
  },
  async solve(ctx) {
    const a = addrs(ctx.view);
    await ctx.run('machine1', 'service iptables restart');
    await ctx.run('machine1', `nc -vz -w 3 ${a.m2} 80`);
  },
};

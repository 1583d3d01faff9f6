import { describeRule, type Rule } from '../../../labkit/rules';
import { stepText } from '../../../labkit/content';
import { couldNotTest, describePort } from '../../../labkit/probes';
import { fail, inconclusive, pass, type LabStep } from '../../../labkit/types';
import { addrs, agentReach, agentRules, CHAIN, FIREWALL_DOWN, liveRules, runningChain } from '../machine1';

/** Latches: this is an experiment; the next step takes the `!` out again. */
export const negate: LabStep = {
  id: 'negate',
  ...stepText(new URL('./03-negate.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const a = addrs(ctx.view);
    const chain = runningChain(await liveRules(ctx));
    if (!chain) return fail(FIREWALL_DOWN);
    const rules = agentRules(chain, a.port);
    const negated = rules.find((r) => r.negated.source && r.source !== undefined);
    if (!negated)
      return fail(
        rules.length > 0
          ? `The agent's rule is \`${describeRule(rules[0] as Rule)}\`: put \`!\` in front of its source, \`! -s ${a.office}\` (use \`iptables -R ${CHAIN} N ...\`).`
          : `No rule above the final REJECT accepts port ${a.port} any more. Put it back with a negated source: \`iptables -I ${CHAIN} N ! -s ${a.office} -p tcp --dport ${a.port} -j ACCEPT\`.`,
      );
    const reach = await agentReach(ctx);
    if (reach.lan === 'unknown') return inconclusive(couldNotTest('the agent from Machine 2'));
    if (reach.lan !== 'open')
      return fail(
        `With \`${describeRule(negated)}\` Machine 2 should get in, but its connection to port ${a.port} ${describePort[reach.lan]}. Is another rule in the way?`,
      );
    if (reach.office === 'open')
      return fail(
        `office-pc still reaches the agent although the rule now says \`!\` for its network: another rule must accept it. List the chain and look for a second rule for port ${a.port}.`,
      );
    return pass(
      `The results swapped: Machine 2 gets in and office-pc is turned away, so the rule really depends on the source address. Now take the \`!\` out again.`,
    );
  },
  async solve(ctx) {
    const a = addrs(ctx.view);
    const listing = await ctx.run('machine1', `iptables -L ${CHAIN} --line-numbers -n`);
    const n = new RegExp(`^(\\d+)\\s+ACCEPT.*dpt:${a.port}\\b`, 'm').exec(listing.output)?.[1];
    if (!n) throw new Error(`no rule for port ${a.port} in:\n${listing.output}`);
    await ctx.run('machine1', `iptables -R ${CHAIN} ${n} ! -s ${a.office} -p tcp --dport ${a.port} -j ACCEPT`);
  },
};

import { stepText } from '../../../labkit/content';
import { couldNotTest, describePort, probePort } from '../../../labkit/probes';
import { fail, inconclusive, pass, type CheckContext, type CheckResult, type LabStep } from '../../../labkit/types';
import { addrs, agentReach, agentRuleBelowReject, CHAIN, FIREWALL_DOWN, liveRules, runningChain } from '../machine1';

/**
 * What both "office only" steps require of the running firewall, judged by real connections:
 * office-pc reaches the agent, Machine 2 does not, and ssh still answers the LAN.
 */
export async function officeOnlyLive(ctx: CheckContext): Promise<CheckResult | undefined> {
  const a = addrs(ctx.view);
  const chain = runningChain(await liveRules(ctx));
  if (!chain) return fail(FIREWALL_DOWN);
  const [reach, ssh] = await Promise.all([agentReach(ctx), probePort(ctx, { from: 'machine2', to: a.m1, port: 22 })]);
  if (reach.office === 'unknown') return inconclusive(couldNotTest('the agent from office-pc'));
  if (ssh === 'unknown') return inconclusive(couldNotTest('ssh from Machine 2'));
  const below = agentRuleBelowReject(chain, a.port);
  if (reach.office !== 'open' && below)
    return fail(
      `office-pc cannot reach the agent: your rule for port ${a.port} is rule ${below.rule} of ${CHAIN}, below the final REJECT (rule ${below.reject}), so no packet ever gets to it. Delete it (\`iptables -D ${CHAIN} ${below.rule}\`) and insert it above the REJECT: \`iptables -I ${CHAIN} ${below.reject} -s ${a.office} -p tcp --dport ${a.port} -j ACCEPT\`.`,
    );
  if (reach.office !== 'open')
    return fail(
      `office-pc cannot reach the agent: its connection to ${a.m1Office} port ${a.port} ${describePort[reach.office]}. The office must still get in: check the source of your rule (\`-s ${a.office}\`) and that it sits above the final REJECT.`,
    );
  if (reach.lan === 'open')
    return fail(
      `Machine 2 on the LAN still connects to the agent on port ${a.port}. Every rule that accepts this port must be limited to the office: list them with \`iptables -L ${CHAIN} --line-numbers -n\`.`,
    );
  if (ssh !== 'open')
    return fail(
      `Machine 2's ssh connection to Machine 1 ${describePort[ssh]}: only the agent's rule should change. Put the ssh rule back.`,
    );
  return undefined;
}

/** Latches: the rule was right once; the next step turns it around on purpose. */
export const officeOnly: LabStep = {
  id: 'office-only',
  ...stepText(new URL('./02-office-only.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const a = addrs(ctx.view);
    const wrong = await officeOnlyLive(ctx);
    if (wrong) return wrong;
    return pass(
      `office-pc connects to the agent on port ${a.port}, Machine 2 is turned away, and ssh still answers the LAN.`,
    );
  },
  async solve(ctx) {
    const a = addrs(ctx.view);
    const listing = await ctx.run('machine1', `iptables -L ${CHAIN} --line-numbers -n`);
    const n = new RegExp(`^(\\d+)\\s+ACCEPT.*dpt:${a.port}\\b`, 'm').exec(listing.output)?.[1];
    if (!n) throw new Error(`no rule for port ${a.port} in:\n${listing.output}`);
    await ctx.run('machine1', `iptables -D ${CHAIN} ${n}`);
    await ctx.run('machine1', `iptables -I ${CHAIN} ${n} -s ${a.office} -p tcp --dport ${a.port} -j ACCEPT`);
  },
};

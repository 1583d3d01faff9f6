import { stepText } from '../../../labkit/content';
import { couldNotTest, describePort, probePort } from '../../../labkit/probes';
import { fail, inconclusive, pass, type LabStep } from '../../../labkit/types';
import { addrs, CHAIN, FIREWALL_DOWN, liveRules, runningChain } from '../machine1';

/** Latches: an observation of how a reset looks from outside. */
export const tcpReset: LabStep = {
  id: 'tcp-reset',
  ...stepText(new URL('./07-tcp-reset.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const a = addrs(ctx.view);
    const state = (ctx.answers.state ?? '').trim().toLowerCase();
    if (!state) return fail('Answer the question below before checking.');
    if (!runningChain(await liveRules(ctx))) return fail(FIREWALL_DOWN);
    const [smtp, ssh] = await Promise.all([
      probePort(ctx, { from: 'machine2', to: a.m1, port: 25 }),
      probePort(ctx, { from: 'machine2', to: a.m1, port: 22 }),
    ]);
    if (ssh === 'unknown' || smtp === 'unknown') return inconclusive(couldNotTest('ports 22 and 25 from Machine 2'));
    if (ssh !== 'open')
      return fail(
        `Machine 2's ssh connection to Machine 1 ${describePort[ssh]}: your reset rule sits above the ACCEPT rules. Delete it and insert it just above the final REJECT of ${CHAIN}.`,
      );
    if (smtp !== 'refused')
      return fail(
        `Port 25 from Machine 2 ${describePort[smtp]}. Insert \`-p tcp -j REJECT --reject-with tcp-reset\` above the final REJECT of ${CHAIN}.`,
      );
    if (/\bfiltered\b/.test(state))
      return fail('Scan port 25 again after inserting the rule: the reset changes what nmap reports.');
    if (!/\bclosed\b/.test(state)) return fail('Look at the STATE column of `nmap -p 25` from Machine 2.');
    return pass(
      'Port 25 now answers with a TCP reset: Machine 2 sees *Connection refused* and nmap reports it as closed, just as if nothing listened there.',
    );
  },
  async solve(ctx) {
    const a = addrs(ctx.view);
    const listing = await ctx.run('machine1', `iptables -L ${CHAIN} --line-numbers -n`);
    const n = /^(\d+)\s+REJECT\s.*reject-with icmp-host-prohibited/m.exec(listing.output)?.[1];
    if (!n) throw new Error(`no final REJECT in:\n${listing.output}`);
    await ctx.run('machine1', `iptables -I ${CHAIN} ${n} -p tcp -j REJECT --reject-with tcp-reset`);
    const since = ctx.mark('machine2');
    await ctx.typeLine('machine2', `nmap -p 25 ${a.m1}`);
    await ctx.waitFor('machine2', /Nmap done/, { since, timeoutMs: 30_000 });
    ctx.answer('state', 'closed');
  },
};

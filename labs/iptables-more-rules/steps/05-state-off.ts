import { indexOfFinalReject, type ChainModel } from '../../../labkit/rules';
import { stepText } from '../../../labkit/content';
import { describePort, probePort } from '../../../labkit/probes';
import { fail, pass, type LabStep } from '../../../labkit/types';
import { addrs, CHAIN, FIREWALL_DOWN, liveRules, runningChain } from '../machine1';

/** Does a rule above the final REJECT accept packets of known connections? */
export function acceptsEstablished(chain: ChainModel): boolean {
  const last = indexOfFinalReject(chain);
  return chain.rules.some(
    (r, i) => i < last && r.target === 'ACCEPT' && (r.matches.state ?? []).includes('ESTABLISHED'),
  );
}

/** Latches: an experiment; the next step puts the rule back. */
export const stateOff: LabStep = {
  id: 'state-off',
  ...stepText(new URL('./05-state-off.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const a = addrs(ctx.view);
    const chain = runningChain(await liveRules(ctx));
    if (!chain) return fail(FIREWALL_DOWN);
    if (acceptsEstablished(chain))
      return fail(
        `The running ${CHAIN} still accepts ESTABLISHED packets. Delete that rule by its number: \`iptables -D ${CHAIN} N\`.`,
      );
    // Nothing answering is what this step expects, so a slow host cannot fail it.
    const outcome = await probePort(ctx, { from: 'machine1', to: a.m2, port: 80, expectAnswer: false });
    if (outcome === 'refused' || outcome === 'open')
      return fail(
        `Machine 1's connection to Machine 2 still ${describePort[outcome]}: another rule lets the answer in. List the chain and look for it.`,
      );
    return pass(
      "Without the state rule, Machine 1's own connection to Machine 2 gets no answer: the reset Machine 2 sends back is rejected like any stranger's packet.",
    );
  },
  async solve(ctx) {
    const a = addrs(ctx.view);
    await ctx.run('machine1', `nc -vz -w 3 ${a.m2} 80`);
    const listing = await ctx.run('machine1', `iptables -L ${CHAIN} --line-numbers -n`);
    const n = /^(\d+)\s+ACCEPT.*state (?:RELATED,ESTABLISHED|ESTABLISHED,RELATED)/m.exec(listing.output)?.[1];
    if (!n) throw new Error(`no state rule in:\n${listing.output}`);
    await ctx.run('machine1', `iptables -D ${CHAIN} ${n}`);
    await ctx.run('machine1', `nc -vz -w 3 ${a.m2} 80`, 10_000);
  },
};

import { acceptsTcpFrom } from '../../../labkit/rules';
import { stepText } from '../../../labkit/content';
import { fail, pass, type LabStep } from '../../../labkit/types';
import { addrs, CHAIN, RULES_FILE, savedRules } from '../machine1';
import { officeOnlyLive } from './02-office-only';

/** Current: the firewall must keep the agent to the office, running and saved. */
export const officeSaved: LabStep = {
  id: 'office-saved',
  ...stepText(new URL('./04-office-saved.md', import.meta.url)),
  latching: 'current',
  async check(ctx) {
    const a = addrs(ctx.view);
    const wrong = await officeOnlyLive(ctx);
    if (wrong) return wrong;
    const file = await savedRules(ctx);
    if (!file) return fail(`\`${RULES_FILE}\` is missing on Machine 1: run \`service iptables save\`.`);
    if (!file.ok)
      return fail(`\`${RULES_FILE}\` would not load at the next restart. Run \`service iptables save\` again.`);
    // The file is judged by the rule model: packets like the probes', evaluated against the saved rules.
    if (acceptsTcpFrom(file, a.m2, a.port, { inInterface: 'eth0' }))
      return fail(
        `The running firewall is right, but \`${RULES_FILE}\` still lets the LAN reach port ${a.port}: a restart would open it again. Run \`service iptables save\`.`,
      );
    if (!acceptsTcpFrom(file, a.pc, a.port, { inInterface: 'eth1' }))
      return fail(
        `\`${RULES_FILE}\` does not let the office reach port ${a.port}: after a restart the agent would be shut off. Fix the running rule in ${CHAIN}, then \`service iptables save\`.`,
      );
    return pass(
      `Only the remote office reaches the agent on port ${a.port}, both in the running firewall and in \`${RULES_FILE}\`.`,
    );
  },
  async solve(ctx) {
    const a = addrs(ctx.view);
    const listing = await ctx.run('machine1', `iptables -L ${CHAIN} --line-numbers -n`);
    const n = new RegExp(`^(\\d+)\\s+ACCEPT.*dpt:${a.port}\\b`, 'm').exec(listing.output)?.[1];
    if (!n) throw new Error(`no rule for port ${a.port} in:\n${listing.output}`);
    await ctx.run('machine1', `iptables -R ${CHAIN} ${n} -s ${a.office} -p tcp --dport ${a.port} -j ACCEPT`);
    await ctx.run('machine1', 'service iptables save');
  },
};

import { stepText } from '../../../labkit/content';
import { acceptsTcpFrom, parseRulesFile } from '../../../labkit/rules';
import { fail, pass, type LabStep } from '../../../labkit/types';
import { addrs, FIREWALL_DOWN, liveRules, readFile, RULES_FILE, runningChain } from '../machines';
import { fetchPage, openTcpPorts } from '../../../labkit/probes';
import { CHAPTER_PORTS } from '../ports';
import { listPorts } from '../nmapFile';

/** Latches: step 10 opens another port on purpose, which "every other service closed" forbids. */
export const apache: LabStep = {
  id: 'apache',
  ...stepText(new URL('./08-apache.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const a = addrs(ctx.view);
    const live = await liveRules(ctx);
    if (!runningChain(live)) return fail(FIREWALL_DOWN);
    const file = parseRulesFile((await readFile(ctx, 'machine1', RULES_FILE)).text);
    const others = CHAPTER_PORTS.filter((p) => p !== 22 && p !== 80);
    const [page, fromLan, fromOffice] = await Promise.all([
      fetchPage(ctx, 'office-pc', `http://${a.m1Office}/`),
      openTcpPorts(ctx, 'machine2', a.m1, CHAPTER_PORTS),
      openTcpPorts(ctx, 'office-pc', a.m1Office, CHAPTER_PORTS),
    ]);
    if (fromLan.includes(80))
      return fail(
        `Machine 2 (${a.m2}) can still open port 80. Restrict the port 80 rule with \`-s ${a.office}\` and restart iptables.`,
      );
    if (page === undefined)
      return fail(
        `office-pc cannot fetch http://${a.m1Office}/: port 80 is closed to the remote office too. Keep the port 80 rule, with \`-s ${a.office}\`.`,
      );
    if (!fromLan.includes(22) || !fromOffice.includes(22))
      return fail(
        `ssh (port 22) must still answer both clients; it is closed to ${fromLan.includes(22) ? 'office-pc' : 'Machine 2'}.`,
      );
    const leaks = [...new Set([...fromLan, ...fromOffice].filter((p) => others.includes(p)))].sort((x, y) => x - y);
    if (leaks.length > 0)
      return fail(`Port(s) ${listPorts(leaks)} should stay closed but accept connections. Only 22 and 80 may be open.`);
    if (!acceptsTcpFrom(file, a.pc, 80, { inInterface: 'eth1' }) || acceptsTcpFrom(file, a.m2, 80)) {
      return fail(
        `The running firewall is right, but \`${RULES_FILE}\` is not: a restart would undo it. Save with \`service iptables save\`.`,
      );
    }
    return pass(
      `office-pc fetches the page, Machine 2 is refused on port 80, ssh answers both, and ports ${listPorts(others)} stay closed.`,
    );
  },
  async solve(ctx) {
    const office = addrs(ctx.view).office;
    await ctx.sh(
      'machine1',
      `sed -i 's|^\\(-A RH-Firewall-1-INPUT .*-p tcp\\) \\(--dport 80 -j ACCEPT\\)$|\\1 -s ${office} \\2|' ${RULES_FILE} && service iptables restart`,
    );
  },
};

import { stepText } from '../../../labkit/content';
import { couldNotTest, probePorts } from '../../../labkit/probes';
import { fail, inconclusive, pass, type CheckContext, type CheckResult, type LabStep } from '../../../labkit/types';
import { judgeRunningAndSaved } from '../runningAndSaved';
import { addrs, RULES_FILE } from '../machines';
import { listPorts } from '../nmapFile';
import { judgeWebAccess, portsToKeepClosed } from '../webAccess';

/** Latches: step 10 opens another port on purpose, which "every other service closed" forbids. */
export const apache: LabStep = {
  id: 'apache',
  ...stepText(new URL('./08-apache.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const a = addrs(ctx.view);
    const judged = await judgeRunningAndSaved(ctx, judgeWebAccess);
    if ('failed' in judged) return judged.failed;
    // Only where the model could not evaluate a rule (\`-m limit\`, ...) do the clients' probes decide.
    if (judged.assumptions.length > 0) {
      const probed = await probeClients(ctx);
      if (probed) return probed;
    }
    return pass(
      `Only the remote office (${a.office}) may open port 80: office-pc gets in and Machine 2 is refused, ssh answers both, and ports ${listPorts(portsToKeepClosed(judged.live))} stay closed.`,
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

/** Connections from both clients to ssh and the web server, for rules the model cannot evaluate. */
async function probeClients(ctx: CheckContext): Promise<CheckResult | undefined> {
  const a = addrs(ctx.view);
  const [lan, office] = await Promise.all([
    probePorts(ctx, { from: 'machine2', to: a.m1, ports: [22, 80], expectOpen: [22] }),
    probePorts(ctx, { from: 'office-pc', to: a.m1Office, ports: [22, 80], expectOpen: [22, 80] }),
  ]);
  for (const [who, seen] of [
    ['Machine 2', lan],
    ['office-pc', office],
  ] as const) {
    for (const [port, outcome] of seen)
      if (outcome === 'unknown') return inconclusive(couldNotTest(`port ${port} from ${who}`));
  }
  if (lan.get(80) === 'open')
    return fail(`A test connection from Machine 2 to port 80 got in; only the remote office may.`);
  if (office.get(80) !== 'open')
    return fail(`A test connection from office-pc to port 80 was refused; the remote office must get in.`);
  if (lan.get(22) !== 'open' || office.get(22) !== 'open')
    return fail(
      `ssh (port 22) must still answer both clients; a test connection from ${lan.get(22) !== 'open' ? 'Machine 2' : 'office-pc'} was refused.`,
    );
  return undefined;
}

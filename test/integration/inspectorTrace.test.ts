import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirewallWatch } from '../../server/inspector/FirewallWatch';
import type { ServerMessage } from '../../server/inspector/inspectorProtocol';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { address, newSessionId, sh, testRuntime } from '../support/labRuntime';
import { until } from '../support/until';

const { runtime } = testRuntime('inspector');
let deployment: LabDeployment;
let watch: FirewallWatch;
const messages: ServerMessage[] = [];

/** Everything a learner (or a checker) could look at on Machine 1 to spot a trace. */
const LEARNER_VIEWS =
  'iptables-save; iptables-save -c; iptables -L -n -v; service iptables status; cat /proc/net/ip_tables_names 2>/dev/null; true';

beforeAll(async () => {
  deployment = await runtime.create(newSessionId(), chapterTopology);
  watch = new FirewallWatch(runtime, deployment, () => undefined);
  watch.add((m) => messages.push(m));
});
afterAll(async () => {
  watch?.close();
  if (deployment) await runtime.destroy(deployment.deploymentId);
});

describe('tracing packets on a real Machine 1', () => {
  it("reports the kernel's verdict with the file line, invisible to the learner, and leaves nothing behind", async () => {
    await until(() => messages.find((m) => m.type === 'snapshot'));
    const before = await sh(runtime, deployment, 'machine1', LEARNER_VIEWS);
    // Commented out and restarted: a ping now meets the final REJECT (line 17).
    await sh(
      runtime,
      deployment,
      'machine1',
      "sed -i 's/^-A RH-Firewall-1-INPUT -p icmp/#&/' /etc/sysconfig/iptables && service iptables restart",
    );
    await until(() =>
      [...messages]
        .reverse()
        .find(
          (m) =>
            m.type === 'snapshot' &&
            m.data.inSync &&
            !m.data.chains.some((c) => c.rules.some((r) => r.text.includes('-p icmp'))),
        ),
    );

    watch.startTrace({ from: 'machine2', protocol: 'icmp', packets: 2 });
    await until(() => messages.find((m) => m.type === 'trace' && m.state === 'running'));
    await new Promise((r) => setTimeout(r, 800));
    const during = await sh(runtime, deployment, 'machine1', LEARNER_VIEWS);
    expect(during.stdout.replace(/\[\d+:\d+\]|\d+ +\d+[KM]? /g, '')).not.toMatch(/ipl_trace|TRACE|nftrace/);

    await sh(runtime, deployment, 'machine2', `ping -c 3 -i 0.3 -W 1 ${address(deployment, 'machine1', 'lan')}`);
    const done = await until(() =>
      messages.find(
        (m): m is Extract<ServerMessage, { type: 'trace' }> => m.type === 'trace' && m.state === 'finished',
      ),
    );
    expect(done.reason).toBe('2 packets traced');
    expect(done.packets.length).toBeGreaterThanOrEqual(2);
    const last = done.packets[0]?.hops.at(-1);
    expect(last).toMatchObject({ chain: 'RH-Firewall-1-INPUT', verdict: 'REJECT', fileLine: 17 });

    // Nothing left: not in the learner's views, not in what `service iptables save` writes, not in the kernel.
    const after = await sh(
      runtime,
      deployment,
      'machine1',
      `${LEARNER_VIEWS}; service iptables save >/dev/null && cat /etc/sysconfig/iptables`,
    );
    expect(after.stdout).not.toMatch(/ipl_trace|TRACE|nftrace/);
    expect(before.stdout).not.toMatch(/ipl_trace/);
    const tables = await runtime.netnsExec(deployment, 'machine1', ['nft', 'list', 'tables']);
    expect(tables.stdout).not.toContain('ipl_trace');
  });

  it('answers what-if for both the running rules and the file', async () => {
    watch.whatIf(
      7,
      { from: 'office-pc', to: address(deployment, 'machine1', 'office'), protocol: 'tcp', port: 80, state: 'NEW' },
      (m) => messages.push(m),
    );
    const reply = await until(() =>
      messages.find((m): m is Extract<ServerMessage, { type: 'whatIf' }> => m.type === 'whatIf' && m.id === 7),
    );
    expect(reply.answers.map((a) => [a.source, a.verdict, a.deciding?.fileLine])).toEqual([
      ['running', 'ACCEPT', 15],
      ['file', 'ACCEPT', 15],
    ]);
    expect(reply.answers[0]?.path.find((s) => s.fileLine === 10)?.reason).toBe('arrives on eth1, not lo');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirewallWatch } from '../../server/inspector/FirewallWatch';
import { TraceSlots } from '../../server/inspector/TraceSlots';
import { singleServerLab } from '../../labs/iptables-single-server';
import type { ServerMessage } from '../../protocol/inspector';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { address, newSessionId, sh, testRuntime } from '../support/labRuntime';
import { until } from '../support/until';
import { hasTraceTable, machinePid, traceHelpersIn } from '../support/traceHelpers';
import { silentLog } from '../../server/log/Log';

const { runtime, namespace } = testRuntime('inspector');
let deployment: LabDeployment;
let watch: FirewallWatch;
const messages: ServerMessage[] = [];

/** Everything a learner (or a checker) could look at on Machine 1 to spot a trace. */
const LEARNER_VIEWS =
  'iptables-save; iptables-save -c; iptables -L -n -v; service iptables status; cat /proc/net/ip_tables_names 2>/dev/null; true';

beforeAll(async () => {
  deployment = await runtime.create(newSessionId(), chapterTopology);
  watch = new FirewallWatch({
    runtime,
    deployment: deployment,
    spec: singleServerLab.firewalls[0] ?? { machineId: '', rulesFile: '', service: '' },
    learnerId: 'learner-a',
    slots: new TraceSlots(4),
    log: silentLog,
  });
  watch.add((m) => messages.push(m));
});
/** A second view of Machine 1's firewall, of another learner, with its own helper places. */
function otherWatch(learnerId: string): FirewallWatch {
  return new FirewallWatch({
    runtime,
    deployment: deployment,
    spec: singleServerLab.firewalls[0] ?? { machineId: '', rulesFile: '', service: '' },
    learnerId,
    slots: new TraceSlots(4),
    log: silentLog,
  });
}

type TraceMessage = Extract<ServerMessage, { type: 'trace' }>;
const isFinished = (m: ServerMessage): m is TraceMessage => m.type === 'trace' && m.state === 'finished';

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
    // The test above saved the running rules over the file: lines are counted in the file as it is now.
    const file = (await sh(runtime, deployment, 'machine1', 'cat /etc/sysconfig/iptables')).stdout.split('\n');
    const lineOf = (text: string): number => file.findIndex((l) => l.includes(text)) + 1;
    const [web, loopback] = [lineOf('--dport 80'), lineOf('-i lo')];
    expect(web * loopback).toBeGreaterThan(0);
    // Asked again until the view has read the saved file (it reads it when it sees it change).
    const ask = async (id: number) => {
      watch.whatIf(
        id,
        { from: 'office-pc', to: address(deployment, 'machine1', 'office'), protocol: 'tcp', port: 80, state: 'NEW' },
        (m) => messages.push(m),
      );
      return until(() =>
        messages.find((m): m is Extract<ServerMessage, { type: 'whatIf' }> => m.type === 'whatIf' && m.id === id),
      );
    };
    let reply = await ask(7);
    for (let id = 8; id < 68 && !reply.answers.every((a) => a.deciding?.fileLine === web); id++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      reply = await ask(id);
    }
    expect(reply.answers.map((a) => [a.source, a.verdict, a.deciding?.fileLine])).toEqual([
      ['running', 'ACCEPT', web],
      ['file', 'ACCEPT', web],
    ]);
    expect(reply.answers[0]?.path.find((s) => s.fileLine === loopback)?.reason).toBe('arrives on eth1, not lo');
  });
});

describe('a trace on a real Machine 1, the learner elsewhere', () => {
  it('keeps tracing after its last viewer left, and shows what it caught when a viewer is back', async () => {
    const w = otherWatch('learner-away');
    const first: ServerMessage[] = [];
    const viewer = (m: ServerMessage): void => void first.push(m);
    w.add(viewer);
    await until(() => first.find((m) => m.type === 'snapshot'));
    w.startTrace({ from: 'machine2', protocol: 'icmp', packets: 2 });
    await until(() => first.find((m) => m.type === 'trace' && m.state === 'running'));
    // The learner goes to a terminal: the view closes.
    w.remove(viewer);
    await sh(runtime, deployment, 'machine2', `ping -c 3 -i 0.3 -W 1 ${address(deployment, 'machine1', 'lan')}`);
    const back: ServerMessage[] = [];
    w.add((m) => back.push(m));
    const done = await until(() => back.find(isFinished));
    w.close();
    expect(done.reason).toBe('2 packets traced');
    expect(done.packets.length).toBeGreaterThanOrEqual(2);
    expect(done.packets[0]?.fate).toMatch(/^Through INPUT then RH-Firewall-1-INPUT: (rejected|accepted) by rule \d+/);
  });

  it('leaves at most one helper for a learner who restarts the trace 100 times in 2 s, and none after', async () => {
    const pid = await machinePid(namespace, 'machine1');
    const w = otherWatch('learner-restless');
    const messages: ServerMessage[] = [];
    w.add((m) => messages.push(m));
    await until(() => messages.find((m) => m.type === 'snapshot'));
    let most = 0;
    for (let i = 0; i < 100; i++) {
      w.startTrace({ packets: 5 });
      if (i % 10 === 9) most = Math.max(most, await traceHelpersIn(pid));
      await new Promise((r) => setTimeout(r, 20));
    }
    for (let i = 0; i < 10; i++) {
      most = Math.max(most, await traceHelpersIn(pid));
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(most).toBeLessThanOrEqual(1);
    // The last one is the learner's trace, and runs.
    await until(() => [...messages].reverse().find((m) => m.type === 'trace' && m.state === 'running'));
    w.stopTrace();
    await until(() => [...messages].reverse().find((m) => m.type === 'trace' && m.state === 'finished'));
    await expect.poll(() => traceHelpersIn(pid), { timeout: 120_000 }).toBe(0);
    expect(await hasTraceTable(pid)).toBe(false);
    w.close();
    // A hundred starts and twenty looks at every process of the host: minutes when it is loaded.
  }, 300_000);

  it("shows only the packets it marked: not the learner's own TRACE rule's, nor lines forged in a comment", async () => {
    const w = otherWatch('learner-tricky');
    const messages: ServerMessage[] = [];
    w.add((m) => messages.push(m));
    await until(() => messages.find((m) => m.type === 'snapshot'));
    const forged = `x\n TRACE: 2 00000001 filter:INPUT:rule:0x9:DROP  -4 -t filter -A INPUT -j DROP`;
    await sh(
      runtime,
      deployment,
      'machine1',
      `iptables -t raw -A PREROUTING -p tcp -j TRACE && iptables -I INPUT -p icmp -m comment --comment "$(printf '${forged}')" -j ACCEPT`,
    );
    await until(() =>
      messages.find((m) => m.type === 'snapshot' && m.data.chains.some((c) => c.rules[0]?.text.includes('comment'))),
    );
    w.startTrace({ from: 'machine2', protocol: 'icmp', packets: 2 });
    await until(() => messages.find((m) => m.type === 'trace' && m.state === 'running'));
    const m1 = address(deployment, 'machine1', 'lan');
    await sh(runtime, deployment, 'machine2', `(echo > /dev/tcp/${m1}/22) 2>/dev/null; ping -c 3 -i 0.3 -W 1 ${m1}`);
    const done = await until(() => messages.find(isFinished));
    await sh(runtime, deployment, 'machine1', 'iptables -t raw -F PREROUTING && iptables -D INPUT 1');
    w.close();
    expect(done.packets.length).toBeGreaterThanOrEqual(2);
    for (const p of done.packets) {
      expect(p.summary).toMatch(/^ICMP /);
      expect(p.hops.map((h) => h.verdict)).toEqual(['ACCEPT']);
      expect(p.hops[0]?.text).toContain('--comment');
      expect(p.fate).toMatch(/^Accepted by .*INPUT.*"accept ICMP of any type"/);
    }
  });
});

describe('a rules file over 1 MiB', () => {
  it('still shows the running rules, and says the file is too big', async () => {
    const w = otherWatch('learner-big-file');
    const messages: ServerMessage[] = [];
    w.add((m) => messages.push(m));
    await until(() => messages.find((m) => m.type === 'snapshot'));
    await sh(
      runtime,
      deployment,
      'machine1',
      'cp -a /etc/sysconfig/iptables /root/rules.keep && yes "# padding" | head -c 2M >> /etc/sysconfig/iptables',
    );
    const big = await until(() =>
      [...messages]
        .reverse()
        .find(
          (m): m is Extract<ServerMessage, { type: 'snapshot' }> =>
            m.type === 'snapshot' && m.data.file.tooLarge !== undefined,
        ),
    );
    await sh(runtime, deployment, 'machine1', 'mv /root/rules.keep /etc/sysconfig/iptables');
    w.close();
    expect(big.data.chains.find((c) => c.name === 'RH-Firewall-1-INPUT')?.rules.length).toBeGreaterThan(0);
    expect(big.data.file).toMatchObject({ path: '/etc/sysconfig/iptables', tooLarge: { limitBytes: 1024 * 1024 } });
    expect(big.data.file.text).toBeUndefined();
    expect(big.data.differences.join(' ')).toContain('too large');
    expect(messages.some((m) => m.type === 'unavailable')).toBe(false);
  });
});

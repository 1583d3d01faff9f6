import dgram from 'node:dgram';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeOf } from '../../server/runtime/docker/dockerNetworks';
import { FIREWALL_TABLE } from '../../server/runtime/docker/hostFirewall';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import { newSessionId, sh, testRuntime } from '../support/labRuntime';

// Learners are root in their machines: they forge addresses (Machine 1 has NET_ADMIN) and raw
// frames (Machine 2 has NET_RAW). Nothing of it may reach the host's own stack. Every address
// used here is this machine's own.
const { runtime, namespace } = testRuntime('hfw');
let deployment: LabDeployment;
let bridge: string;
let bridgeMac: string;
let canary: dgram.Socket;
let canaryPort: number;
const received: string[] = [];

/** docker0's address (listed even while it has no carrier), else any of the host's own IPv4 addresses. */
function hostTarget(): string {
  const docker0 = /inet (\d+\.\d+\.\d+\.\d+)/.exec(
    execFileSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' })
      .split('\n')
      .find((l) => / docker0 /.test(l)) ?? '',
  );
  const any = Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .find((i) => i.family === 'IPv4' && !i.internal);
  const target = docker0?.[1] ?? any?.address;
  if (!target) throw new Error('this host has no IPv4 address to test with');
  return target;
}
const target = hostTarget();
/** A neighbour of the target in its own /24: what a learner would forge. */
const spoofed = (n: number): string => target.replace(/\.\d+$/, target.endsWith(`.${n}`) ? `.${n - 1}` : `.${n}`);

function bridgeSet(): string {
  return execFileSync('nft', ['list', 'set', 'inet', FIREWALL_TABLE, 'lab_bridges'], { encoding: 'utf8' });
}

/** Whether the bridge name is still in the firewall's sets (either family) while no lab's network has it. */
async function guardedWithoutLab(name: string): Promise<boolean> {
  const arp = execFileSync('nft', ['list', 'set', 'arp', FIREWALL_TABLE, 'lab_bridges'], { encoding: 'utf8' });
  const stayed = bridgeSet().includes(`"${name}"`) || arp.includes(`"${name}"`);
  return stayed && !(await bridgeInUse(name));
}

/** Whether some lab's Docker network (of any test namespace) now owns this bridge name. */
async function bridgeInUse(name: string): Promise<boolean> {
  const networks = await runtime.docker.listNetworks({ filters: JSON.stringify({ label: ['iptables-lab.network'] }) });
  return networks.some((n) => bridgeOf(n) === name);
}

beforeAll(async () => {
  deployment = await runtime.create(newSessionId(), chapterTopology);
  const [lan] = await runtime.docker.listNetworks({
    filters: JSON.stringify({
      label: [`iptables-lab.instance=${namespace}`, `iptables-lab.slot=${deployment.slot}`, 'iptables-lab.network=lan'],
    }),
  });
  if (!lan) throw new Error('lab has no LAN network');
  bridge = bridgeOf(lan);
  bridgeMac = readFileSync(`/sys/class/net/${bridge}/address`, 'utf8').trim();
  canary = dgram.createSocket('udp4');
  canary.on('message', (msg, from) => received.push(`${from.address}: ${msg.toString()}`));
  await new Promise<void>((resolve) => canary.bind(0, '0.0.0.0', resolve));
  canaryPort = canary.address().port;
});
afterAll(async () => {
  canary?.close();
  if (deployment) await runtime.destroy(deployment.deploymentId);
});

describe('the host firewall around lab bridges', () => {
  it('gives the lab bridge a predictable name and drops its input', () => {
    expect(bridge).toMatch(/^ipl[0-9a-f]{8}$/);
    expect(bridgeSet()).toContain(`"${bridge}"`);
  });

  it('answers no ARP and takes no datagram from Machine 1 with a forged host-network address', async () => {
    const from = spoofed(250);
    const send = `for i in 1 2 3; do echo machine1 | socat -u - UDP-SENDTO:${target}:${canaryPort},bind=${from}; sleep 0.3; done`;
    const arp = await sh(
      runtime,
      deployment,
      'machine1',
      `ip addr add ${from}/24 dev eth0 && ${send}; sleep 1; ip neigh show ${target} dev eth0`,
    );
    expect(arp.exitCode, arp.stderr).toBe(0);
    expect(arp.stdout, 'the host answered ARP on the lab bridge').not.toMatch(/lladdr/);
    // Skip ARP altogether: address the bridge's MAC directly.
    const direct = await sh(
      runtime,
      deployment,
      'machine1',
      `ip neigh replace ${target} lladdr ${bridgeMac} dev eth0 nud permanent && ${send}`,
    );
    expect(direct.exitCode, direct.stderr).toBe(0);
  });

  it('answers no ARP and takes no datagram from raw frames Machine 2 sends to the bridge', async () => {
    const from = spoofed(251);
    const udp = await sh(
      runtime,
      deployment,
      'machine2',
      `nping --udp --send-eth -e eth0 --dest-mac ${bridgeMac} -S ${from} -g 5555 -p ${canaryPort} -c 3 --delay 200ms --data-string machine2 ${target}`,
    );
    expect(udp.stdout).toMatch(/Raw packets sent: 3/);
    const arp = await sh(
      runtime,
      deployment,
      'machine2',
      `nping --arp --arp-type ARP --arp-sender-ip ${from} --arp-target-ip ${target} -e eth0 --send-eth --dest-mac ff:ff:ff:ff:ff:ff -c 2 --delay 300ms ${target}`,
    );
    expect(arp.stdout).toMatch(/Raw packets sent: 2/);
    expect(arp.stdout, 'the host answered a forged ARP request').not.toMatch(/RCVD.*ARP reply/);
  });

  it('let no datagram reach the canary socket on the host, while the lab itself still works', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(received).toEqual([]);
    const ping = await sh(runtime, deployment, 'machine2', `ping -c 1 -W 2 ${deployment.machines[0]?.addresses.lan}`);
    expect(ping.exitCode).toBe(0);
  });

  it('re-installs the rule at server start and removes it with the lab', async () => {
    execFileSync('nft', ['delete', 'element', 'inet', FIREWALL_TABLE, 'lab_bridges', `{ "${bridge}" }`]);
    await runtime.prepareHost();
    expect(bridgeSet()).toContain(`"${bridge}"`);
    await runtime.destroy(deployment.deploymentId);
    // Other suites run beside this one: the freed slot may already carry another lab's bridge of
    // the same name, which must stay guarded; and a lab of theirs that ends removes its bridge a
    // moment before its set entry. So this waits until the set and the host's networks agree.
    const verdict = async (): Promise<string> =>
      (await guardedWithoutLab(bridge)) ? `${bridge} stayed in the set with no lab using it` : 'clean';
    await expect.poll(verdict, { timeout: 120_000, interval: 250 }).toBe('clean');
  });
});

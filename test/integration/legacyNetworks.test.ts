import { afterAll, describe, expect, it } from 'vitest';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import { runtimeConfigFor } from '../support/runtimeConfig';
import { lastHostAddress, poolFor, slotAt } from '../../server/runtime/addressPool';
import { DiskLimit } from '../../server/runtime/docker/diskLimit';
import { createMachine } from '../../server/runtime/docker/dockerMachines';
import { bridgeNameFor, type CreatedNetworks } from '../../server/runtime/docker/dockerNetworks';
import { HostFirewall } from '../../server/runtime/docker/hostFirewall';
import { LABEL, resourceName } from '../../server/runtime/docker/labels';
import { waitForMachine } from '../../server/runtime/docker/waitForBoot';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { newSessionId, sh, testRuntime } from '../support/labRuntime';

// Labs made by a server from before networks belonged to address slots: their networks carry the
// lab's session label. An upgraded server must still reset and end them cleanly.
// Subnets of this test's own, so no other suite's lab competes for the slots.
const env = {
  LAB_POOL_FIRST: '41',
  LAB_POOL_LAST: '44',
  LAB_LAN_POOL: '10.96.{n}.0/24',
  LAB_OFFICE_POOL: '172.26.{n}.0/24',
};
const { runtime, namespace } = testRuntime('legacy', env);
const config = runtimeConfigFor(namespace, env);

/** A lab as the older server built it: networks of its own on `slot`, guarded, machines booted. */
async function legacyLab(slot: number): Promise<LabDeployment> {
  const session = newSessionId();
  const nets: CreatedNetworks = {
    slot: slotAt(poolFor(chapterTopology.networks, config.pool), slot),
    networks: {},
  };
  const subnets = nets.slot.subnets;
  for (const network of chapterTopology.networks) {
    const subnet = subnets[network.id] ?? '';
    const name = resourceName(namespace, session, network.id);
    const bridge = bridgeNameFor(subnet);
    await runtime.docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      Internal: true,
      Options: { 'com.docker.network.bridge.inhibit_ipv4': 'true', 'com.docker.network.bridge.name': bridge },
      IPAM: { Config: [{ Subnet: subnet, Gateway: lastHostAddress(subnet) }] },
      Labels: { [LABEL.namespace]: namespace, [LABEL.session]: session, [LABEL.network]: network.id },
    });
    nets.networks[network.id] = { name, subnet, bridge };
  }
  await new HostFirewall().protect(Object.values(nets.networks).map((n) => n.bridge));
  const disk = new DiskLimit({ docker: runtime.docker, dir: config.diskDir, sizeMb: config.diskMb });
  const machines = await Promise.all(
    chapterTopology.machines.map((machine) =>
      createMachine(
        { docker: runtime.docker, namespace, limits: config, disk },
        { deploymentId: session, machine, topology: chapterTopology, nets },
      ),
    ),
  );
  await Promise.all(machines.map((m) => waitForMachine(runtime.docker, m, 0, 60_000)));
  return {
    deploymentId: session,
    slot,
    networks: chapterTopology.networks.map((n) => ({ id: n.id, label: n.label, subnet: subnets[n.id] ?? '' })),
    machines,
    createdAt: Date.now(),
  };
}

async function sessionNetworks(session: string): Promise<string[]> {
  const networks = await runtime.docker.listNetworks({
    filters: JSON.stringify({ label: [`${LABEL.namespace}=${namespace}`, `${LABEL.session}=${session}`] }),
  });
  return networks.map((n) => n.Name);
}

afterAll(async () => {
  await runtime.removeOrphans(new Set());
  await runtime.close();
});

describe('a lab made before networks belonged to address slots', () => {
  it('is reset on its own addresses: its networks make way for the slot networks', async () => {
    const deployment = await legacyLab(42);
    expect(await sessionNetworks(deployment.deploymentId)).toHaveLength(2);
    await sh(runtime, deployment, 'machine1', 'echo old > /root/reset-note');

    const fresh = await runtime.reset(deployment, chapterTopology);
    expect(fresh.slot).toBe(42);
    expect(fresh.machines.map((m) => m.addresses)).toEqual(deployment.machines.map((m) => m.addresses));
    expect(await sessionNetworks(deployment.deploymentId)).toEqual([]);
    expect((await sh(runtime, fresh, 'machine1', 'cat /root/reset-note 2>/dev/null || echo none')).stdout).toBe(
      'none\n',
    );
    const ping = await sh(runtime, fresh, 'machine2', `ping -c 1 -W 2 ${fresh.machines[0]?.addresses.lan ?? ''}`);
    expect(ping.exitCode).toBe(0);
    await runtime.destroy(fresh.deploymentId);
  });

  it('is ended with its networks', async () => {
    const deployment = await legacyLab(43);
    await runtime.destroy(deployment.deploymentId);
    expect(await sessionNetworks(deployment.deploymentId)).toEqual([]);
    expect(await runtime.list()).not.toContain(deployment.deploymentId);
  });
});

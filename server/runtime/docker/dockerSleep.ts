import { errorMessage } from '../../log/errorMessage';
import type Docker from 'dockerode';
import { MachineGone, type LabDeployment, type LabMachine } from '../LabRuntime';
import type { Topology } from '../../../labkit/topology';
import type { PoolConfig } from '../addressPool';
import type { CreatedNetworks } from './dockerNetworks';
import { addressesOf, endpointFor, hostsFile } from './dockerMachines';
import { execInContainer } from './dockerExec';
import { isMissing } from './ignoreMissing';
import { disconnectMachines, removeSessionNetworks } from './labNetworkSet';
import type { HostFirewall } from './hostFirewall';
import type { SlotNetworks } from './slotNetworks';
import { startMachine, stopMachine } from './sleepWake';
import { slotNumber } from './slotPlacement';
import { untimed, type PhaseClock } from './phaseClock';

export interface SleepDeps {
  docker: Docker;
  namespace: string;
  firewall: HostFirewall;
  slots: SlotNetworks;
  readyTimeoutMs: number;
  /** Runs `action` while the container's stop is expected (no "stopped unexpectedly" news). */
  expectingStop: (containerId: string, action: () => Promise<void>) => Promise<void>;
  clock?: PhaseClock;
  /** A machine's container just started (its shell can start beside the boot). */
  onStarted?: (machine: LabMachine) => void;
}

/**
 * Stops the machines (their disks stay) and takes them off the lab's networks, so a sleeping
 * lab holds no address slot. A machine already gone is no reason to fail.
 */
export async function sleepLab(deps: SleepDeps, deployment: LabDeployment): Promise<void> {
  const { docker } = deps;
  await Promise.all(
    deployment.machines.map((m) =>
      deps.expectingStop(m.ref, () =>
        stopMachine(docker.getContainer(m.ref)).catch((error: unknown) => {
          if (!isMissing(error)) throw error;
        }),
      ),
    ),
  );
  await disconnectMachines(
    docker,
    deployment.machines.map((m) => m.ref),
  );
  await removeSessionNetworks(deps, deployment.deploymentId);
  await deps.slots.release(slotNumber(deployment.slot));
}

/** The lab as it is on `nets`: the same machines, with the addresses of that slot. */
export function labOnNetworks(deployment: LabDeployment, topology: Topology, nets: CreatedNetworks): LabDeployment {
  return {
    ...deployment,
    slot: nets.slot.n,
    networks: topology.networks.map((n) => ({ id: n.id, label: n.label, subnet: nets.networks[n.id]?.subnet ?? '' })),
    machines: deployment.machines.map((m) => {
      const spec = topology.machines.find((s) => s.id === m.id);
      return spec ? { ...m, addresses: addressesOf(spec, nets) } : m;
    }),
  };
}

/**
 * Networks back (the old slot when free), each machine reconnected with its fixed addresses,
 * then booted. When the slot changed, each machine's /etc/hosts is rewritten for the new
 * addresses. Throws MachineGone before touching anything when a machine no longer exists.
 */
export async function wakeLab(
  deps: SleepDeps,
  deployment: LabDeployment,
  topology: Topology,
  pool: PoolConfig,
): Promise<LabDeployment> {
  const { docker, clock = untimed } = deps;
  const infos = await Promise.all(
    deployment.machines.map((m) =>
      docker
        .getContainer(m.ref)
        .inspect()
        .catch((error: unknown) => {
          throw isMissing(error) ? new MachineGone(m.id) : error;
        }),
    ),
  );
  const nets = await clock('slot', () =>
    deps.slots.claim(
      pool,
      slotNumber(deployment.slot),
      deployment.machines.map((m) => m.ref),
    ),
  );
  const woken = labOnNetworks(deployment, topology, nets);
  const booted = (async () => {
    await clock('connect', () =>
      Promise.all(woken.machines.map((m, i) => connect(docker, m, infos[i], { topology, nets }))),
    );
    await Promise.all(
      woken.machines.map((m) =>
        startMachine(docker.getContainer(m.ref), deps.readyTimeoutMs, clock, () => deps.onStarted?.(m)).catch(
          (error: unknown) => {
            throw new Error(`${m.id}: ${errorMessage(error)}`, { cause: error });
          },
        ),
      ),
    );
  })().finally(() => deps.slots.settle(nets.slot.n));
  try {
    await booted;
  } catch (error) {
    // Back to a clean sleep, so the slot is free again and a later wake starts over.
    await sleepLab(deps, woken).catch(() => undefined);
    throw error;
  }
  if (nets.slot.n !== deployment.slot)
    await Promise.all(woken.machines.map((m) => rewriteHosts(docker, m, { topology, nets })));
  return woken;
}

/** Attaches the machine to each of its networks it is not on yet, in NIC order (eth0, eth1…). */
/** Where a lab's machines now are: its topology on a slot's networks. */
interface OnNetworks {
  topology: Topology;
  nets: CreatedNetworks;
}

async function connect(
  docker: Docker,
  machine: LabMachine,
  info: Docker.ContainerInspectInfo | undefined,
  { topology, nets }: OnNetworks,
): Promise<void> {
  const spec = topology.machines.find((s) => s.id === machine.id);

  const attached = new Set(Object.keys(info?.NetworkSettings.Networks ?? {}));
  for (const nic of spec?.nics ?? []) {
    const net = nets.networks[nic.network];
    if (!net || attached.has(net.name)) continue;
    await docker
      .getNetwork(net.name)
      .connect({ Container: machine.ref, EndpointConfig: endpointFor(machine.id, machine.addresses[nic.network]) });
  }
}

async function rewriteHosts(docker: Docker, machine: LabMachine, { topology, nets }: OnNetworks): Promise<void> {
  const spec = topology.machines.find((s) => s.id === machine.id);
  if (!spec) return;
  const result = await execInContainer(docker.getContainer(machine.ref), ['sh', '-c', 'cat > /etc/hosts'], {
    stdin: hostsFile(spec, topology, nets),
  });
  if (result.exitCode !== 0) throw new Error(`${machine.id}: could not update /etc/hosts: ${result.stderr.trim()}`);
}

import type Docker from 'dockerode';
import type { LabDeployment, LabMachine } from '../LabRuntime';
import type { Topology } from '../../../labkit/topology';
import { prepareMachine, startPrepared, type MachineHost } from './dockerMachines';
import type { CreatedNetworks } from './dockerNetworks';
import { ignoreMissing } from './ignoreMissing';
import { namespaceFilter, resourceName } from './labels';
import type { PhaseClock } from './phaseClock';
import { waitForMachine } from './waitForBoot';

/** What building a deployment needs of the runtime. */
export interface BuildHost extends MachineHost {
  readyTimeoutMs: number;
  /** Runs `action` while the container's stop is expected (no "stopped unexpectedly" news). */
  expectingStop: (containerId: string, action: () => Promise<void>) => Promise<void>;
  /**
   * A machine's container just started: its learner shell can start in the background, beside
   * the boot (the boot script leaves the shell's directory alone), so it is ready with the machine.
   */
  onStarted: (machine: LabMachine) => void;
}

/** What to build: a deployment's machines for its topology, on networks already made. */
export interface BuildRequest {
  deploymentId: string;
  topology: Topology;
  nets: CreatedNetworks;
  clock: PhaseClock;
}

/** Machines on the lab's networks, each started as soon as it is made, all booted. */
export async function buildDeployment(
  host: BuildHost,
  { deploymentId, topology, nets, clock }: BuildRequest,
): Promise<LabDeployment> {
  const machines = await Promise.all(
    topology.machines.map(async (machine) => {
      const made = await prepareMachine(host, { deploymentId, machine, topology, nets, clock });
      await boot(host, made, clock);
      return made;
    }),
  );
  return onNetworks(deploymentId, topology, nets, machines);
}

/**
 * Make before break: the fresh machines are created and wired beside the old ones, which keep
 * running (Docker gives the fixed addresses only at the start); then the old ones go and the
 * fresh ones start on the same addresses. The learner waits for a removal and a boot, not for
 * Docker to create containers and disks.
 */
export async function replaceMachines(
  host: BuildHost,
  { deploymentId, topology, nets, clock }: BuildRequest,
): Promise<LabDeployment> {
  const filters = JSON.stringify(namespaceFilter(host.namespace, deploymentId));
  const old = await host.docker.listContainers({ all: true, filters });
  // A name of its own: the old machine still has the lab's name, and its disk is named after it.
  const generation = Date.now().toString(36);
  const machines = await Promise.all(
    topology.machines.map((machine) =>
      prepareMachine(host, {
        deploymentId,
        machine,
        topology,
        nets,
        clock,
        name: resourceName(host.namespace, deploymentId, `${machine.id}-${generation}`),
      }),
    ),
  );
  await clock('remove', () => removeContainers(host, old));
  await Promise.all([
    ...machines.map((m) => boot(host, m, clock)),
    // The old disks are unmounted and deleted while the fresh machines boot.
    ...old.map((c) => host.disk.disks.release(containerName(c))),
  ]);
  return onNetworks(deploymentId, topology, nets, machines);
}

async function boot(host: BuildHost, machine: LabMachine, clock: PhaseClock): Promise<void> {
  await startPrepared(host.docker, machine, clock);
  host.onStarted(machine);
  await clock('boot', () => waitForMachine(host.docker, machine, 0, host.readyTimeoutMs));
}

/** The containers only: their terminal volumes are the fresh machines' too. */
async function removeContainers(host: BuildHost, containers: readonly Docker.ContainerInfo[]): Promise<void> {
  await Promise.all(
    containers.map((c) =>
      host.expectingStop(c.Id, () => host.docker.getContainer(c.Id).remove({ force: true }).catch(ignoreMissing)),
    ),
  );
}

function containerName(c: Docker.ContainerInfo): string {
  return (c.Names[0] ?? '').replace(/^\//, '');
}

function onNetworks(
  deploymentId: string,
  topology: Topology,
  nets: CreatedNetworks,
  machines: LabMachine[],
): LabDeployment {
  return {
    deploymentId,
    slot: nets.slot.n,
    networks: topology.networks.map((n) => ({ id: n.id, label: n.label, subnet: nets.networks[n.id]?.subnet ?? '' })),
    machines,
    createdAt: Date.now(),
  };
}

import type { CreateOptions, LabDeployment, LabMachine } from '../LabRuntime';
import type { Topology } from '../../../labkit/topology';
import { poolFor, type PoolConfig, type PoolSettings } from '../addressPool';
import { buildDeployment, replaceMachines, type BuildHost } from './buildDeployment';
import type { MachineHost } from './dockerMachines';
import type { CreatedNetworks } from './dockerNetworks';
import { sleepLab, wakeLab, type SleepDeps } from './dockerSleep';
import type { ExpectedStops } from './expectedStops';
import type { HostFirewall } from './hostFirewall';
import { ignoreMissing } from './ignoreMissing';
import { clearSessionNetworks, removeSessionNetworks } from './labNetworkSet';
import { assertSessionId, namespaceFilter, resourceName } from './labels';
import type { MachineShells } from './machineShells';
import { phaseClock, type PhaseClock, type PhaseListener } from './phaseClock';
import type { SlotNetworks } from './slotNetworks';
import { slotNumber } from './slotPlacement';

/** What making, sleeping and removing deployments needs of the runtime. */
export interface DeploymentsHost extends MachineHost {
  firewall: HostFirewall;
  slots: SlotNetworks;
  shells: MachineShells;
  stops: ExpectedStops;
  pool: PoolSettings;
  readyTimeoutMs: number;
  phases: PhaseListener | undefined;
}

/**
 * Deployments on their address slots: each is made on a slot it claims (a warm spare's when one
 * is ready), remade on the same slot by a reset, gives its slot back asleep and claims one again
 * awake, and is removed with its slot given back.
 */
export class Deployments {
  constructor(private readonly host: DeploymentsHost) {}

  async create(deploymentId: string, topology: Topology, options: CreateOptions = {}): Promise<LabDeployment> {
    assertSessionId(deploymentId);
    const { slots } = this.host;
    const pool = this.poolFor(topology);
    const nets = await this.clock(deploymentId)('slot', () =>
      slots.claim(pool, options.slot === undefined ? undefined : slotNumber(options.slot)),
    );
    const deployment = await this.onClaimed(deploymentId, nets, () =>
      buildDeployment(this.buildHost(deploymentId), {
        deploymentId,
        topology,
        nets,
        clock: this.clock(deploymentId),
      }),
    );
    slots.refill(pool);
    return deployment;
  }

  /**
   * The slot is claimed before the old machines go, so nobody can take it in between; the fresh
   * machines are made while the old ones still run (replaceMachines).
   */
  async reset(deployment: LabDeployment, topology: Topology): Promise<LabDeployment> {
    const id = deployment.deploymentId;
    await clearSessionNetworks(this.host, id, () => this.removeMachines(id));
    const clock = this.clock(id);
    const nets = await clock('slot', () =>
      this.host.slots.claim(
        this.poolFor(topology),
        slotNumber(deployment.slot),
        deployment.machines.map((m) => m.ref),
      ),
    );
    return this.onClaimed(id, nets, () =>
      replaceMachines(this.buildHost(id), { deploymentId: id, topology, nets, clock }),
    );
  }

  async sleep(deployment: LabDeployment): Promise<void> {
    await sleepLab(this.sleepDeps(), deployment);
  }

  async wake(deployment: LabDeployment, topology: Topology): Promise<LabDeployment> {
    const id = deployment.deploymentId;
    const clock = this.clock(id);
    const onStarted = (machine: LabMachine): void => this.host.shells.prepare(id, machine, clock);
    const pool = this.poolFor(topology);
    const woken = await wakeLab({ ...this.sleepDeps(), clock, onStarted }, deployment, topology, pool);
    this.host.slots.refill(pool);
    return woken;
  }

  async destroy(deploymentId: string): Promise<void> {
    const slot = await this.removeMachines(deploymentId);
    await removeSessionNetworks(this.host, deploymentId);
    if (slot !== undefined) await this.host.slots.release(slot);
  }

  /** Builds on a claimed slot; on failure the half-made lab goes and the slot is given back. */
  private async onClaimed<T>(deploymentId: string, nets: CreatedNetworks, build: () => Promise<T>): Promise<T> {
    // Settled either way before anything else: a release skips a slot still held.
    const built = build().finally(() => this.host.slots.settle(nets.slot.n));
    try {
      return await built;
    } catch (error) {
      await this.destroy(deploymentId).catch(() => undefined);
      await this.host.slots.release(nets.slot.n).catch(() => undefined);
      throw error;
    }
  }

  /** The lab's containers, their terminal volumes and disks; returns the slot they were on. */
  private async removeMachines(deploymentId: string): Promise<number | undefined> {
    const { docker, namespace, slots, stops } = this.host;
    const { disks } = this.host.disk;
    const filters = JSON.stringify(namespaceFilter(namespace, deploymentId));
    const containers = await docker.listContainers({ all: true, filters });
    const slot = await slots.slotOf(containers.flatMap((c) => Object.keys(c.NetworkSettings.Networks)));
    await Promise.all(
      containers.map((c) =>
        stops.during(c.Id, () => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreMissing)),
      ),
    );
    const volumes = await docker.listVolumes({ filters });
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- Docker sends null Volumes and Labels, whatever the types say
    await Promise.all((volumes.Volumes ?? []).map((v) => docker.getVolume(v.Name).remove().catch(ignoreMissing)));
    const names = await disks.names(resourceName(namespace, deploymentId, ''));
    await Promise.all(names.map((name) => disks.release(name)));
    return slot;
  }

  private buildHost(deploymentId: string): BuildHost {
    const clock = this.clock(deploymentId);
    return {
      ...this.host,
      expectingStop: (id, action) => this.host.stops.during(id, action),
      onStarted: (machine) => this.host.shells.prepare(deploymentId, machine, clock),
    };
  }

  private sleepDeps(): SleepDeps {
    return { ...this.host, expectingStop: (id, action) => this.host.stops.during(id, action) };
  }

  private clock(deploymentId: string): PhaseClock {
    return phaseClock(deploymentId, this.host.phases);
  }

  private poolFor(topology: Topology): PoolConfig {
    return poolFor(topology.networks, this.host.pool);
  }
}

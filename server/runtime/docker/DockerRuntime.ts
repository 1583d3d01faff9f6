import { errorMessage } from '../../log/errorMessage';
import Docker from 'dockerode';
import {
  HostAccessUnavailable,
  type CreateOptions,
  type RuntimeEvent,
  type ExecOptions,
  type ExecResult,
  type HostExecOptions,
  type LabDeployment,
  type LabMachine,
  type LabRuntime,
  type MachineFile,
  type RuntimeCapabilities,
  type TerminalSize,
  type TerminalStream,
} from '../LabRuntime';
import type { Topology } from '../../../labkit/topology';
import type { MachineLimits } from './dockerMachines';
import { buildDeployment, replaceMachines, type BuildHost } from './buildDeployment';
import { phaseClock, type PhaseClock, type PhaseListener } from './phaseClock';
import type { CreatedNetworks } from './dockerNetworks';
import { clearSessionNetworks, removeSessionNetworks } from './labNetworkSet';
import { SlotNetworks } from './slotNetworks';
import { sleepLab, wakeLab, type SleepDeps } from './dockerSleep';
import { ignoreMissing } from './ignoreMissing';
import { listLabs } from './listLabs';
import { DiskLimit } from './diskLimit';
import { SpareDisks } from './spareDisks';
import { DockerEventWatcher } from './dockerEvents';
import { HostFirewall } from './hostFirewall';
import { execInContainer } from './dockerExec';
import { ContainerPids, spawnInNetns } from './netnsExec';
import { HostSpawner } from './hostSpawner';
import { readContainerFile } from './readContainerFile';
import { readFileInRoot } from './readFileInRoot';
import { MachineShells } from './machineShells';
import { assertSessionId, namespaceFilter, resourceName } from './labels';
import { protectNamespaceNetworks, reattachHost } from './reattachHost';
import { bootCount, waitForMachine } from './waitForBoot';
import { poolFor, type PoolConfig, type PoolSettings } from '../addressPool';
import { slotNumber } from './slotPlacement';
import type { RuntimeConfig } from '../../config';
import type { Log } from '../../log/Log';

export interface DockerRuntimeOptions extends MachineLimits {
  socketPath: string;
  namespace: string;
  pool: PoolSettings;
  /** Each machine's disk cap, and where its disk image lives when Docker cannot cap it itself. */
  diskMb: number;
  diskDir: string;
  /** Machine disks formatted ahead of need, at most (0: each machine formats its own). */
  spareDisks?: number;
  /** Free address slots whose networks stay ready for the next lab (0: every lab creates its own). */
  spareNetworks?: number;
  /** Host-side reads spawned by a helper process, off the server's event loop (default true). */
  hostSpawner?: boolean;
  /** How long a machine may take to answer its first exec. */
  readyTimeoutMs?: number;
  /** Where the runtime reports what it works around (e.g. a terminal falling back to docker exec). */
  log?: Log;
  /** Hears how long each phase of making, resetting and waking a lab took (benchmarks). */
  phases?: PhaseListener;
}

/** Every capability: the server runs on the Docker host, so it can reach into a machine's namespaces. */
export class DockerRuntime implements LabRuntime {
  readonly capabilities: Required<RuntimeCapabilities> = { sleep: this, hostNetns: this, hostSetup: this };
  readonly docker: Docker;
  private readonly pids: ContainerPids;
  private readonly spawner: HostSpawner | undefined;
  private readonly firewall = new HostFirewall();
  private readonly disk: DiskLimit;
  private readonly spareDisks: SpareDisks;
  private readonly events: DockerEventWatcher;
  /** Containers this runtime is stopping or removing itself, so their death is no news. */
  private readonly stopping = new Set<string>();
  private readonly slots: SlotNetworks;
  private readonly shells: MachineShells;

  /** The runtime main.ts, scripts and tests use: the runtime settings loadConfig made, as they are. */
  static fromConfig(config: RuntimeConfig, log?: Log): DockerRuntime {
    const { namespace, ...settings } = config;
    return new DockerRuntime({ ...settings, namespace, log });
  }

  constructor(private readonly options: DockerRuntimeOptions) {
    this.docker = new Docker({ socketPath: options.socketPath });
    this.shells = new MachineShells(this.docker, options.namespace, options.log);
    this.slots = new SlotNetworks({
      docker: this.docker,
      namespace: options.namespace,
      firewall: this.firewall,
      spares: options.spareNetworks ?? 0,
      log: options.log,
    });
    this.spareDisks = new SpareDisks({
      dir: options.diskDir,
      namespace: options.namespace,
      sizeMb: options.diskMb,
      size: options.spareDisks ?? 0,
      log: options.log,
    });
    this.disk = new DiskLimit({
      docker: this.docker,
      dir: options.diskDir,
      sizeMb: options.diskMb,
      log: options.log,
      spares: this.spareDisks,
    });
    this.events = new DockerEventWatcher(this.docker, options.namespace, (id) => this.stopping.has(id));
    this.pids = new ContainerPids(this.docker);
    this.spawner = options.hostSpawner === false ? undefined : new HostSpawner();
  }

  async create(deploymentId: string, topology: Topology, options: CreateOptions = {}): Promise<LabDeployment> {
    assertSessionId(deploymentId);
    const pool = this.poolFor(topology);
    const nets = await this.clock(deploymentId)('slot', () =>
      this.slots.claim(pool, options.slot === undefined ? undefined : slotNumber(options.slot)),
    );
    const deployment = await this.onClaimed(deploymentId, nets, () => this.build(deploymentId, topology, nets));
    this.slots.refill(pool);
    return deployment;
  }

  /** Builds on a claimed slot; on failure the half-made lab goes and the slot is given back. */
  private async onClaimed<T>(deploymentId: string, nets: CreatedNetworks, build: () => Promise<T>): Promise<T> {
    // Settled either way before anything else: a release skips a slot still held.
    const built = build().finally(() => this.slots.settle(nets.slot.n));
    try {
      return await built;
    } catch (error) {
      await this.destroy(deploymentId).catch(() => undefined);
      await this.slots.release(nets.slot.n).catch(() => undefined);
      throw error;
    }
  }

  /** Machines on the lab's networks, booted, with their shells starting in the background. */
  private async build(deploymentId: string, topology: Topology, nets: CreatedNetworks): Promise<LabDeployment> {
    return buildDeployment(this.buildHost(deploymentId), {
      deploymentId,
      topology,
      nets,
      clock: this.clock(deploymentId),
    });
  }

  // async, so an unknown machine is a rejected promise like every other failure, never a throw.
  async exec(
    deployment: LabDeployment,
    machineId: string,
    command: string[],
    options?: ExecOptions,
  ): Promise<ExecResult> {
    return execInContainer(this.container(deployment, machineId), command, options);
  }

  async netnsExec(
    deployment: LabDeployment,
    machineId: string,
    command: string[],
    options?: HostExecOptions,
  ): Promise<ExecResult> {
    const pid = await this.pids.pid(this.machine(deployment, machineId).ref);
    // Streams (a monitor) are few and long: spawned here. Short reads go through the spawner.
    if (this.spawner && !options?.onStdout) return this.spawner.run(pid, command, options);
    return spawnInNetns(pid, command, options);
  }

  /** Host-side through the container's root when possible; Docker's archive API otherwise. */
  async readFile(deployment: LabDeployment, machineId: string, path: string): Promise<MachineFile | undefined> {
    const ref = this.machine(deployment, machineId).ref;
    const pid = await this.pids.pid(ref).catch(() => undefined);
    if (pid !== undefined) {
      try {
        const root = `/proc/${pid}/root`;
        return await (this.spawner ? this.spawner.readFile(root, path) : readFileInRoot(root, path));
      } catch (error) {
        if (!(error instanceof HostAccessUnavailable)) throw error;
      }
    }
    return readContainerFile(this.container(deployment, machineId), path);
  }

  async openTerminal(deployment: LabDeployment, machineId: string, size: TerminalSize): Promise<TerminalStream> {
    return this.shells.open(deployment.deploymentId, this.machine(deployment, machineId), size);
  }

  async restart(deployment: LabDeployment, machineId: string): Promise<void> {
    const machine = this.machine(deployment, machineId);
    const container = this.docker.getContainer(machine.ref);
    // A reboot, not a graceful shutdown: lab machines hold nothing worth waiting for.
    const previousBoots = await bootCount(container);
    await this.expectingStop(machine.ref, async () => {
      await container.restart({ t: 0 });
      await waitForMachine(this.docker, machine, previousBoots, this.readyTimeoutMs);
    });
    this.shells.prepare(deployment.deploymentId, machine);
  }

  async sleep(deployment: LabDeployment): Promise<void> {
    await sleepLab(this.sleepDeps(), deployment);
  }

  async wake(deployment: LabDeployment, topology: Topology): Promise<LabDeployment> {
    const clock = this.clock(deployment.deploymentId);
    const onStarted = (machine: LabMachine): void => this.shells.prepare(deployment.deploymentId, machine, clock);
    const woken = await wakeLab(
      { ...this.sleepDeps(), clock, onStarted },
      deployment,
      topology,
      this.poolFor(topology),
    );
    this.slots.refill(this.poolFor(topology));
    return woken;
  }

  /**
   * The slot is claimed before the old machines go, so nobody can take it in between; the fresh
   * machines are made while the old ones still run (replaceMachines).
   */
  async reset(deployment: LabDeployment, topology: Topology): Promise<LabDeployment> {
    const id = deployment.deploymentId;
    await clearSessionNetworks(this.sleepDeps(), id, () => this.removeMachines(id));
    const clock = this.clock(id);
    const nets = await clock('slot', () =>
      this.slots.claim(
        this.poolFor(topology),
        slotNumber(deployment.slot),
        deployment.machines.map((m) => m.ref),
      ),
    );
    return this.onClaimed(id, nets, () =>
      replaceMachines(this.buildHost(id), { deploymentId: id, topology, nets, clock }),
    );
  }

  async ping(): Promise<void> {
    await this.docker.ping();
  }

  /**
   * An engine that comes back is announced once its bridges are guarded again, spare slots'
   * included; if they cannot be, it is not (fail closed: no machine starts on an unguarded bridge).
   */
  watch(listener: (event: RuntimeEvent) => void): () => void {
    return this.events.watch((event) => {
      if (event.type !== 'engine-up') return listener(event);
      protectNamespaceNetworks(this.docker, this.options.namespace, this.firewall).then(
        () => listener(event),
        (error: unknown) =>
          this.options.log?.(`engine back, but its bridges could not be guarded: ${errorMessage(error)}`),
      );
    });
  }

  async revive(deployment: LabDeployment): Promise<void> {
    await Promise.all(
      deployment.machines.map(async (machine) => {
        const info = await this.docker.getContainer(machine.ref).inspect();
        if (!info.State.Running) await this.restart(deployment, machine.id);
      }),
    );
  }

  /** Runs `action`, during which (and a little after: events arrive late) the container's death is expected. */
  private async expectingStop<T>(containerId: string, action: () => Promise<T>): Promise<T> {
    this.stopping.add(containerId);
    try {
      return await action();
    } finally {
      setTimeout(() => this.stopping.delete(containerId), 5000).unref();
    }
  }

  async destroy(deploymentId: string): Promise<void> {
    const slot = await this.removeMachines(deploymentId);
    await removeSessionNetworks(this.sleepDeps(), deploymentId);
    if (slot !== undefined) await this.slots.release(slot);
  }

  /** Machine disks formatted ahead of need and ready to take now. */
  get spareDisksReady(): number {
    return this.spareDisks.readyCount;
  }

  /** Spare networks and spare disks go; labs stay. */
  async close(): Promise<void> {
    this.spawner?.close();
    // Both finish whatever the other does: a failed network removal must not cut the disks' short
    // (the server exits once this settles).
    const [networks, disks] = await Promise.allSettled([this.slots.trim(0), this.spareDisks.close()]);
    for (const done of [networks, disks]) if (done.status === 'rejected') throw done.reason;
  }

  /** The lab's containers, their terminal volumes and disks; returns the slot they were on. */
  private async removeMachines(deploymentId: string): Promise<number | undefined> {
    const filters = JSON.stringify(namespaceFilter(this.options.namespace, deploymentId));
    const containers = await this.docker.listContainers({ all: true, filters });
    const slot = await this.slots.slotOf(containers.flatMap((c) => Object.keys(c.NetworkSettings.Networks)));
    await Promise.all(
      containers.map((c) =>
        this.expectingStop(c.Id, () =>
          this.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreMissing),
        ),
      ),
    );
    const volumes = await this.docker.listVolumes({ filters });
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- Docker sends null Volumes and Labels, whatever the types say
    await Promise.all((volumes.Volumes ?? []).map((v) => this.docker.getVolume(v.Name).remove().catch(ignoreMissing)));
    const disks = await this.disk.disks.names(resourceName(this.options.namespace, deploymentId, ''));
    await Promise.all(disks.map((name) => this.disk.disks.release(name)));
    return slot;
  }

  async prepareHost(): Promise<void> {
    await reattachHost({
      docker: this.docker,
      namespace: this.options.namespace,
      firewall: this.firewall,
      disks: this.disk.disks,
      log: this.options.log,
    });
    // Spare disks a previous run left (a crash, kill -9) are of unknown state: they go.
    await Promise.all([this.slots.trim(), this.spareDisks.reap()]);
  }

  async list(): Promise<string[]> {
    return listLabs(this.docker, this.options.namespace, this.disk.disks);
  }

  async removeOrphans(known: ReadonlySet<string>): Promise<string[]> {
    const orphans = (await this.list()).filter((id) => !known.has(id));
    await Promise.all(orphans.map((id) => this.destroy(id)));
    return orphans;
  }

  private buildHost(deploymentId: string): BuildHost {
    const clock = this.clock(deploymentId);
    return {
      docker: this.docker,
      namespace: this.options.namespace,
      limits: this.options,
      disk: this.disk,
      readyTimeoutMs: this.readyTimeoutMs,
      expectingStop: (id, action) => this.expectingStop(id, action),
      onStarted: (machine) => this.shells.prepare(deploymentId, machine, clock),
    };
  }

  private clock(deploymentId: string): PhaseClock {
    return phaseClock(deploymentId, this.options.phases);
  }

  private get readyTimeoutMs(): number {
    return this.options.readyTimeoutMs ?? 20_000;
  }

  private poolFor(topology: Topology): PoolConfig {
    return poolFor(topology.networks, this.options.pool);
  }

  private sleepDeps(): SleepDeps {
    return {
      docker: this.docker,
      namespace: this.options.namespace,
      firewall: this.firewall,
      slots: this.slots,
      readyTimeoutMs: this.readyTimeoutMs,
      expectingStop: (id, action) => this.expectingStop(id, action),
    };
  }

  private machine(deployment: LabDeployment, machineId: string): LabMachine {
    const machine = deployment.machines.find((m) => m.id === machineId);
    if (!machine) throw new Error(`unknown machine "${machineId}"`);
    return machine;
  }

  private container(deployment: LabDeployment, machineId: string): Docker.Container {
    return this.docker.getContainer(this.machine(deployment, machineId).ref);
  }
}

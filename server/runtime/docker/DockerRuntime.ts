import { errorMessage } from '../../log/errorMessage';
import Docker from 'dockerode';
import type {
  CreateOptions,
  HostNetnsCapability,
  LabDeployment,
  LabRuntime,
  RuntimeCapabilities,
  RuntimeEvent,
} from '../LabRuntime';
import type { Topology } from '../../../labkit/topology';
import type { MachineLimits } from './dockerMachines';
import type { PhaseListener } from './phaseClock';
import { SlotNetworks } from './slotNetworks';
import { listLabs } from './listLabs';
import { DiskLimit } from './diskLimit';
import { SpareDisks } from './spareDisks';
import { DockerEventWatcher } from './dockerEvents';
import { HostFirewall } from './hostFirewall';
import { ContainerPids } from './netnsExec';
import { HostSpawner } from './hostSpawner';
import { MachineShells } from './machineShells';
import { MachineAccess, machineOf } from './machineAccess';
import { ExpectedStops } from './expectedStops';
import { Deployments } from './deployments';
import { protectNamespaceNetworks, reattachHost } from './reattachHost';
import { bootCount, waitForMachine } from './waitForBoot';
import type { PoolSettings } from '../addressPool';
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
  private readonly spawner: HostSpawner | undefined;
  private readonly firewall = new HostFirewall();
  private readonly disk: DiskLimit;
  private readonly spareDisks: SpareDisks;
  private readonly events: DockerEventWatcher;
  private readonly stops = new ExpectedStops();
  private readonly slots: SlotNetworks;
  private readonly shells: MachineShells;
  private readonly access: MachineAccess;
  private readonly deployments: Deployments;

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
    this.events = new DockerEventWatcher(this.docker, options.namespace, (id) => this.stops.has(id));
    this.spawner = options.hostSpawner === false ? undefined : new HostSpawner();
    this.access = new MachineAccess(this.docker, new ContainerPids(this.docker), this.shells, this.spawner);
    this.deployments = new Deployments({
      docker: this.docker,
      namespace: options.namespace,
      limits: options,
      disk: this.disk,
      firewall: this.firewall,
      slots: this.slots,
      shells: this.shells,
      stops: this.stops,
      pool: options.pool,
      readyTimeoutMs: this.readyTimeoutMs,
      phases: options.phases,
    });
  }

  async create(deploymentId: string, topology: Topology, options?: CreateOptions): Promise<LabDeployment> {
    return this.deployments.create(deploymentId, topology, options);
  }

  exec(...args: Parameters<LabRuntime['exec']>): ReturnType<LabRuntime['exec']> {
    return this.access.exec(...args);
  }

  netnsExec(...args: Parameters<HostNetnsCapability['netnsExec']>): ReturnType<HostNetnsCapability['netnsExec']> {
    return this.access.netnsExec(...args);
  }

  readFile(...args: Parameters<LabRuntime['readFile']>): ReturnType<LabRuntime['readFile']> {
    return this.access.readFile(...args);
  }

  openTerminal(...args: Parameters<LabRuntime['openTerminal']>): ReturnType<LabRuntime['openTerminal']> {
    return this.access.openTerminal(...args);
  }

  async restart(deployment: LabDeployment, machineId: string): Promise<void> {
    const machine = machineOf(deployment, machineId);
    const container = this.docker.getContainer(machine.ref);
    // A reboot, not a graceful shutdown: lab machines hold nothing worth waiting for.
    const previousBoots = await bootCount(container);
    await this.stops.during(machine.ref, async () => {
      await container.restart({ t: 0 });
      await waitForMachine(this.docker, machine, previousBoots, this.readyTimeoutMs);
    });
    this.shells.prepare(deployment.deploymentId, machine);
  }

  async sleep(deployment: LabDeployment): Promise<void> {
    await this.deployments.sleep(deployment);
  }

  async wake(deployment: LabDeployment, topology: Topology): Promise<LabDeployment> {
    return this.deployments.wake(deployment, topology);
  }

  async reset(deployment: LabDeployment, topology: Topology): Promise<LabDeployment> {
    return this.deployments.reset(deployment, topology);
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

  async destroy(deploymentId: string): Promise<void> {
    await this.deployments.destroy(deploymentId);
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

  private get readyTimeoutMs(): number {
    return this.options.readyTimeoutMs ?? 20_000;
  }
}

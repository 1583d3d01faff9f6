import Docker from 'dockerode';
import { HostAccessUnavailable, type CreateOptions, type RuntimeEvent, type ExecOptions, type ExecResult, type HostExecOptions, type LabInstance, type LabMachine, type LabRuntime, type MachineFile, type TerminalSize, type TerminalStream } from '../LabRuntime';
import type { Topology } from '../../../labkit/topology';
import { createMachine, type MachineLimits } from './dockerMachines';
import { bridgeOf, createLabNetworks } from './dockerNetworks';
import { DiskLimit } from './diskLimit';
import { DockerEventWatcher } from './dockerEvents';
import { HostFirewall } from './hostFirewall';
import { execInContainer } from './dockerExec';
import { ContainerPids, runInNetns } from './netnsExec';
import { readContainerFile } from './readContainerFile';
import { readFileInRoot } from './readFileInRoot';
import { openMachineTerminal } from './machineTerminal';
import { startShell } from './startShell';
import { terminalVolumeName } from './terminalVolume';
import { assertSessionId, instanceFilter, isSessionId, LABEL, resourceName } from './labels';
import { bootCount, waitForBoot } from './waitForBoot';
import { startMachine, stopMachine } from './sleepWake';
import { poolFor, type PoolSettings } from '../addressPool';

export interface DockerRuntimeOptions extends MachineLimits {
  socketPath: string;
  instance: string;
  pool: PoolSettings;
  /** Each machine's disk cap, and where its disk image lives when Docker cannot cap it itself. */
  diskMb: number;
  diskDir: string;
  /** How long a machine may take to answer its first exec. */
  readyTimeoutMs?: number;
  /** Where the runtime reports what it works around (e.g. a terminal falling back to docker exec). */
  log?: (message: string) => void;
}


export class DockerRuntime implements LabRuntime {
  readonly docker: Docker;
  /** Shell starts in flight, by container id. */
  private readonly preparing = new Map<string, Promise<void>>();
  private readonly pids: ContainerPids;
  private readonly firewall = new HostFirewall();
  private readonly disk: DiskLimit;
  private readonly events: DockerEventWatcher;
  /** Containers this runtime is stopping or removing itself, so their death is no news. */
  private readonly stopping = new Set<string>();

  constructor(private readonly options: DockerRuntimeOptions) {
    this.docker = new Docker({ socketPath: options.socketPath });
    this.disk = new DiskLimit(this.docker, options.diskDir, options.diskMb, options.log);
    this.events = new DockerEventWatcher(this.docker, options.instance, (id) => this.stopping.has(id));
    this.pids = new ContainerPids(this.docker);
  }

  async create(labSessionId: string, topology: Topology, options: CreateOptions = {}): Promise<LabInstance> {
    assertSessionId(labSessionId);
    const { instance } = this.options;
    const nets = await createLabNetworks(this.docker, instance, labSessionId, topology.networks.map((n) => n.id), poolFor(topology.networks, this.options.pool), options.slot);
    try {
      await this.firewall.protect(Object.values(nets.networks).map((n) => n.bridge));
      const machines = await Promise.all(
        topology.machines.map((m) => createMachine(this.docker, instance, labSessionId, m, topology, nets, this.options, this.disk)),
      );
      const lab: LabInstance = {
        labSessionId,
        slot: nets.slot,
        networks: topology.networks.map((n) => ({ id: n.id, label: n.label, subnet: nets.networks[n.id]?.subnet ?? '' })),
        machines,
        createdAt: Date.now(),
      };
      await Promise.all(machines.map((m) => this.waitReady(m, 0)));
      for (const m of machines) this.prepareShell(m);
      return lab;
    } catch (error) {
      await this.destroy(labSessionId).catch(() => undefined);
      throw error;
    }
  }

  // async, so an unknown machine is a rejected promise like every other failure, never a throw.
  async exec(lab: LabInstance, machineId: string, command: string[], options?: ExecOptions): Promise<ExecResult> {
    return execInContainer(this.container(lab, machineId), command, options);
  }

  async netnsExec(lab: LabInstance, machineId: string, command: string[], options?: HostExecOptions): Promise<ExecResult> {
    return runInNetns(await this.pids.pid(this.machine(lab, machineId).ref), command, options);
  }

  /** Host-side through the container's root when possible; Docker's archive API otherwise. */
  async readFile(lab: LabInstance, machineId: string, path: string): Promise<MachineFile | undefined> {
    const ref = this.machine(lab, machineId).ref;
    const pid = await this.pids.pid(ref).catch(() => undefined);
    if (pid !== undefined) {
      try {
        return await readFileInRoot(`/proc/${pid}/root`, path);
      } catch (error) {
        if (!(error instanceof HostAccessUnavailable)) throw error;
      }
    }
    return readContainerFile(this.container(lab, machineId), path);
  }

  async openTerminal(lab: LabInstance, machineId: string, size: TerminalSize): Promise<TerminalStream> {
    const machine = this.machine(lab, machineId);
    // Two shell starts at once could each create a dtach master; one would never be seen.
    await this.preparing.get(machine.ref);
    const volume = terminalVolumeName(this.options.instance, lab.labSessionId, machineId);
    const onFallback = (why: string): void => this.options.log?.(`terminal ${lab.labSessionId}/${machineId}: ${why}; using docker exec`);
    return openMachineTerminal(this.docker, this.docker.getContainer(machine.ref), volume, machine.hostname, size, onFallback);
  }

  async restart(lab: LabInstance, machineId: string): Promise<void> {
    const machine = this.machine(lab, machineId);
    const container = this.docker.getContainer(machine.ref);
    // A reboot, not a graceful shutdown: lab machines hold nothing worth waiting for.
    const previousBoots = await bootCount(container);
    await this.expectingStop(machine.ref, async () => {
      await container.restart({ t: 0 });
      await this.waitReady(machine, previousBoots);
    });
    this.prepareShell(machine);
  }

  async sleep(lab: LabInstance): Promise<void> {
    await Promise.all(
      lab.machines.map((m) => this.expectingStop(m.ref, () => stopMachine(this.docker.getContainer(m.ref)))),
    );
  }

  async wake(lab: LabInstance): Promise<LabInstance> {
    const timeoutMs = this.options.readyTimeoutMs ?? 20_000;
    await Promise.all(
      lab.machines.map((m) =>
        startMachine(this.docker.getContainer(m.ref), timeoutMs).catch((error: unknown) => {
          throw new Error(`${m.id}: ${error instanceof Error ? error.message : String(error)}`);
        }),
      ),
    );
    for (const m of lab.machines) this.prepareShell(m);
    return lab;
  }

  async ping(): Promise<void> {
    await this.docker.ping();
  }

  watch(listener: (event: RuntimeEvent) => void): () => void {
    return this.events.watch(listener);
  }

  async revive(lab: LabInstance): Promise<void> {
    await Promise.all(
      lab.machines.map(async (machine) => {
        const info = await this.docker.getContainer(machine.ref).inspect();
        if (!info.State.Running) await this.restart(lab, machine.id);
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

  async destroy(labSessionId: string): Promise<void> {
    const filters = JSON.stringify(instanceFilter(this.options.instance, labSessionId));
    const containers = await this.docker.listContainers({ all: true, filters });
    await Promise.all(containers.map((c) => this.expectingStop(c.Id, () => this.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreMissing))));
    const [networks, volumes] = await Promise.all([this.docker.listNetworks({ filters }), this.docker.listVolumes({ filters })]);
    await Promise.all([
      ...networks.map((n) => this.docker.getNetwork(n.Id).remove().catch(ignoreMissing)),
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- Docker sends null Volumes and Labels, whatever the types say
      ...(volumes.Volumes ?? []).map((v) => this.docker.getVolume(v.Name).remove().catch(ignoreMissing)),
    ]);
    // Only once the bridges are gone: a rule must never be missing while one exists.
    await this.firewall.release(networks.map(bridgeOf));
    const disks = await this.disk.disks.names(resourceName(this.options.instance, labSessionId, ''));
    await Promise.all(disks.map((name) => this.disk.disks.release(name)));
  }

  async prepareHost(): Promise<void> {
    const filters = JSON.stringify(instanceFilter(this.options.instance));
    const [networks, containers] = await Promise.all([this.docker.listNetworks({ filters }), this.docker.listContainers({ all: true, filters })]);
    await this.firewall.protect(networks.map(bridgeOf));
    for (const c of containers) {
      const name = (c.Names[0] ?? '').replace(/^\//, '');
      const state = await this.disk.disks.reattach(c.Id, name, c.State === 'running');
      if (state === 'running-unmounted') this.options.log?.(`machine ${name} runs without its disk mounted; reset that lab to get it back under its disk limit`);
    }
  }

  async list(): Promise<string[]> {
    const filters = JSON.stringify(instanceFilter(this.options.instance));
    const [containers, networks, volumes] = await Promise.all([
      this.docker.listContainers({ all: true, filters }),
      this.docker.listNetworks({ filters }),
      this.docker.listVolumes({ filters }),
    ]);
    const ids = new Set<string>();
    for (const c of containers) if (c.Labels[LABEL.session]) ids.add(c.Labels[LABEL.session] as string);
    for (const n of networks) if (n.Labels?.[LABEL.session]) ids.add(n.Labels[LABEL.session] as string);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- Docker sends null Volumes and Labels, whatever the types say
    for (const v of volumes.Volumes ?? []) if (v.Labels?.[LABEL.session]) ids.add(v.Labels[LABEL.session] as string);
    // A disk image left by a crash mid-create or mid-destroy names its lab too.
    const prefix = resourceName(this.options.instance, '', '').slice(0, -1);
    for (const name of await this.disk.disks.names(prefix)) {
      const session = name.slice(prefix.length).split('-')[0] ?? '';
      if (isSessionId(session)) ids.add(session);
    }
    return [...ids].sort();
  }

  async removeOrphans(known: ReadonlySet<string>): Promise<string[]> {
    const orphans = (await this.list()).filter((id) => !known.has(id));
    await Promise.all(orphans.map((id) => this.destroy(id)));
    return orphans;
  }

  /**
   * Starts the learner shell in the background as soon as the machine is up, so the first
   * terminal (usually a warm lab's, seconds later) only has to connect. Best effort: opening a
   * terminal starts the shell anyway if it is missing, after waiting for this to settle.
   */
  private prepareShell(machine: LabMachine): void {
    const preparing = startShell(this.docker.getContainer(machine.ref), machine.hostname)
      .catch(() => undefined)
      .finally(() => {
        if (this.preparing.get(machine.ref) === preparing) this.preparing.delete(machine.ref);
      });
    this.preparing.set(machine.ref, preparing);
  }

  private async waitReady(machine: LabMachine, previousBoots: number): Promise<void> {
    try {
      await waitForBoot(this.docker.getContainer(machine.ref), previousBoots, this.options.readyTimeoutMs ?? 20_000);
    } catch (error) {
      throw new Error(`${machine.id}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  private machine(lab: LabInstance, machineId: string): LabMachine {
    const machine = lab.machines.find((m) => m.id === machineId);
    if (!machine) throw new Error(`unknown machine "${machineId}"`);
    return machine;
  }

  private container(lab: LabInstance, machineId: string): Docker.Container {
    return this.docker.getContainer(this.machine(lab, machineId).ref);
  }
}

function ignoreMissing(error: unknown): void {
  if (error instanceof Error && /no such|not found|404/i.test(error.message)) return;
  throw error;
}

import type { Topology } from '../../labkit/topology';
import {
  type CreateOptions,
  type ExecResult,
  MachineGone,
  type LabDeployment,
  type LabRuntime,
  type MachineFile,
  type RuntimeCapabilities,
  type RuntimeEvent,
  type TerminalSize,
  type TerminalStream,
} from '../../server/runtime/LabRuntime';
import { echoTerminal } from './memoryTerminal';
import { deploymentOnSlot, freeSlot } from './memoryPlacement';

/** The capabilities an in-memory runtime offers; both by default, as Docker does. */
export interface MemoryOffers {
  sleep?: boolean;
  hostNetns?: boolean;
}

/**
 * An in-memory LabRuntime for fast unit tests of session logic (warm pool, reaper, capacity,
 * reset): labs are records, creating one takes `createMs` of (fake) time, and the next
 * `failCreates` creations fail. Its machines run no programs (exec answers with the machine's
 * id), keep files put there by `putFile`, and their terminals only echo; it passes the core
 * contract for runtimes without real machines. Everything that needs real machines is tested
 * against Docker.
 */
export class MemoryLabRuntime implements LabRuntime {
  readonly capabilities: RuntimeCapabilities;
  /** Live labs by lab session id. */
  readonly labs = new Map<string, LabDeployment>();
  readonly created: string[] = [];
  readonly destroyed: string[] = [];
  failCreates = 0;
  private readonly listeners = new Set<(event: RuntimeEvent) => void>();

  constructor(
    private readonly createMs = 1000,
    offers: MemoryOffers = { sleep: true, hostNetns: true },
  ) {
    this.capabilities = {
      sleep: offers.sleep ? this : undefined,
      hostNetns: offers.hostNetns
        ? { netnsExec: (deployment, machineId) => this.exec(deployment, machineId) }
        : undefined,
    };
  }

  async create(deploymentId: string, topology: Topology, options: CreateOptions = {}): Promise<LabDeployment> {
    await new Promise((resolve) => setTimeout(resolve, this.createMs));
    if (this.failCreates > 0) {
      this.failCreates--;
      throw new Error('simulated: the image is missing');
    }
    const wanted = options.slot === undefined ? undefined : Number(options.slot);
    const deployment = this.onSlot(deploymentId, topology, this.freeSlot(topology, wanted));
    this.labs.set(deploymentId, deployment);
    this.created.push(deploymentId);
    return deployment;
  }

  /** Slots run from 1 to `lastSlot`; sleeping labs hold none, as on Docker. */
  lastSlot = 200;

  private freeSlot(topology: Topology, preferred?: number): number {
    const inUse = [...this.labs.values()]
      .filter((deployment) => !this.sleeping.has(deployment.deploymentId))
      .flatMap((deployment) => deployment.networks.map((n) => n.subnet));
    return freeSlot(topology, { lastSlot: this.lastSlot, inUse, preferred });
  }

  private machinesMade = 0;

  private onSlot(deploymentId: string, topology: Topology, slot: number): LabDeployment {
    return deploymentOnSlot({ deploymentId, topology, slot, lastSlot: this.lastSlot }, () => ++this.machinesMade);
  }

  /** Only the lab's current machines answer, and only while awake and running. */
  exec(deployment: LabDeployment, machineId: string): Promise<ExecResult> {
    return settled(() => {
      this.running(deployment, machineId);
      return { stdout: `${machineId}\n`, stderr: '', exitCode: 0, timedOut: false };
    });
  }

  /** Files by machine ref, then path: a machine's disk, kept while it sleeps, gone with it. */
  private readonly files = new Map<string, Map<string, MachineFile>>();

  /** Puts a file on a machine, as a program inside it would write one. */
  putFile(
    deployment: LabDeployment,
    machineId: string,
    { path, text, mode = 0o644 }: { path: string; text: string; mode?: number },
  ): void {
    const ref = this.machineRef(deployment, machineId);
    const disk = this.files.get(ref) ?? new Map<string, MachineFile>();
    disk.set(path, { data: Buffer.from(text), mode, modifiedAt: Date.now() });
    this.files.set(ref, disk);
  }

  readFile(deployment: LabDeployment, machineId: string, path: string): Promise<MachineFile | undefined> {
    return settled(() => this.files.get(this.machineRef(deployment, machineId))?.get(path));
  }

  openTerminal(deployment: LabDeployment, machineId: string, size: TerminalSize): Promise<TerminalStream> {
    return settled(() => {
      this.running(deployment, machineId);
      return echoTerminal(size);
    });
  }

  restart(deployment: LabDeployment, machineId: string): Promise<void> {
    this.stopped.delete(this.machineRef(deployment, machineId));
    return Promise.resolve();
  }

  /** Machines stopped behind the runtime's back, by ref. */
  private readonly stopped = new Set<string>();

  /** A machine stops unasked (its process died): the runtime reports it to its watchers. */
  stopBehindBack(deployment: LabDeployment, machineId: string): void {
    this.stopped.add(this.machineRef(deployment, machineId));
    for (const listener of this.listeners)
      listener({ type: 'machine-stopped', deploymentId: deployment.deploymentId, machineId });
  }

  /** The machine's ref, when it belongs to a live lab. */
  private machineRef(deployment: LabDeployment, machineId: string): string {
    const live = this.labs.get(deployment.deploymentId);
    const ref = deployment.machines.find((m) => m.id === machineId)?.ref;
    if (!live || ref === undefined || !live.machines.some((m) => m.ref === ref))
      throw new Error(`no such lab ${deployment.deploymentId} (or no machine ${machineId} in it)`);
    return ref;
  }

  /** The machine's ref, when it runs now. */
  private running(deployment: LabDeployment, machineId: string): string {
    const ref = this.machineRef(deployment, machineId);
    if (this.sleeping.has(deployment.deploymentId) || this.stopped.has(ref))
      throw new Error(`machine ${machineId} of lab ${deployment.deploymentId} is not running`);
    return ref;
  }

  /** Sleeping labs, by lab session id. */
  readonly sleeping = new Set<string>();

  sleep(deployment: LabDeployment): Promise<void> {
    this.sleeping.add(deployment.deploymentId);
    return Promise.resolve();
  }

  /** Machines removed behind the runtime's back, by ref: waking their lab fails with MachineGone. */
  readonly gone = new Set<string>();

  wake(deployment: LabDeployment, topology: Topology): Promise<LabDeployment> {
    const missing = deployment.machines.find((m) => this.gone.has(m.ref));
    if (missing) return Promise.reject(new MachineGone(missing.id));
    if (!this.sleeping.has(deployment.deploymentId))
      return Promise.resolve(this.labs.get(deployment.deploymentId) ?? deployment);
    const slot = this.freeSlot(topology, Number(deployment.slot));
    const moved = this.onSlot(deployment.deploymentId, topology, slot);
    // The same machines (refs), on the addresses of the slot they got.
    const woken = {
      ...moved,
      machines: moved.machines.map((m, i) => ({ ...m, ref: deployment.machines[i]?.ref ?? m.ref })),
      createdAt: deployment.createdAt,
    };
    this.sleeping.delete(deployment.deploymentId);
    this.labs.set(deployment.deploymentId, woken);
    return Promise.resolve(woken);
  }

  readonly resets: string[] = [];

  /** The old machines go at once; the new ones take `createMs`, on the same slot unless asleep elsewhere. */
  async reset(deployment: LabDeployment, topology: Topology): Promise<LabDeployment> {
    const slot = this.sleeping.has(deployment.deploymentId)
      ? this.freeSlot(topology, Number(deployment.slot))
      : Number(deployment.slot);
    this.labs.delete(deployment.deploymentId);
    this.sleeping.delete(deployment.deploymentId);
    for (const m of deployment.machines) this.forget(m.ref);
    this.resets.push(deployment.deploymentId);
    await new Promise((resolve) => setTimeout(resolve, this.createMs));
    const fresh = this.onSlot(deployment.deploymentId, topology, slot);
    this.labs.set(deployment.deploymentId, fresh);
    return fresh;
  }

  destroy(deploymentId: string): Promise<void> {
    this.sleeping.delete(deploymentId);
    for (const m of this.labs.get(deploymentId)?.machines ?? []) this.forget(m.ref);
    if (this.labs.delete(deploymentId)) this.destroyed.push(deploymentId);
    return Promise.resolve();
  }

  /** A machine removed: its disk and state go. */
  private forget(ref: string): void {
    this.gone.delete(ref);
    this.stopped.delete(ref);
    this.files.delete(ref);
  }

  prepareHost(): Promise<void> {
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  watch(listener: (event: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  revive(deployment: LabDeployment): Promise<void> {
    for (const m of deployment.machines) this.stopped.delete(m.ref);
    return Promise.resolve();
  }

  list(): Promise<string[]> {
    return Promise.resolve([...this.labs.keys()].sort());
  }

  async removeOrphans(known: ReadonlySet<string>): Promise<string[]> {
    const orphans = (await this.list()).filter((id) => !known.has(id));
    await Promise.all(orphans.map((id) => this.destroy(id)));
    return orphans;
  }

  async close(): Promise<void> {
    // Nothing is kept ready here.
  }
}

/** `work`'s answer as a promise, a throw as its rejection (as an async runtime's would be). */
function settled<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}

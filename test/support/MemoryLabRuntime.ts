import type { Topology } from '../../labkit/topology';
import { hostAddress, pickFreeSlot, poolFor, slotAt } from '../../server/runtime/addressPool';
import {
  type CreateOptions,
  type ExecResult,
  MachineGone,
  type LabDeployment,
  type LabRuntime,
  type MachineFile,
  type RuntimeEvent,
  type TerminalStream,
} from '../../server/runtime/LabRuntime';
import { PoolExhaustedError } from '../../server/runtime/PoolExhaustedError';

/**
 * An in-memory LabRuntime for fast unit tests of session logic (warm pool, reaper, capacity,
 * reset): labs are records, creating one takes `createMs` of (fake) time, and the next
 * `failCreates` creations fail. Everything that needs real machines is tested against Docker.
 */
export class MemoryLabRuntime implements LabRuntime {
  /** Live labs by lab session id. */
  readonly labs = new Map<string, LabDeployment>();
  readonly created: string[] = [];
  readonly destroyed: string[] = [];
  failCreates = 0;
  private readonly listeners = new Set<(event: RuntimeEvent) => void>();

  constructor(private readonly createMs = 1000) {}

  async create(deploymentId: string, topology: Topology, options: CreateOptions = {}): Promise<LabDeployment> {
    await new Promise((resolve) => setTimeout(resolve, this.createMs));
    if (this.failCreates > 0) {
      this.failCreates--;
      throw new Error('simulated: the image is missing');
    }
    const deployment = this.onSlot(deploymentId, topology, options.slot ?? this.freeSlot(topology));
    this.labs.set(deploymentId, deployment);
    this.created.push(deploymentId);
    return deployment;
  }

  /** Slots run from 1 to `lastSlot`; sleeping labs hold none, as on Docker. */
  lastSlot = 200;

  private freeSlot(topology: Topology, preferred?: number): number {
    const pool = poolFor(topology.networks, { firstSlot: 1, lastSlot: this.lastSlot, overrides: {} });
    const inUse = [...this.labs.values()]
      .filter((deployment) => !this.sleeping.has(deployment.deploymentId))
      .flatMap((deployment) => deployment.networks.map((n) => n.subnet));
    const wanted =
      preferred === undefined ? null : pickFreeSlot({ ...pool, firstSlot: preferred, lastSlot: preferred }, inUse);
    const slot = wanted ?? pickFreeSlot(pool, inUse);
    if (slot === null) throw new PoolExhaustedError();
    return slot.n;
  }

  private machinesMade = 0;

  private onSlot(deploymentId: string, topology: Topology, slot: number): LabDeployment {
    const pool = poolFor(topology.networks, { firstSlot: 1, lastSlot: this.lastSlot, overrides: {} });
    const { subnets } = slotAt(pool, slot);
    return {
      deploymentId: deploymentId,
      slot,
      networks: topology.networks.map((n) => ({ id: n.id, label: n.label, subnet: subnets[n.id] ?? '' })),
      machines: topology.machines.map((m) => ({
        id: m.id,
        label: m.label,
        hostname: m.id,
        addresses: Object.fromEntries(
          m.nics.map((nic) => [nic.network, hostAddress(subnets[nic.network] ?? '', nic.host)]),
        ),
        ref: `${deploymentId}-${m.id}-${++this.machinesMade}`,
      })),
      createdAt: Date.now(),
    };
  }

  /** Only the lab's current machines answer, and only while awake. */
  exec(deployment: LabDeployment, machineId: string): Promise<ExecResult> {
    const live = this.labs.get(deployment.deploymentId);
    const ref = deployment.machines.find((m) => m.id === machineId)?.ref;
    if (!live || !live.machines.some((m) => m.ref === ref) || this.sleeping.has(deployment.deploymentId))
      return Promise.reject(new Error(`no such lab ${deployment.deploymentId}`));
    return Promise.resolve({ stdout: `${machineId}\n`, stderr: '', exitCode: 0, timedOut: false });
  }

  netnsExec(deployment: LabDeployment, machineId: string): Promise<ExecResult> {
    return this.exec(deployment, machineId);
  }

  readFile(): Promise<MachineFile | undefined> {
    return Promise.resolve(undefined);
  }

  openTerminal(): Promise<TerminalStream> {
    return Promise.reject(new Error('MemoryLabRuntime has no terminals'));
  }

  restart(): Promise<void> {
    return Promise.resolve();
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
    const slot = this.freeSlot(topology, deployment.slot);
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
      ? this.freeSlot(topology, deployment.slot)
      : deployment.slot;
    this.labs.delete(deployment.deploymentId);
    this.sleeping.delete(deployment.deploymentId);
    for (const m of deployment.machines) this.gone.delete(m.ref);
    this.resets.push(deployment.deploymentId);
    await new Promise((resolve) => setTimeout(resolve, this.createMs));
    const fresh = this.onSlot(deployment.deploymentId, topology, slot);
    this.labs.set(deployment.deploymentId, fresh);
    return fresh;
  }

  destroy(deploymentId: string): Promise<void> {
    this.sleeping.delete(deploymentId);
    if (this.labs.delete(deploymentId)) this.destroyed.push(deploymentId);
    return Promise.resolve();
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

  revive(): Promise<void> {
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

import type { Topology } from '../../labkit/topology';
import { hostAddress, pickFreeSlot, poolFor, subnetsForSlot } from '../../server/runtime/addressPool';
import {
  type CreateOptions,
  type ExecResult,
  MachineGone,
  type LabInstance,
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
  readonly labs = new Map<string, LabInstance>();
  readonly created: string[] = [];
  readonly destroyed: string[] = [];
  failCreates = 0;
  private readonly listeners = new Set<(event: RuntimeEvent) => void>();

  constructor(private readonly createMs = 1000) {}

  async create(labSessionId: string, topology: Topology, options: CreateOptions = {}): Promise<LabInstance> {
    await new Promise((resolve) => setTimeout(resolve, this.createMs));
    if (this.failCreates > 0) {
      this.failCreates--;
      throw new Error('simulated: the image is missing');
    }
    const lab = this.onSlot(labSessionId, topology, options.slot ?? this.freeSlot(topology));
    this.labs.set(labSessionId, lab);
    this.created.push(labSessionId);
    return lab;
  }

  /** Slots run from 1 to `lastSlot`; sleeping labs hold none, as on Docker. */
  lastSlot = 200;

  private freeSlot(topology: Topology, preferred?: number): number {
    const pool = poolFor(topology.networks, { firstSlot: 1, lastSlot: this.lastSlot, overrides: {} });
    const inUse = [...this.labs.values()]
      .filter((lab) => !this.sleeping.has(lab.labSessionId))
      .flatMap((lab) => lab.networks.map((n) => n.subnet));
    const wanted =
      preferred === undefined ? null : pickFreeSlot({ ...pool, firstSlot: preferred, lastSlot: preferred }, inUse);
    const slot = wanted ?? pickFreeSlot(pool, inUse);
    if (slot === null) throw new PoolExhaustedError();
    return slot;
  }

  private machinesMade = 0;

  private onSlot(labSessionId: string, topology: Topology, slot: number): LabInstance {
    const pool = poolFor(topology.networks, { firstSlot: 1, lastSlot: this.lastSlot, overrides: {} });
    const subnets = subnetsForSlot(pool, slot);
    return {
      labSessionId,
      slot,
      networks: topology.networks.map((n) => ({ id: n.id, label: n.label, subnet: subnets[n.id] ?? '' })),
      machines: topology.machines.map((m) => ({
        id: m.id,
        label: m.label,
        hostname: m.id,
        addresses: Object.fromEntries(
          m.nics.map((nic) => [nic.network, hostAddress(subnets[nic.network] ?? '', nic.host)]),
        ),
        ref: `${labSessionId}-${m.id}-${++this.machinesMade}`,
      })),
      createdAt: Date.now(),
    };
  }

  /** Only the lab's current machines answer, and only while awake. */
  exec(lab: LabInstance, machineId: string): Promise<ExecResult> {
    const live = this.labs.get(lab.labSessionId);
    const ref = lab.machines.find((m) => m.id === machineId)?.ref;
    if (!live || !live.machines.some((m) => m.ref === ref) || this.sleeping.has(lab.labSessionId))
      return Promise.reject(new Error(`no such lab ${lab.labSessionId}`));
    return Promise.resolve({ stdout: `${machineId}\n`, stderr: '', exitCode: 0, timedOut: false });
  }

  netnsExec(lab: LabInstance, machineId: string): Promise<ExecResult> {
    return this.exec(lab, machineId);
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

  sleep(lab: LabInstance): Promise<void> {
    this.sleeping.add(lab.labSessionId);
    return Promise.resolve();
  }

  /** Machines removed behind the runtime's back, by ref: waking their lab fails with MachineGone. */
  readonly gone = new Set<string>();

  wake(lab: LabInstance, topology: Topology): Promise<LabInstance> {
    const missing = lab.machines.find((m) => this.gone.has(m.ref));
    if (missing) return Promise.reject(new MachineGone(missing.id));
    if (!this.sleeping.has(lab.labSessionId)) return Promise.resolve(this.labs.get(lab.labSessionId) ?? lab);
    const slot = this.freeSlot(topology, lab.slot);
    const moved = this.onSlot(lab.labSessionId, topology, slot);
    // The same machines (refs), on the addresses of the slot they got.
    const woken = {
      ...moved,
      machines: moved.machines.map((m, i) => ({ ...m, ref: lab.machines[i]?.ref ?? m.ref })),
      createdAt: lab.createdAt,
    };
    this.sleeping.delete(lab.labSessionId);
    this.labs.set(lab.labSessionId, woken);
    return Promise.resolve(woken);
  }

  readonly resets: string[] = [];

  /** The old machines go at once; the new ones take `createMs`, on the same slot unless asleep elsewhere. */
  async reset(lab: LabInstance, topology: Topology): Promise<LabInstance> {
    const slot = this.sleeping.has(lab.labSessionId) ? this.freeSlot(topology, lab.slot) : lab.slot;
    this.labs.delete(lab.labSessionId);
    this.sleeping.delete(lab.labSessionId);
    for (const m of lab.machines) this.gone.delete(m.ref);
    this.resets.push(lab.labSessionId);
    await new Promise((resolve) => setTimeout(resolve, this.createMs));
    const fresh = this.onSlot(lab.labSessionId, topology, slot);
    this.labs.set(lab.labSessionId, fresh);
    return fresh;
  }

  destroy(labSessionId: string): Promise<void> {
    this.sleeping.delete(labSessionId);
    if (this.labs.delete(labSessionId)) this.destroyed.push(labSessionId);
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

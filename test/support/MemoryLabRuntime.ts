import type { Topology } from '../../labkit/topology';
import { hostAddress, pickFreeSlot, poolFor, subnetsForSlot } from '../../server/runtime/addressPool';
import type {
  CreateOptions,
  ExecResult,
  LabInstance,
  LabRuntime,
  MachineFile,
  RuntimeEvent,
  TerminalStream,
} from '../../server/runtime/LabRuntime';

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
    const pool = poolFor(topology.networks, { firstSlot: 1, lastSlot: 200, overrides: {} });
    const inUse = [...this.labs.values()].flatMap((lab) => lab.networks.map((n) => n.subnet));
    const slot = options.slot ?? pickFreeSlot(pool, inUse);
    if (slot === null) throw new Error('No free lab address slot');
    const subnets = subnetsForSlot(pool, slot);
    const lab: LabInstance = {
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
        ref: `${labSessionId}-${m.id}`,
      })),
      createdAt: Date.now(),
    };
    this.labs.set(labSessionId, lab);
    this.created.push(labSessionId);
    return lab;
  }

  exec(lab: LabInstance, machineId: string): Promise<ExecResult> {
    return this.labs.has(lab.labSessionId)
      ? Promise.resolve({ stdout: `${machineId}\n`, stderr: '', exitCode: 0, timedOut: false })
      : Promise.reject(new Error(`no such lab ${lab.labSessionId}`));
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

  wake(lab: LabInstance): Promise<LabInstance> {
    this.sleeping.delete(lab.labSessionId);
    return Promise.resolve(lab);
  }

  destroy(labSessionId: string): Promise<void> {
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
}

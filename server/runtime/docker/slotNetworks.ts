import { errorMessage } from '../../log/errorMessage';
import type Docker from 'dockerode';
import PQueue from 'p-queue';
import { pickFreeSlot, slotAt, type PoolConfig, type Slot } from '../addressPool';
import { PoolExhaustedError } from '../PoolExhaustedError';
import { createNetworkSet, removeNetworkSet, type CreatedNetworks } from './dockerNetworks';
import { fits, freeSets, slotNetworksOf, slotSets, subnetsInUse, type SlotSet } from './slotSets';
import type { HostFirewall } from './hostFirewall';
import { LABEL } from './labels';
import type { Log } from '../../log/Log';

export interface SlotNetworkDeps {
  docker: Docker;
  namespace: string;
  firewall: HostFirewall;
  /** Free slot network sets kept ready when no lab uses them, so the next lab skips creating networks. */
  spares: number;
  log?: Log;
}

const REFILL_DELAY_MS = 5000;

/** Per namespace, in this process: its slots being claimed or removed, and the queue its choices of a slot wait in. */
interface InstanceSlots {
  held: Set<number>;
  choosing: PQueue;
}
const instances = new Map<string, InstanceSlots>();

function slotsOf(namespace: string): InstanceSlots {
  let found = instances.get(namespace);
  if (!found) instances.set(namespace, (found = { held: new Set(), choosing: new PQueue({ concurrency: 1 }) }));
  return found;
}

/**
 * A lab's networks belong to its address slot, not to the lab: `ipl-<namespace>-n<slot>-<net>`.
 * A lab claims a slot's set (one left free by an ended or sleeping lab, or a new one) and gives it
 * back when it sleeps or ends; up to `spares` free sets stay, protected by the host firewall,
 * so the next lab, reset or wake attaches its machines without waiting for Docker to create
 * bridges. Whether a set is free is read from Docker (no container of this namespace on it), so
 * a restarted server sees the same answer.
 */
export class SlotNetworks {
  private refilling: Promise<void> | undefined;
  private refillTimer: NodeJS.Timeout | undefined;
  private readonly held: Set<number>;

  constructor(private readonly deps: SlotNetworkDeps) {
    this.held = slotsOf(deps.namespace).held;
  }

  /**
   * The networks of `preferred` when its set is free or can be made (the addresses stay), else a
   * free spare, else new ones on the first free slot. `owners` are containers whose own
   * attachments do not count (a lab taking back its own slot). PoolExhaustedError when full.
   * The slot stays held until `settle`, once the lab's machines are on it.
   */
  async claim(pool: PoolConfig, preferred?: number, owners: readonly string[] = []): Promise<CreatedNetworks> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const pick = await this.locked(() => this.pick(pool, attempt === 0 ? preferred : undefined, owners));
      if (pick.set && fits(pick.set, pick.slot))
        return this.protect({ slot: pick.slot, networks: pick.set.networks }, true);
      // A partial or different set on the slot (an interrupted claim): a clean one replaces it.
      if (pick.set) await removeNetworkSet(this.deps.docker, Object.values(pick.set.networks)).catch(() => undefined);
      const made = await this.make(pick.slot);
      if (made) return made;
    }
    throw new Error('Could not claim a lab address slot after 20 attempts');
  }

  /** Chooses and holds a slot; with its set when one exists there. Runs alone per namespace. */
  private async pick(
    pool: PoolConfig,
    preferred: number | undefined,
    owners: readonly string[],
  ): Promise<{ slot: Slot; set?: SlotSet }> {
    const sets = await slotSets(this.deps, owners);
    const free = freeSets(sets, pool).map((s) => s.n);
    for (const n of preferred === undefined ? free : [preferred, ...free]) {
      const set = sets.get(n);
      if (set?.used || !this.hold(n)) continue;
      return { slot: slotAt(pool, n), set };
    }
    return { slot: await this.holdNewSlot(pool, sets) };
  }

  /** The first slot whose subnets nobody on the host has, held. */
  private async holdNewSlot(pool: PoolConfig, sets: Map<number, SlotSet>): Promise<Slot> {
    const inUse = await subnetsInUse(this.deps.docker);
    const slot = pickFreeSlot(pool, inUse, new Set([...sets.keys(), ...this.held]));
    if (slot === null || !this.hold(slot.n)) throw new PoolExhaustedError();
    return slot;
  }

  /** The claim is complete: the lab's machines are on the networks (or the claim failed). */
  settle(n: number): void {
    this.held.delete(n);
  }

  /** The slot's set is no longer used by its lab: it stays as a spare, or goes. */
  async release(n: number): Promise<void> {
    const set = await this.locked(async () => {
      const sets = await slotSets(this.deps);
      const mine = sets.get(n);
      if (!mine || mine.used || this.held.has(n)) return undefined;
      const free = [...sets.values()].filter((s) => !s.used && s.n !== n).length;
      if (free < this.deps.spares || !this.hold(n)) return undefined;
      return mine;
    });
    if (set) await this.remove(set).finally(() => this.settle(n));
  }

  /**
   * Keeps `spares` free sets for `pool` ready. A little later, in the background: creating
   * bridges now would slow the machines that just claimed a set, while they boot.
   */
  refill(pool: PoolConfig): void {
    if (this.deps.spares === 0 || this.refillTimer || this.refilling) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined;
      this.refilling = this.topUp(pool)
        .catch((error: unknown) => this.deps.log?.(`spare lab networks: ${errorMessage(error)}`))
        .finally(() => (this.refilling = undefined));
    }, REFILL_DELAY_MS);
    this.refillTimer.unref();
  }

  private async topUp(pool: PoolConfig): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const slot = await this.locked(async () => {
        const sets = await slotSets(this.deps);
        return freeSets(sets, pool).length >= this.deps.spares ? undefined : this.holdNewSlot(pool, sets);
      });
      if (slot === undefined) return;
      const made = await this.make(slot);
      if (made) this.settle(slot.n);
    }
  }

  /** Every free set goes, beyond `keep` (the server's start keeps `spares`, its end none). */
  async trim(keep = this.deps.spares): Promise<void> {
    if (keep === 0) {
      clearTimeout(this.refillTimer);
      this.refillTimer = undefined;
    }
    await this.refilling;
    const doomed = await this.locked(async () => {
      const free = [...(await slotSets(this.deps)).values()].filter((s) => !s.used && !this.held.has(s.n));
      return free.slice(keep).filter((s) => this.hold(s.n));
    });
    await Promise.all(doomed.map((s) => this.remove(s).finally(() => this.settle(s.n))));
  }

  /** The slot of the networks these containers are on, if any. */
  async slotOf(containerNetworks: readonly string[]): Promise<number | undefined> {
    if (containerNetworks.length === 0) return undefined;
    const mine = (await slotNetworksOf(this.deps)).find((n) => containerNetworks.includes(n.Name));
    return mine && Number(mine.Labels?.[LABEL.slot]);
  }

  /** New networks on a held slot; undefined (and no longer held) when another process took its subnets first. */
  private async make(slot: Slot): Promise<CreatedNetworks | undefined> {
    try {
      const nets = await createNetworkSet(this.deps.docker, { namespace: this.deps.namespace, slot });
      if (nets) return await this.protect(nets, false);
    } catch (error) {
      this.settle(slot.n);
      throw error;
    }
    // Another process took the subnets between listing and creating: try the next slot.
    this.settle(slot.n);
    return undefined;
  }

  private async protect(nets: CreatedNetworks, existing: boolean): Promise<CreatedNetworks> {
    try {
      // Already known for an existing set, unless a host reboot lost it: cheap to say again.
      await this.deps.firewall.protect(Object.values(nets.networks).map((n) => n.bridge));
      return nets;
    } catch (error) {
      if (!existing) await removeNetworkSet(this.deps.docker, Object.values(nets.networks)).catch(() => undefined);
      this.settle(nets.slot.n);
      throw error;
    }
  }

  private async remove(set: SlotSet): Promise<void> {
    await removeNetworkSet(this.deps.docker, Object.values(set.networks));
    // Only once the bridges are gone: a rule must never be missing while one exists.
    await this.deps.firewall.release(Object.values(set.networks).map((n) => n.bridge));
  }

  /** Choices of a slot run one at a time per namespace in this process; the work on it does not. */
  private locked<T>(work: () => Promise<T>): Promise<T> {
    return slotsOf(this.deps.namespace).choosing.add(work);
  }

  private hold(slot: number): boolean {
    if (this.held.has(slot)) return false;
    this.held.add(slot);
    return true;
  }
}

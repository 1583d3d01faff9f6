/**
 * Where the in-memory runtime places a lab: address slots from 1 to `lastSlot` of the lab's own
 * pool, as the Docker runtime numbers them, and the machines' addresses on a slot.
 */
import type { Topology } from '../../labkit/topology';
import { hostAddress, pickFreeSlot, poolFor, slotAt } from '../../server/runtime/addressPool';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { PoolExhaustedError } from '../../server/runtime/PoolExhaustedError';

const poolOf = (topology: Topology, lastSlot: number) =>
  poolFor(topology.networks, { firstSlot: 1, lastSlot, overrides: {} });

/** The first slot none of whose subnets is `inUse`; `preferred` first when it is free. */
export function freeSlot(
  topology: Topology,
  { lastSlot, inUse, preferred }: { lastSlot: number; inUse: readonly string[]; preferred?: number },
): number {
  const pool = poolOf(topology, lastSlot);
  const wanted =
    preferred === undefined ? null : pickFreeSlot({ ...pool, firstSlot: preferred, lastSlot: preferred }, inUse);
  const slot = wanted ?? pickFreeSlot(pool, inUse);
  if (slot === null) throw new PoolExhaustedError();
  return slot.n;
}

/** A deployment of `topology` on `slot`; each machine gets a ref numbered by `nextMachine`. */
export function deploymentOnSlot(
  {
    deploymentId,
    topology,
    slot,
    lastSlot,
  }: { deploymentId: string; topology: Topology; slot: number; lastSlot: number },
  nextMachine: () => number,
): LabDeployment {
  const { subnets } = slotAt(poolOf(topology, lastSlot), slot);
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
      ref: `${deploymentId}-${m.id}-${nextMachine()}`,
    })),
    createdAt: Date.now(),
  };
}

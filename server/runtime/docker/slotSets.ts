/**
 * What Docker has of this namespace's address slots: each slot's network set, whether a container
 * uses it, and whether it still fits the pool. Read from Docker each time, so a restarted server
 * sees the same answer.
 */
import type Docker from 'dockerode';
import { slotAt, type PoolConfig, type Slot } from '../addressPool';
import { bridgeOf, type CreatedNetworks } from './dockerNetworks';
import { namespaceFilter, LABEL } from './labels';

/** Where slot sets are read: the engine and this server's namespace. */
export interface SlotSource {
  docker: Docker;
  namespace: string;
}

/** One address slot's networks of this namespace, as Docker has them now. */
export interface SlotSet {
  /** The slot number, from the networks' labels. */
  n: number;
  networks: CreatedNetworks['networks'];
  /** Some container of this namespace is on one of them, running or not. */
  used: boolean;
}

/** The slot networks of this namespace, as Docker lists them. */
export function slotNetworksOf({ docker, namespace }: SlotSource): Promise<Docker.NetworkInspectInfo[]> {
  const filters = JSON.stringify({ label: [...namespaceFilter(namespace).label, LABEL.slotNetwork] });
  return docker.listNetworks({ filters });
}

/**
 * This namespace's slot network sets by slot number, and whether a container uses each (the
 * attachments of the containers `owners` names do not count: a lab taking back its own slot).
 */
export async function slotSets(
  { docker, namespace }: SlotSource,
  owners: readonly string[] = [],
): Promise<Map<number, SlotSet>> {
  const [networks, containers] = await Promise.all([
    slotNetworksOf({ docker, namespace }),
    docker.listContainers({ all: true, filters: JSON.stringify(namespaceFilter(namespace)) }),
  ]);
  const attached = new Set(
    containers.filter((c) => !owners.includes(c.Id)).flatMap((c) => Object.keys(c.NetworkSettings.Networks)),
  );
  const sets = new Map<number, SlotSet>();
  for (const n of networks) {
    const slot = Number(n.Labels?.[LABEL.slot]);
    const id = n.Labels?.[LABEL.network];
    const subnet = n.IPAM?.Config?.[0]?.Subnet;
    if (!Number.isInteger(slot) || !id || !subnet) continue;
    const set = sets.get(slot) ?? { n: slot, networks: {}, used: false };
    set.networks[id] = { name: n.Name, subnet, bridge: bridgeOf(n) };
    set.used ||= attached.has(n.Name);
    sets.set(slot, set);
  }
  return sets;
}

/** Whether the set on the slot's number has exactly the slot's networks and subnets. */
export function fits(set: SlotSet, slot: Slot): boolean {
  const ids = Object.keys(slot.subnets);
  return (
    ids.length === Object.keys(set.networks).length && ids.every((id) => set.networks[id]?.subnet === slot.subnets[id])
  );
}

/** The sets nobody uses that fit the pool's slot of the same number. */
export function freeSets(sets: Map<number, SlotSet>, pool: PoolConfig): SlotSet[] {
  return [...sets.values()].filter((s) => !s.used && fits(s, slotAt(pool, s.n)));
}

export async function subnetsInUse(docker: Docker): Promise<string[]> {
  const networks = await docker.listNetworks();
  return networks.flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => Boolean(s)));
}

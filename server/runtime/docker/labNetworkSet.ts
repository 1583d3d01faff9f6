import type Docker from 'dockerode';
import type { PoolConfig } from '../addressPool';
import { bridgeOf, createLabNetworks, type CreatedNetworks } from './dockerNetworks';
import type { HostFirewall } from './hostFirewall';
import { ignoreMissing, isMissing } from './ignoreMissing';
import { instanceFilter, LABEL } from './labels';

/**
 * A lab's networks over its life: they exist while the lab is awake (or reset), and go while it
 * sleeps, so a sleeping lab holds no address slot. The host firewall knows a bridge before any
 * machine can use it, and forgets it only once the bridge is gone.
 */
export interface NetworkDeps {
  docker: Docker;
  instance: string;
  firewall: HostFirewall;
}

/** The lab's networks as they exist now; undefined unless every one of `networkIds` does. */
export async function existingNetworks(
  deps: NetworkDeps,
  session: string,
  networkIds: readonly string[],
): Promise<CreatedNetworks | undefined> {
  const found = await deps.docker.listNetworks({ filters: JSON.stringify(instanceFilter(deps.instance, session)) });
  const nets: CreatedNetworks = { slot: -1, networks: {} };
  for (const n of found) {
    const id = n.Labels?.[LABEL.network];
    const subnet = n.IPAM?.Config?.[0]?.Subnet;
    if (!id || !subnet) continue;
    nets.networks[id] = { name: n.Name, subnet, bridge: bridgeOf(n) };
    nets.slot = Number(n.Labels?.[LABEL.slot] ?? -1);
  }
  return networkIds.every((id) => nets.networks[id]) && nets.slot >= 0 ? nets : undefined;
}

/**
 * The lab's networks, protected by the host firewall: the existing ones, or new ones on
 * `preferredSlot` when it is free (the addresses stay), else on the next free slot. Throws
 * PoolExhaustedError when none is free. The lab's machines must not be on a partial set.
 */
export async function ensureNetworks(
  deps: NetworkDeps,
  session: string,
  pool: PoolConfig,
  preferredSlot: number,
): Promise<CreatedNetworks> {
  const ids = Object.keys(pool.templates);
  let nets = await existingNetworks(deps, session, ids);
  if (!nets) {
    // Left over from an interrupted sleep or wake: a clean set replaces it.
    await removeNetworks(deps, session);
    nets = await createLabNetworks(deps.docker, deps.instance, session, ids, pool, preferredSlot);
  }
  try {
    await deps.firewall.protect(Object.values(nets.networks).map((n) => n.bridge));
  } catch (error) {
    await removeNetworks(deps, session).catch(() => undefined);
    throw error;
  }
  return nets;
}

/** Takes stopped machines off every network they are on, so the networks can go. */
export async function disconnectMachines(docker: Docker, refs: readonly string[]): Promise<void> {
  await Promise.all(
    refs.map(async (ref) => {
      const info = await docker
        .getContainer(ref)
        .inspect()
        .catch((error: unknown) => {
          if (isMissing(error)) return undefined;
          throw error;
        });
       
      const names = Object.keys(info?.NetworkSettings.Networks ?? {});
      for (const name of names)
        await docker
          .getNetwork(name)
          .disconnect({ Container: ref, Force: true })
          .catch((error: unknown) => {
            if (!/not connected/i.test(error instanceof Error ? error.message : '')) ignoreMissing(error);
          });
    }),
  );
}

/** Removes the lab's networks (nothing may be attached), then their host firewall entries. */
export async function removeNetworks(deps: NetworkDeps, session: string): Promise<void> {
  const networks = await deps.docker.listNetworks({ filters: JSON.stringify(instanceFilter(deps.instance, session)) });
  await Promise.all(networks.map((n) => deps.docker.getNetwork(n.Id).remove().catch(ignoreMissing)));
  // Only once the bridges are gone: a rule must never be missing while one exists.
  await deps.firewall.release(networks.map(bridgeOf));
}

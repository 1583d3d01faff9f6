import type Docker from 'dockerode';
import { bridgeOf } from './dockerNetworks';
import type { HostFirewall } from './hostFirewall';
import { ignoreMissing, isMissing } from './ignoreMissing';
import { namespaceFilter } from './labels';
import { errorMessage } from '../../log/errorMessage';

/** Takes stopped machines off every network they are on, so the slot is free for another lab. */
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
            if (!/not connected/i.test(errorMessage(error))) ignoreMissing(error);
          });
    }),
  );
}

type SessionNetworkDeps = { docker: Docker; namespace: string; firewall: HostFirewall };

function sessionNetworks(deps: SessionNetworkDeps, session: string): Promise<Docker.NetworkInspectInfo[]> {
  return deps.docker.listNetworks({ filters: JSON.stringify(namespaceFilter(deps.namespace, session)) });
}

/**
 * Before a reset of a lab made when networks belonged to labs: its machines go, then its
 * networks, so the subnets are free again and the fresh machines keep the lab's addresses.
 */
export async function clearSessionNetworks(
  deps: SessionNetworkDeps,
  session: string,
  removeMachines: () => Promise<unknown>,
): Promise<void> {
  const networks = await sessionNetworks(deps, session);
  if (networks.length === 0) return;
  await removeMachines();
  await removeNetworks(deps, networks);
}

/**
 * Networks labelled with one lab session, as servers made them before networks belonged to
 * address slots: they go with their lab (nothing may be attached), then their firewall entries.
 */
export async function removeSessionNetworks(deps: SessionNetworkDeps, session: string): Promise<void> {
  await removeNetworks(deps, await sessionNetworks(deps, session));
}

async function removeNetworks(deps: SessionNetworkDeps, networks: readonly Docker.NetworkInspectInfo[]): Promise<void> {
  if (networks.length === 0) return;
  await Promise.all(networks.map((n) => deps.docker.getNetwork(n.Id).remove().catch(ignoreMissing)));
  // Only once the bridges are gone: a rule must never be missing while one exists.
  await deps.firewall.release(networks.map(bridgeOf));
}

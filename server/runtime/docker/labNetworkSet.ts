import type Docker from 'dockerode';
import { bridgeOf } from './dockerNetworks';
import type { HostFirewall } from './hostFirewall';
import { ignoreMissing, isMissing } from './ignoreMissing';
import { instanceFilter } from './labels';

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
            if (!/not connected/i.test(error instanceof Error ? error.message : '')) ignoreMissing(error);
          });
    }),
  );
}

/**
 * Before a reset of a lab made when networks belonged to labs: its machines go, then its
 * networks, so the subnets are free again and the fresh machines keep the lab's addresses.
 */
export async function clearSessionNetworks(
  deps: { docker: Docker; instance: string; firewall: HostFirewall },
  session: string,
  removeMachines: () => Promise<unknown>,
): Promise<void> {
  const networks = await deps.docker.listNetworks({ filters: JSON.stringify(instanceFilter(deps.instance, session)) });
  if (networks.length === 0) return;
  await removeMachines();
  await removeSessionNetworks(deps, session);
}

/**
 * Networks labelled with one lab session, as servers made them before networks belonged to
 * address slots: they go with their lab (nothing may be attached), then their firewall entries.
 */
export async function removeSessionNetworks(
  deps: { docker: Docker; instance: string; firewall: HostFirewall },
  session: string,
): Promise<void> {
  const networks = await deps.docker.listNetworks({ filters: JSON.stringify(instanceFilter(deps.instance, session)) });
  if (networks.length === 0) return;
  await Promise.all(networks.map((n) => deps.docker.getNetwork(n.Id).remove().catch(ignoreMissing)));
  // Only once the bridges are gone: a rule must never be missing while one exists.
  await deps.firewall.release(networks.map(bridgeOf));
}

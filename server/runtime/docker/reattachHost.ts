import type Docker from 'dockerode';
import { bridgeOf } from './dockerNetworks';
import type { HostFirewall } from './hostFirewall';
import { namespaceFilter } from './labels';
import type { MachineDisks } from './machineDisks';
import type { Log } from '../../log/Log';

/**
 * At server start: what a host reboot or a crash may have lost for this namespace's labs. The
 * firewall learns every existing lab bridge again (sleeping labs have none), and the disks of
 * stopped machines are mounted again before anything starts them.
 */
export async function reattachHost({
  docker,
  namespace,
  firewall,
  disks,
  log,
}: {
  docker: Docker;
  namespace: string;
  firewall: HostFirewall;
  disks: MachineDisks;
  log?: Log;
}): Promise<void> {
  const filters = JSON.stringify(namespaceFilter(namespace));
  const [, containers] = await Promise.all([
    protectNamespaceNetworks(docker, namespace, firewall),
    docker.listContainers({ all: true, filters }),
  ]);
  for (const c of containers) {
    const name = (c.Names[0] ?? '').replace(/^\//, '');
    const state = await disks.reattach(c.Id, name, c.State === 'running');
    if (state === 'running-unmounted')
      log?.(`machine ${name} runs without its disk mounted; reset that lab to get it back under its disk limit`);
  }
}

/**
 * The host firewall learns every bridge of the namespace (again): labs' and free spare slots'.
 * At start, and whenever the engine comes back, since whatever happened while it was away (a
 * host firewall reloaded, an engine that made its bridges anew) must not leave one unguarded.
 */
export async function protectNamespaceNetworks(
  docker: Docker,
  namespace: string,
  firewall: HostFirewall,
): Promise<void> {
  const networks = await docker.listNetworks({ filters: JSON.stringify(namespaceFilter(namespace)) });
  await firewall.protect(networks.map(bridgeOf));
}

import type Docker from 'dockerode';
import { bridgeOf } from './dockerNetworks';
import type { HostFirewall } from './hostFirewall';
import { instanceFilter } from './labels';
import type { MachineDisks } from './machineDisks';

/**
 * At server start: what a host reboot or a crash may have lost for this instance's labs. The
 * firewall learns every existing lab bridge again (sleeping labs have none), and the disks of
 * stopped machines are mounted again before anything starts them.
 */
export async function reattachHost(
  docker: Docker,
  instance: string,
  firewall: HostFirewall,
  disks: MachineDisks,
  log: ((message: string) => void) | undefined,
): Promise<void> {
  const filters = JSON.stringify(instanceFilter(instance));
  const [networks, containers] = await Promise.all([
    docker.listNetworks({ filters }),
    docker.listContainers({ all: true, filters }),
  ]);
  await firewall.protect(networks.map(bridgeOf));
  for (const c of containers) {
    const name = (c.Names[0] ?? '').replace(/^\//, '');
    const state = await disks.reattach(c.Id, name, c.State === 'running');
    if (state === 'running-unmounted')
      log?.(`machine ${name} runs without its disk mounted; reset that lab to get it back under its disk limit`);
  }
}

import type Docker from 'dockerode';
import { namespaceFilter, isSessionId, LABEL, resourceName } from './labels';
import type { MachineDisks } from './machineDisks';

/**
 * Lab session ids of this namespace that have anything on the host: containers, networks,
 * volumes, or a disk image left by a crash mid-create or mid-destroy.
 */
export async function listLabs(docker: Docker, namespace: string, disks: MachineDisks): Promise<string[]> {
  const filters = JSON.stringify(namespaceFilter(namespace));
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  const ids = new Set<string>();
  for (const c of containers) if (c.Labels[LABEL.session]) ids.add(c.Labels[LABEL.session] as string);
  for (const n of networks) if (n.Labels?.[LABEL.session]) ids.add(n.Labels[LABEL.session] as string);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- Docker sends null Volumes and Labels, whatever the types say
  for (const v of volumes.Volumes ?? []) if (v.Labels?.[LABEL.session]) ids.add(v.Labels[LABEL.session] as string);
  const prefix = resourceName(namespace, '', '').slice(0, -1);
  for (const name of await disks.names(prefix)) {
    const session = name.slice(prefix.length).split('-')[0] ?? '';
    if (isSessionId(session)) ids.add(session);
  }
  return [...ids].sort();
}

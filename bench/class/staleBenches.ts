/**
 * Labs of an earlier bench:class that was killed (-9): its namespace is `bc-<pid>` and that
 * process is gone. Only such namespaces are swept; every other server's labs are left alone.
 */
import Docker from 'dockerode';
import { loadConfig } from '../../server/config';
import { sweepLabs } from '../serverProcess';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export async function sweepStaleBenches(): Promise<void> {
  const docker = new Docker({ socketPath: loadConfig().runtime.socketPath });
  const containers = await docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: ['iptables-lab.instance'] }),
  });
  const stale = new Set(
    containers
      .map((c) => c.Labels['iptables-lab.instance'] ?? '')
      .filter((ns) => /^bc-\d+$/.test(ns) && !alive(Number(ns.slice(3)))),
  );
  for (const ns of stale) {
    console.log(`removing the labs of a killed bench:class (namespace ${ns})`);
    await sweepLabs({ ...process.env, LAB_INSTANCE: ns });
  }
}

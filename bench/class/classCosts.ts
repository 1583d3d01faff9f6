import type Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { containerCost, processCpuSeconds, processRssBytes } from './containerCost';

/** Costs of everything this benchmark's server runs: its machines, the server, and the Docker engine. */
export async function classCosts(
  docker: Docker,
  instance: string,
  serverPid: number,
): Promise<{ memoryBytes: number; cpuSeconds: number; serverCpuSeconds: number; engineCpuSeconds: number }> {
  const containers = await docker.listContainers({
    filters: JSON.stringify({ label: [`iptables-lab.instance=${instance}`] }),
  });
  let memoryBytes = processRssBytes(serverPid);
  const serverCpuSeconds = processCpuSeconds(serverPid);
  let cpuSeconds = serverCpuSeconds;
  for (const c of containers) {
    const cost = containerCost(c.Id);
    memoryBytes += cost?.memoryBytes ?? 0;
    cpuSeconds += cost?.cpuSeconds ?? 0;
  }
  const engineCpuSeconds = enginePids().reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
  return { memoryBytes, cpuSeconds, serverCpuSeconds, engineCpuSeconds };
}

function enginePids(): number[] {
  try {
    return execFileSync('pgrep', ['-x', 'dockerd|containerd|containerd-shim-runc-v2'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number)
      .filter(Boolean);
  } catch {
    return [];
  }
}

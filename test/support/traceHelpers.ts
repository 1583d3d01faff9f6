import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { LABEL } from '../../server/runtime/docker/labels';

const run = promisify(execFile);

/** The host PID of a machine's init, found from the host by the instance's Docker labels. */
export async function machinePid(instance: string, machineId: string): Promise<number> {
  const docker = new Docker();
  const [container] = await docker.listContainers({
    filters: { label: [`${LABEL.namespace}=${instance}`, `${LABEL.machine}=${machineId}`] },
  });
  if (!container) throw new Error(`no running ${machineId} in ${instance}`);
  const info = await docker.getContainer(container.Id).inspect();
  return info.State.Pid;
}

/**
 * `xtables-monitor` processes on the host inside that process's network namespace, as the host
 * sees them. Read synchronously: a turn of the event loop per process of a busy host (a thousand
 * of them) made one count take seconds.
 */
export async function traceHelpersIn(pid: number): Promise<number> {
  const netns = readlinkSync(`/proc/${pid}/ns/net`);
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'xtables-monitor' && readlinkSync(`/proc/${entry}/ns/net`) === netns) count++;
    } catch {
      // The process ended while we looked.
    }
  }
  return count;
}

/** Whether the machine's kernel holds the trace's nft table (read with the host's nft). */
export async function hasTraceTable(pid: number): Promise<boolean> {
  const { stdout } = await run('nsenter', [`--target=${pid}`, '--net', '--', 'nft', 'list', 'tables']);
  return stdout.includes('ipl_trace');
}

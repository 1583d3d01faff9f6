import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type Docker from 'dockerode';
import type { ExecResult, HostExecOptions } from '../LabRuntime';
import { HostAccessUnavailable } from '../LabRuntime';

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/**
 * The host PID of a container's init, checked against the container id in its cgroup so a
 * cached PID that the kernel has since reused for something else is never entered.
 */
export class ContainerPids {
  private readonly cache = new Map<string, number>();

  constructor(private readonly docker: Docker) {}

  async pid(containerId: string): Promise<number> {
    const cached = this.cache.get(containerId);
    if (cached !== undefined && belongsTo(cached, containerId)) return cached;
    const info = await this.docker.getContainer(containerId).inspect();
    const pid = info.State.Pid;
    if (!info.State.Running || !pid) throw new Error('the machine is not running');
    if (!belongsTo(pid, info.Id)) {
      // Docker answers, but its processes are not ours to see: a remote engine or a VM.
      throw new HostAccessUnavailable('the server is not on the Docker host');
    }
    this.cache.set(containerId, pid);
    return pid;
  }
}

/**
 * Read at every host read of a machine, so it is read the cheap way: a small file of the kernel's
 * own, never on a disk, read synchronously costs ~20 µs of CPU where fs/promises' readFile
 * (four thread-pool round trips) cost ~330 µs and ~15 ms on a loaded host (bench:class profile:
 * the largest share of the server's main thread during checks).
 */
function belongsTo(pid: number, containerId: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(containerId);
  } catch {
    return false;
  }
}

/**
 * Runs a host program inside a process's network namespace only (`nsenter -n`): the host's
 * own binaries and files, the machine's interfaces and netfilter tables. Nothing from inside
 * the container runs, so a root learner cannot fake the answer. The program is killed when the
 * server dies, however it dies (`setpriv --pdeathsig`, kept across nsenter's exec): no helper
 * outlives a kill -9. Aborted before it started, it never starts.
 */
export function spawnInNetns(pid: number, command: string[], options: HostExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (options.signal?.aborted)
    return Promise.resolve({ stdout: '', stderr: 'aborted', exitCode: 130, timedOut: false });
  return new Promise((resolve, reject) => {
    const args = ['--pdeathsig', 'KILL', '--', 'nsenter', `--target=${pid}`, '--net', '--', ...command];
    const child = spawn('setpriv', args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    const keep =
      (list: Buffer[]) =>
      (chunk: Buffer): void => {
        if (size >= MAX_OUTPUT_BYTES) return;
        size += chunk.length;
        list.push(chunk);
      };
    child.stdout.on('data', (chunk: Buffer) => (options.onStdout ? options.onStdout(chunk) : keep(out)(chunk)));
    child.stderr.on('data', keep(err));
    // Its own process group, so children that still hold stdout (a shell's `sleep`) stop too.
    const stop = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    options.signal?.addEventListener('abort', stop, { once: true });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? new HostAccessUnavailable('setpriv (util-linux) is not installed on the host')
          : error,
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code ?? (signal ? 128 : -1),
        timedOut,
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

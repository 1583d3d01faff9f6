import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type Docker from 'dockerode';
import type { ExecOptions, ExecResult, HostExecResult } from '../LabRuntime';
import { execInContainer } from './dockerExec';

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
/** The host's own programs only; never a path the learner can influence. */
const HOST_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The machine's network namespace as a file on this host, or undefined when it is not reachable
 * from here (the Docker engine runs elsewhere, or this process is not root). The sandbox path
 * names the namespace itself, so unlike a PID it cannot end up pointing at another process.
 */
export async function hostNetnsPath(container: Docker.Container): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const info = await container.inspect();
  const key = info.NetworkSettings?.SandboxKey;
  if (!key || !info.State?.Running) return undefined;
  try {
    // Docker bind-mounts the namespace (nsfs) there; it looks like an empty regular file.
    return (await stat(key)).isFile() ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a host program with `nsenter --net=<netns>`; the mount namespace (and so every binary) stays the host's. */
export function runInNetns(netnsPath: string, command: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', [`--net=${netnsPath}`, '--', ...command], {
      env: { PATH: HOST_PATH, LC_ALL: 'C' },
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out = capped();
    const err = capped();
    child.stdout?.on('data', out.push);
    child.stderr?.on('data', err.push);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout: out.text(), stderr: err.text(), exitCode: code ?? (signal ? 128 + 9 : -1), timedOut });
    });
    if (options.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin);
    }
  });
}

/**
 * Trusted when the namespace is reachable from this host; otherwise the same command runs inside
 * the machine with `docker exec` (the learner's binaries) and the result says so.
 */
export async function netnsExecOrFallback(container: Docker.Container, command: string[], options?: ExecOptions): Promise<HostExecResult> {
  const netns = await hostNetnsPath(container);
  if (netns) return { ...(await runInNetns(netns, command, options)), trusted: true };
  return { ...(await execInContainer(container, command, options)), trusted: false };
}

function capped(): { push: (chunk: Buffer) => void; text(): string } {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    push: (chunk) => {
      if (size >= MAX_OUTPUT_BYTES) return;
      chunks.push(chunk);
      size += chunk.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

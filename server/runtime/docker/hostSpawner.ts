/**
 * Host-side reads run by a small helper process instead of the server. Node's spawn blocks the
 * event loop until the child has exec'd; on a busy host (50 labs, load 40+) the journal's and
 * checks' `nsenter` reads then held the server's loop most of the time (bench:class CPU profile:
 * ChildProcess.spawn 47% of the server's main thread), delaying keystrokes and verdicts. The
 * helper does the spawning, long-running monitors included (their output comes back as messages);
 * the server only passes messages. Started on first use, restarted if it dies (a monitor it ran
 * then ends, as its caller hears); it is killed with the server (parent-death signal) and so is
 * what it runs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import {
  FileTooLarge,
  HostAccessUnavailable,
  type ExecResult,
  type HostExecOptions,
  type MachineFile,
} from '../LabRuntime';
import type { SpawnReply, SpawnRequest } from './hostSpawnerProtocol';

interface Pending {
  child: ChildProcess;
  /** A streamed run's output as it arrives. */
  onStdout?: (chunk: Buffer) => void;
  resolve(reply: SpawnReply): void;
  reject(error: Error): void;
}

const ENTRY = path.join(import.meta.dirname, 'hostSpawnerMain.ts');

export class HostSpawner {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  async run(pid: number, command: string[], options: HostExecOptions = {}): Promise<ExecResult> {
    if (options.signal?.aborted) return { stdout: '', stderr: 'aborted', exitCode: 130, timedOut: false };
    const { timeoutMs, stdin, onStdout } = options;
    const stream = onStdout !== undefined;
    const reply = await this.request(
      (id) => ({ type: 'run', id, pid, command, timeoutMs, stdin, stream }),
      options.signal,
      onStdout,
    );
    if (reply.type !== 'result') throw new Error('the host spawner answered a run with a file');
    return reply.result;
  }

  /** readFileInRoot, done by the helper: one message instead of a turn of the loop per path step. */
  async readFile(root: string, path: string): Promise<MachineFile | undefined> {
    const reply = await this.request((id) => ({ type: 'read', id, root, path }));
    if (reply.type !== 'file') throw new Error('the host spawner answered a read with a run');
    const file = reply.file;
    return file && { ...file, data: Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength) };
  }

  private request(
    make: (id: number) => SpawnRequest,
    signal?: AbortSignal,
    onStdout?: (chunk: Buffer) => void,
  ): Promise<Extract<SpawnReply, { type: 'result' | 'file' }>> {
    const child = this.started();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const cancel = (): void => {
        this.send(child, { type: 'cancel', id });
      };
      signal?.addEventListener('abort', cancel, { once: true });
      const done = (): void => {
        signal?.removeEventListener('abort', cancel);
        this.pending.delete(id);
        // An idle helper does not keep the server (or a test) running.
        if (this.pending.size === 0) child.channel?.unref();
      };
      this.pending.set(id, {
        child,
        onStdout,
        resolve: (r) => {
          done();
          if (r.type === 'error') reject(failure(r));
          else if (r.type === 'stdout') reject(new Error('the host spawner answered with output only'));
          else resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      child.channel?.ref();
      this.send(child, make(id));
    });
  }

  close(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  private send(child: ChildProcess, message: SpawnRequest): void {
    if (child.connected) child.send(message);
  }

  private started(): ChildProcess {
    if (this.child?.connected) return this.child;
    const child = fork(ENTRY, [], {
      execPath: 'setpriv',
      execArgv: ['--pdeathsig', 'KILL', '--', process.execPath, ...loaderFlags()],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    child.unref();
    child.channel?.unref();
    child.on('message', (reply: SpawnReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      if (reply.type === 'stdout') {
        const { chunk } = reply;
        waiting.onStdout?.(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        return;
      }
      waiting.resolve(reply);
    });
    const lost = (): void => {
      if (this.child === child) this.child = undefined;
      for (const waiting of [...this.pending.values()])
        if (waiting.child === child) waiting.reject(new Error('the host spawner stopped'));
    };
    child.on('exit', lost);
    child.on('error', lost);
    this.child = child;
    return child;
  }
}

/** The server's TypeScript loader (tsx), so the helper runs from source as the server does. */
function loaderFlags(): string[] {
  const own = process.execArgv.filter((a) => !a.startsWith('--cpu-prof'));
  return own.some((a) => a.includes('tsx')) ? own : ['--import', 'tsx'];
}

function failure(reply: Extract<SpawnReply, { type: 'error' }>): Error {
  if (reply.failure === 'unavailable') return new HostAccessUnavailable(reply.message);
  if (reply.failure === 'too-large')
    return new FileTooLarge(reply.message.split(' is larger')[0] ?? '', reply.limitBytes ?? 0);
  return new Error(reply.message);
}

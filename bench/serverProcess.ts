import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorMessage } from '../server/log/errorMessage';
import { loadConfig } from '../server/config';
import { DockerRuntime } from '../server/runtime/docker/DockerRuntime';

export interface ServerProcess {
  url: string;
  pid: number;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Removes what a server left behind (on a loaded host, ending a hundred machines can outlast its
 * shutdown deadline): its labs, their disks and networks, so the data directory can go too.
 */
export async function sweepLabs(env: Record<string, string | undefined>): Promise<void> {
  const config = loadConfig(env);
  const runtime = DockerRuntime.fromConfig(config.runtime);
  // The stopping server may still be removing a lab as the sweep lists it ("no such container"):
  // sweep again until a round finds nothing left.
  for (let round = 1; (await runtime.list()).length > 0; round++) {
    await runtime.prepareHost();
    const swept = await runtime.removeOrphans(new Set()).then(
      () => true,
      (error: unknown) => {
        if (round >= 5) throw error;
        return false;
      },
    );
    if (!swept) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await runtime.close();
}

/**
 * The real server as its own process (as in production, the client does not share its event
 * loop), on a free port and with a LAB_INSTANCE of its own. stop() lets it destroy its labs.
 */
export async function spawnServer(
  env: Record<string, string> = {},
  entry = 'main.ts',
  /** Extra node flags, e.g. a preloaded probe or --cpu-prof. */
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const root = path.resolve(import.meta.dirname, '..');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ipl-bench-'));
  const serverEnv: Record<string, string | undefined> = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LAB_INSTANCE: `b-${process.pid}`,
    DATA_DIR: dataDir,
    LAB_WARM_POOL: '0',
    // No labs warmed for a class's roster either: bench:dashboard opens dashboards of 200 simulated learners.
    LAB_ROSTER_WARM_MINUTES: '0',
    // The benchmark's labs are throwaway: end them when the server stops.
    LAB_KEEP_ON_SHUTDOWN: 'false',
    ...env,
  };
  // setpriv: the server gets SIGTERM when this process dies, however it dies (kill -9 included),
  // and then ends its labs itself (LAB_KEEP_ON_SHUTDOWN=false).
  const child = spawn(
    'setpriv',
    ['--pdeathsig', 'TERM', '--', process.execPath, '--import', 'tsx', ...nodeArgs, entry],
    {
      cwd: root,
      env: serverEnv,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let seen = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /serving on (https?:\/\/[^\s"]+)/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before serving:\n${seen}`)));
  });
  return {
    url,
    pid: child.pid ?? 0,
    output: () => seen,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      // A lab the stopping server removes as the sweep inspects it answers 404: sweep again.
      for (let attempt = 1; attempt <= 3; attempt++) {
        const swept = await sweepLabs(serverEnv).then(
          () => true,
          (error: unknown) => {
            console.error(`could not sweep the bench server's labs (attempt ${attempt}): ${String(error)}`);
            return false;
          },
        );
        if (swept) break;
      }
      try {
        rmSync(dataDir, { recursive: true, force: true });
      } catch (error) {
        // A disk image still mounted (a lab the server could not end in time) must not hide the
        // bench's own result or error.
        console.error(`could not remove ${dataDir}: ${errorMessage(error)}`);
      }
    },
  };
}

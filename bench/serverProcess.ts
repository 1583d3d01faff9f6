import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * The real server as its own process (as in production, the client does not share its event
 * loop), on a free port and with a LAB_INSTANCE of its own. stop() lets it destroy its labs.
 */
export async function spawnServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  const root = path.resolve(import.meta.dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LAB_INSTANCE: `b-${process.pid}`,
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'ipl-bench-')),
      LAB_WARM_POOL: '0',
      // The benchmark's labs are throwaway: end them when the server stops.
      LAB_KEEP_ON_SHUTDOWN: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /serving on (https?:\/\/[^\s"]+)/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before serving:\n${seen}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

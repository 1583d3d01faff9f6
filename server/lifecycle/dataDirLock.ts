import { createHash } from 'node:crypto';
import { mkdirSync, realpathSync } from 'node:fs';
import net from 'node:net';

export class DataDirLockedError extends Error {
  constructor(readonly pid: number | undefined) {
    super(`another iptables-lab server is running on this data directory, pid ${pid ?? 'unknown'}`);
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * One server per data directory. The lock is a Linux abstract Unix socket named after the
 * directory's real path: the kernel frees it the moment its process dies (kill -9 included), so
 * there is no stale lock file to clean up and no race between "check" and "take". A second
 * server asks the holder for its pid over the same socket, to name it in the error.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const name = `\0iptables-lab-${createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 32)}`;
  const server = net.createServer((socket) => socket.end(`${process.pid}\n`));
  server.unref();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(name, () => resolve());
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new DataDirLockedError(await holderPid(name));
  }
  return {
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function holderPid(name: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const socket = net.connect(name);
    const done = (): void => {
      socket.destroy();
      const pid = Number.parseInt(text, 10);
      resolve(Number.isSafeInteger(pid) && pid > 0 ? pid : undefined);
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', done);
    socket.on('error', done);
    socket.setTimeout(2000, done);
  });
}

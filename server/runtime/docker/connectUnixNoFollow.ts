import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import net from 'node:net';

/** O_PATH from <fcntl.h> on Linux; Node does not export it. */
const O_PATH = 0o10000000;

export class UnsafeSocketError extends Error {}

/**
 * Connects to a unix socket whose last path component a learner controls (it lives in a
 * directory their container can write). connect() would follow a symlink planted there and
 * resolve it on the *host*, e.g. to /var/run/docker.sock. So the entry is pinned first with
 * O_PATH|O_NOFOLLOW, checked to be a socket, and connected through /proc/self/fd, which names
 * exactly that inode. The directories above it must be host-controlled.
 */
export async function connectUnixNoFollow(path: string, timeoutMs = 2000): Promise<net.Socket> {
  const fd = openSync(path, O_PATH | constants.O_NOFOLLOW);
  try {
    if (!fstatSync(fd).isSocket()) throw new UnsafeSocketError(`${path} is not a socket`);
    return await new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect({ path: `/proc/self/fd/${fd}` });
      const timer = setTimeout(() => socket.destroy(new Error(`connecting to ${path} timed out`)), timeoutMs);
      const onError = (error: Error): void => {
        clearTimeout(timer);
        reject(error);
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        // The caller attaches its own error handler before any further I/O event can fire.
        socket.off('error', onError);
        resolve(socket);
      });
    });
  } finally {
    closeSync(fd);
  }
}

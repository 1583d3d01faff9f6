import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { FileTooLarge, HostAccessUnavailable, type MachineFile } from '../LabRuntime';

const MAX_FILE_BYTES = 1024 * 1024;
/** Missing, or something other than a plain path of directories to a regular file. */
const NOT_A_FILE = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'ENXIO']);

/**
 * Reads a file of a container from the host through its root (`/proc/<pid>/root`), one path
 * component at a time: each directory is opened with O_NOFOLLOW relative to the one before
 * (through /proc/self/fd/N), so a symlink a learner plants anywhere on the path is refused
 * rather than resolved against the host's root. O_NONBLOCK keeps a FIFO from hanging the open.
 * Microseconds, where Docker's archive API costs dockerd a tar per call.
 */
export async function readFileInRoot(root: string, path: string): Promise<MachineFile | undefined> {
  const parts = path.split('/').filter((p) => p !== '');
  const last = parts.pop();
  if (last === undefined || [...parts, last].some((p) => p === '.' || p === '..'))
    throw new Error(`not a plain absolute path: ${path}`);
  let dir: FileHandle;
  try {
    dir = await open(root, constants.O_RDONLY | constants.O_DIRECTORY);
  } catch (error) {
    throw new HostAccessUnavailable(`cannot open ${root}: ${(error as Error).message}`);
  }
  try {
    for (const part of parts) {
      const next = await open(
        `/proc/self/fd/${dir.fd}/${part}`,
        constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW,
      );
      await dir.close();
      dir = next;
    }
    const file = await open(
      `/proc/self/fd/${dir.fd}/${last}`,
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
    try {
      const stat = await file.stat();
      if (!stat.isFile()) return undefined;
      if (stat.size > MAX_FILE_BYTES) throw new FileTooLarge(path, MAX_FILE_BYTES);
      return { data: await file.readFile(), mode: stat.mode & 0o7777, modifiedAt: stat.mtimeMs };
    } finally {
      await file.close();
    }
  } catch (error) {
    if (NOT_A_FILE.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  } finally {
    await dir.close().catch(() => undefined);
  }
}

import type Docker from 'dockerode';
import tar from 'tar-stream';
import { FileTooLarge, type MachineFile } from '../LabRuntime';

const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Reads one regular file through Docker's archive API: dockerd resolves the path inside the
 * container's root, so a learner's symlink cannot point the server at a host file, and no
 * program inside the container is run. Undefined when the file does not exist.
 */
export async function readContainerFile(container: Docker.Container, path: string): Promise<MachineFile | undefined> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await container.getArchive({ path });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
  return new Promise((resolve, reject) => {
    const extract = tar.extract();
    let found: MachineFile | undefined;
    let first = true;
    extract.on('entry', (header, body, next) => {
      // The first entry is the path itself; a directory or symlink there is not a file.
      const wanted = first && header.type === 'file';
      first = false;
      if (!wanted) {
        body.on('end', next);
        body.resume();
        return;
      }
      if ((header.size ?? 0) > MAX_FILE_BYTES) {
        extract.destroy(new FileTooLarge(path, MAX_FILE_BYTES));
        return;
      }
      const chunks: Buffer[] = [];
      body.on('data', (chunk: Buffer) => chunks.push(chunk));
      body.on('end', () => {
        found = {
          data: Buffer.concat(chunks),
          mode: (header.mode ?? 0) & 0o7777,
          modifiedAt: header.mtime?.getTime() ?? 0,
        };
        next();
      });
    });
    extract.on('finish', () => resolve(found));
    extract.on('error', reject);
    stream.on('error', reject);
    stream.pipe(extract);
  });
}

import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import type { MachineFile, ReadFileOptions } from '../LabRuntime';
import { execInContainer } from './dockerExec';

const DEFAULT_MAX_BYTES = 1024 * 1024;
const MAX_SYMLINKS = 8;

type Entry = Omit<MachineFile, 'trusted'> & { linkname?: string };

const missing = (): Entry => ({ kind: 'missing', text: '', mode: 0, uid: 0, gid: 0, mtimeMs: 0, size: 0, truncated: false });

/** The first entry of a tar stream: its header and at most `maxBytes` of its content. */
function firstEntry(stream: Readable, maxBytes: number): Promise<Entry> {
  return new Promise((resolve, reject) => {
    const extract = tar.extract();
    let settled = false;
    const finish = (entry: Entry): void => {
      if (settled) return;
      settled = true;
      resolve(entry);
      // We only want the first entry; stop Docker sending the rest of a directory or a huge file.
      stream.destroy();
      extract.destroy();
    };
    extract.on('entry', (header, body, next) => {
      const base = {
        mode: (header.mode ?? 0) & 0o7777,
        uid: header.uid ?? 0,
        gid: header.gid ?? 0,
        mtimeMs: header.mtime?.getTime() ?? 0,
        size: header.size ?? 0,
        text: '',
        truncated: false,
      };
      if (header.type !== 'file') {
        body.resume();
        finish({ ...base, kind: 'other', linkname: header.type === 'symlink' ? header.linkname ?? undefined : undefined });
        return next();
      }
      const chunks: Buffer[] = [];
      let size = 0;
      body.on('data', (chunk: Buffer) => {
        if (size < maxBytes) chunks.push(chunk);
        size += chunk.length;
        if (size >= maxBytes) {
          const all = Buffer.concat(chunks).subarray(0, maxBytes);
          finish({ ...base, kind: 'file', text: all.toString('utf8'), truncated: base.size > maxBytes });
        }
      });
      body.on('end', () => {
        finish({ ...base, kind: 'file', text: Buffer.concat(chunks).toString('utf8') });
        next();
      });
    });
    extract.on('finish', () => finish(missing()));
    extract.on('error', (error) => (settled ? undefined : reject(error)));
    stream.on('error', (error) => (settled ? undefined : reject(error)));
    stream.pipe(extract);
  });
}

async function archiveEntry(container: Docker.Container, path: string, maxBytes: number): Promise<Entry> {
  let stream: Readable;
  try {
    stream = (await container.getArchive({ path })) as unknown as Readable;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return missing();
    throw error;
  }
  return firstEntry(stream, maxBytes);
}

/**
 * Reads a file through Docker's archive API (what `docker cp` uses): dockerd walks the machine's
 * filesystem itself, so a fake `cat` or `stat` the learner installed never runs. Symlinks are
 * followed inside the machine, as a program there would see them.
 */
export async function readFromArchive(container: Docker.Container, path: string, options: ReadFileOptions = {}): Promise<MachineFile> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let current = path;
  for (let hop = 0; hop <= MAX_SYMLINKS; hop++) {
    const entry = await archiveEntry(container, current, maxBytes);
    if (entry.linkname === undefined) {
      const { linkname: _ignored, ...file } = entry;
      return { ...file, trusted: true };
    }
    current = posix.resolve(posix.dirname(current), entry.linkname);
  }
  return { ...missing(), kind: 'other', trusted: true };
}

/** The untrusted way, for engines without the archive API: `stat` and `head` inside the machine. */
export async function readWithExec(container: Docker.Container, path: string, options: ReadFileOptions = {}): Promise<MachineFile> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const script = 'f=$1; [ -e "$f" ] || exit 3; [ -f "$f" ] || exit 4; stat -L -c "%a %u %g %Y %s" "$f" && head -c "$2" "$f"';
  const r = await execInContainer(container, ['sh', '-c', script, 'read', path, String(maxBytes)]);
  if (r.exitCode === 3) return { ...missing(), trusted: false };
  if (r.exitCode === 4) return { ...missing(), kind: 'other', trusted: false };
  if (r.exitCode !== 0) throw new Error(`could not read ${path}: ${r.stderr.trim()}`);
  const newline = r.stdout.indexOf('\n');
  const [mode = '0', uid = '0', gid = '0', mtime = '0', size = '0'] = r.stdout.slice(0, newline).split(' ');
  return {
    kind: 'file',
    text: r.stdout.slice(newline + 1),
    mode: parseInt(mode, 8),
    uid: Number(uid),
    gid: Number(gid),
    mtimeMs: Number(mtime) * 1000,
    size: Number(size),
    truncated: Number(size) > maxBytes,
    trusted: false,
  };
}

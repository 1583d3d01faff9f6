import { cp, lchown, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Copies a machine's overlay2 layer directory (before its first start: `diff` and `work`, empty,
 * and the `link` and `lower` files) with its modes and owners, in this process: what `cp -a` did,
 * without starting a program, which a loaded host makes slow. `dest` must not exist.
 */
export async function copyLayer(src: string, dest: string): Promise<void> {
  await cp(src, dest, {
    recursive: true,
    errorOnExist: true,
    force: false,
    preserveTimestamps: true,
    verbatimSymlinks: true,
  });
  await copyOwners(src, dest);
}

/** fs.cp keeps modes, not owners (a Docker with user namespaces owns layers by another uid). */
async function copyOwners(src: string, dest: string): Promise<void> {
  const stat = await lstat(src);
  await lchown(dest, stat.uid, stat.gid);
  if (!stat.isDirectory()) return;
  for (const entry of await readdir(src)) await copyOwners(path.join(src, entry), path.join(dest, entry));
}

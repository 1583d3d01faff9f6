import { open, rm } from 'node:fs/promises';
import { hostCommand } from './hostCommand';

/**
 * A new sparse file of `sizeMb` (never an existing one: `wx`), formatted ext4. Nothing has mounted
 * it yet, so it holds no one's files. `background` formats at the lowest CPU priority, for disks
 * made ahead of need while labs start beside them. A file it made but could not format is removed.
 */
export async function makeImage(file: string, sizeMb: number, { background = false } = {}): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.truncate(sizeMb * 1024 * 1024).finally(() => handle.close());
    // No reserved blocks: the learner is root and would otherwise get 5% more.
    const mkfs = ['-q', '-F', '-m', '0', '-E', 'nodiscard', file];
    if (background) await hostCommand('nice', ['-n', '19', 'mkfs.ext4', ...mkfs]);
    else await hostCommand('mkfs.ext4', mkfs);
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
}

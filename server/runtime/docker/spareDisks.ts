import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { makeImage } from './diskImage';
import { errorMessage } from '../../log/errorMessage';
import type { Log } from '../../log/Log';

export interface SpareDiskOptions {
  /** The machines' disk directory; spares live in its `spares` folder. */
  dir: string;
  namespace: string;
  sizeMb: number;
  /** How many are kept ready at most (0: none, every machine formats its own). */
  size: number;
  log?: Log;
}

/**
 * Machine disks formatted ahead of need, so a cold start or a reset takes a ready one instead of
 * formatting its own (mkfs is a process to start, which a loaded host makes slow).
 *
 * At most `size` exist at once, counting the one being made; they are made one at a time at the
 * lowest CPU priority, after a take and when filling is asked for. A spare is handed out once and
 * never comes back: an ended machine's disk is deleted, so every spare is a fresh image that no
 * one has mounted. Files are named `<namespace>.<id>.img`: a server removes its own namespace's
 * spares at start (whatever a crash or kill -9 left, half-formatted ones included) and when it stops.
 */
export class SpareDisks {
  private readonly ready: string[] = [];
  /** The image being formatted, if any: it is not ready and not reaped. */
  private making: string | undefined;
  /** The fill loop, while it runs (at most one). */
  private filling: Promise<void> | undefined;
  private closed = false;
  private failed = false;

  constructor(private readonly o: SpareDiskOptions) {}

  get folder(): string {
    return path.join(this.o.dir, 'spares');
  }

  /** How many are ready to take now. */
  get readyCount(): number {
    return this.ready.length;
  }

  /**
   * Gives a ready spare the path `image` (which must not exist: EEXIST otherwise); false when none
   * is ready. Claimed in this process's memory first, so two machines never get the same one.
   */
  async take(image: string): Promise<boolean> {
    for (let spare = this.ready.shift(); spare !== undefined; spare = this.ready.shift()) {
      try {
        await link(spare, image);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        this.ready.unshift(spare);
        throw error;
      }
      await unlink(spare);
      return true;
    }
    return false;
  }

  /** Makes spares in the background until `size` are ready; does nothing while it already does. */
  fill(): void {
    if (this.filling || this.closed || this.failed || this.ready.length >= this.o.size) return;
    this.filling = this.fillUp().finally(() => (this.filling = undefined));
  }

  private async fillUp(): Promise<void> {
    while (!this.closed && this.ready.length < this.o.size) {
      const file = path.join(this.folder, `${this.o.namespace}.${randomBytes(6).toString('hex')}.img`);
      this.making = file;
      try {
        await mkdir(this.folder, { recursive: true, mode: 0o700 });
        await makeImage(file, this.o.sizeMb, { background: true });
        // close() may have come while it was formatted.
        if (this.isClosed()) await rm(file, { force: true });
        else this.ready.push(file);
      } catch (error) {
        // Never a reason to fail a lab: machines format their own disks instead.
        this.failed = true;
        this.o.log?.(`spare machine disks are not made: ${errorMessage(error)}`, 'warn');
      } finally {
        this.making = undefined;
      }
      if (this.failed) return;
    }
  }

  private isClosed(): boolean {
    return this.closed;
  }

  /** Removes this namespace's spare files that this process has not made (at start: every one). */
  async reap(): Promise<void> {
    const ours = new Set([...this.ready, this.making]);
    const prefix = `${this.o.namespace}.`;
    const files = await readdir(this.folder).catch(() => [] as string[]);
    await Promise.all(
      files
        .filter((f) => f.startsWith(prefix) && !ours.has(path.join(this.folder, f)))
        .map((f) => rm(path.join(this.folder, f), { force: true })),
    );
  }

  /** Stops making spares and removes every one of this namespace (the runtime is closing). */
  async close(): Promise<void> {
    this.closed = true;
    await this.filling?.catch(() => undefined);
    this.ready.length = 0;
    await this.reap();
  }
}

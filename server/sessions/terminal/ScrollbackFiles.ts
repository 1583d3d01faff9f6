import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Terminal scrollback kept on disk, so a restarted server shows learners the screen they had
 * (and graders the transcript they saw), not just the same shell with an empty screen.
 * Each file is written then renamed, so a crash mid-write leaves the previous copy, never half of one.
 */
export class ScrollbackFiles {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** At a deliberate stop: nothing else may run meanwhile. */
  saveNow(sessionId: string, machineId: string, data: Buffer): void {
    const file = this.file(sessionId, machineId);
    writeFileSync(`${file}.tmp`, data, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }

  /** While the server runs: the event loop does not wait for the disk. */
  async save(sessionId: string, machineId: string, data: Buffer): Promise<void> {
    const file = this.file(sessionId, machineId);
    await writeFile(`${file}.tmp`, data, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }

  /** The saved scrollback, removed from disk: the live terminal owns it from now on. */
  take(sessionId: string, machineId: string): Buffer | undefined {
    const file = this.file(sessionId, machineId);
    try {
      const data = readFileSync(file);
      rmSync(file, { force: true });
      return data;
    } catch {
      return undefined;
    }
  }

  async removeSession(sessionId: string): Promise<void> {
    if (!SAFE_ID.test(sessionId)) return;
    for (const name of await readdir(this.dir)) {
      if (name.startsWith(`${sessionId}.`)) await rm(path.join(this.dir, name), { force: true });
    }
  }

  private file(sessionId: string, machineId: string): string {
    if (!SAFE_ID.test(sessionId) || !SAFE_ID.test(machineId)) throw new Error('invalid terminal id');
    return path.join(this.dir, `${sessionId}.${machineId}.bin`);
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh directory for a real database file; `remove()` deletes it. */
export function tempDbFile(): { file: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipl-store-'));
  return { file: path.join(dir, 'nested', 'lab.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';

/**
 * The data directory holds the instructor's password hash, session secrets and learners'
 * transcripts: only the server's own user may read it. The directory is made 0700 and the
 * database 0600 before SQLite opens it (SQLite gives its -wal and -shm files the database
 * file's mode), also when an older version left them world-readable.
 */
export function makeDataDirPrivate(dataDir: string, dbPath: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const files = [path.join(dataDir, 'cookie-secret')];
  if (dbPath !== ':memory:') {
    mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true, mode: 0o700 });
    closeSync(openSync(dbPath, 'a', 0o600));
    files.push(dbPath, `${dbPath}-wal`, `${dbPath}-shm`);
  }
  for (const file of files) if (existsSync(file)) chmodSync(file, 0o600);
}

import type Database from 'better-sqlite3';
import type { Migration } from './migrations';

/**
 * Brings the schema up to date: each pending migration runs in its own transaction together
 * with its schema_migrations row, so a crash leaves either all of it or none.
 * Returns the versions applied now.
 */
export function migrate(db: Database.Database, all: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const done = new Set(db.prepare<[], number>('SELECT version FROM schema_migrations').pluck().all());
  const sorted = [...all].sort((a, b) => a.version - b.version);
  assertDistinct(sorted);
  const known = new Set(sorted.map((m) => m.version));
  const newer = [...done].filter((v) => !known.has(v));
  if (newer.length > 0) {
    throw new Error(
      `The database has schema version(s) ${newer.join(', ')} that this server does not know; use a newer server`,
    );
  }
  const applied: number[] = [];
  const record = db.prepare<[number, string, number]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  for (const migration of sorted) {
    if (done.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      migration.backfill?.(db);
      record.run(migration.version, migration.name, Date.now());
    }).immediate();
    applied.push(migration.version);
  }
  return applied;
}

function assertDistinct(sorted: readonly Migration[]): void {
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]?.version === sorted[i - 1]?.version)
      throw new Error(`duplicate migration version ${sorted[i]?.version}`);
  }
}

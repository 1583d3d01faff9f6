import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrate } from './migrate';
import { sha256Hex } from './sha256';
import { migrations as defaultMigrations, type Migration } from './migrations';

/**
 * Opens (creating if needed) the database file and brings its schema up to date.
 * WAL lets the dashboard read while learners write; synchronous=FULL makes every committed
 * transaction durable before the call returns, so an acknowledged write survives kill -9
 * and power loss alike.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = defaultMigrations): Database.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.function('sha256_hex', { deterministic: true }, (text: unknown) => sha256Hex(String(text)));
    migrate(db, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

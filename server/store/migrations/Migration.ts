import type Database from 'better-sqlite3';

/**
 * The schema, as an ordered list of steps. Append only: a released migration never changes,
 * because databases in the field have already run it.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Fills new tables from old ones in TypeScript, in the migration's transaction, after `sql`. */
  backfill?: (db: Database.Database) => void;
}

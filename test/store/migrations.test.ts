import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../server/store/migrate';
import { migrations } from '../../server/store/migrations';
import { openDatabase } from '../../server/store/openDatabase';
import { tempDbFile } from './support/tempDb';

describe('schema migrations on a real database file', () => {
  const temp = tempDbFile();
  afterEach(() => temp.remove());

  it('creates the file, its directory and every table on first open', () => {
    const db = openDatabase(temp.file);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'schema_migrations',
        'instructors',
        'classes',
        'learners',
        'lab_sessions',
        'check_attempts',
        'lab_events',
      ]),
    );
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    db.close();
  });

  it('runs each migration exactly once, however often the server starts', () => {
    openDatabase(temp.file).close();
    const db = openDatabase(temp.file);
    expect(migrate(db, migrations)).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(migrations.length);
    db.close();
  });

  it('applies only the new migrations of a newer server', () => {
    openDatabase(temp.file).close();
    const next = [...migrations, { version: 999, name: 'add-notes', sql: 'ALTER TABLE classes ADD COLUMN notes TEXT' }];
    const db = openDatabase(temp.file, next);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual([
      ...migrations.map((m) => m.version),
      999,
    ]);
    db.close();
  });

  it('rolls back a failing migration completely and refuses to start', () => {
    openDatabase(temp.file).close();
    const broken = [...migrations, { version: 998, name: 'broken', sql: 'CREATE TABLE half (x INT); THIS IS NOT SQL' }];
    expect(() => openDatabase(temp.file, broken)).toThrow();
    const db = openDatabase(temp.file);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM schema_migrations WHERE version = 998').pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a database written by a newer server', () => {
    const next = [...migrations, { version: 997, name: 'future', sql: 'SELECT 1' }];
    openDatabase(temp.file, next).close();
    expect(() => openDatabase(temp.file)).toThrow(/newer server/);
  });
});
